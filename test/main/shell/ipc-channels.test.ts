// One fixed Electron channel per command and per event, none shared.
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../shared/ipc/contract';
import { commandChannel, eventChannel } from '../../../main/shell/ipc-channels';

describe('IPC channels', () => {
  it('are distinct for every command and event of the contract', () => {
    const channels = [...COMMAND_NAMES.map(commandChannel), ...EVENT_NAMES.map(eventChannel)];
    expect(new Set(channels).size).toBe(COMMAND_NAMES.length + EVENT_NAMES.length);
    expect(commandChannel('submitPin')).toBe('companion:command:submitPin');
    expect(eventChannel('snapshot')).toBe('companion:event:snapshot');
  });
});
