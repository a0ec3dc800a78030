// The HES client's events as log lines: every kind has one, with a stable code; the relay's
// steps are told by size and time only.
import { describe, expect, it } from 'vitest';
import type { HesClientEvent } from '../../../main/hes/hes-client';
import { hesEventLogLine, hubLogTo } from '../../../main/hes/hes-event-log';
import type { LogLine } from '../../../main/app/log-line';

const EVERY_EVENT: readonly HesClientEvent[] = [
  { type: 'channelOpened', serialNo: 'ST1' },
  { type: 'channelClosed', serialNo: 'ST1' },
  { type: 'channelFailed', serialNo: 'ST1', problem: 'did not connect' },
  { type: 'relayed', serialNo: 'ST1', step: 'verify', requestBytes: 81, replyBytes: 99, ms: 42 },
  { type: 'relayFailed', serialNo: 'ST1', step: 'message', problem: 'ERR_BAD_SEAL: refused' },
  { type: 'proximitySettings', settings: [] },
  { type: 'rfidIndicator', enabled: true },
  { type: 'pushRejected', target: 'SetAlarmState', problem: 'isEnabled is not a boolean' },
  { type: 'registrationFailed', code: 604, reason: 'server' },
  {
    type: 'callFailed',
    target: 'AuthHwVault',
    code: 4242,
    reason: 'server',
    message: 'x'.repeat(500),
  },
  { type: 'invalidServerUrl', message: 'not an absolute URL' },
];

describe('HES events in the log', () => {
  it('gives every event a line with a stable code, warnings for what went wrong', () => {
    const lines = EVERY_EVENT.map(hesEventLogLine);
    expect(new Set(lines.map((l) => l.code)).size).toBe(EVERY_EVENT.length);
    for (const line of lines) expect(line.code).toMatch(/^HES_[A-Z_]+$/);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.code)).toEqual([
      'HES_CHANNEL_FAILED',
      'HES_RELAY_FAILED',
      'HES_PUSH_REJECTED',
      'HES_REGISTRATION_FAILED',
      'HES_CALL_FAILED',
      'HES_INVALID_URL',
    ]);
  });

  it('tells a relayed step by its sizes and time, and cuts a server text short', () => {
    expect(hesEventLogLine(EVERY_EVENT[3]!).message).toBe(
      'ST1 verify: 81 B to the key, 99 B back in 42 ms',
    );
    expect(hesEventLogLine(EVERY_EVENT[9]!).message.length).toBeLessThan(300);
  });

  it("passes SignalR's own warnings on", () => {
    const lines: LogLine[] = [];
    hubLogTo((l) => lines.push(l))('warning', "No client method with the name 'x' found.");
    expect(lines).toEqual([
      {
        level: 'warn',
        code: 'SIGNALR_WARNING',
        message: "No client method with the name 'x' found.",
      },
    ]);
  });
});
