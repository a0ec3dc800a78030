// Electron IPC channel names: one fixed channel per command of shared/ipc's table
// and one per event. The preload uses exactly these; main registers exactly these.
// There is no channel that takes a command name from the renderer. No electron import.
import type { CommandName, EventName } from '../../shared/ipc/contract';

export const commandChannel = (name: CommandName): string => `companion:command:${name}`;
export const eventChannel = (name: EventName): string => `companion:event:${name}`;
