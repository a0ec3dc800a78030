// The IPC contract over a WebSocket: text frames of JSON.
//   browser → host  { id, command, args }          one call of the command table
//   host → browser  { id, result }                 its CommandResult
//   host → browser  { event, payload }             a pushed event ('snapshot' | 'notice')
// A frame that is not a call answers { id: null, result: IPC_BAD_REQUEST }.
import {
  IpcErrorCode,
  failure,
  type CommandResult,
  type IpcEvent,
} from '../../shared/ipc/contract';

export type CallId = string | number;
export interface SocketCall {
  id: CallId;
  command: unknown;
  args: unknown;
}

const MAX_ID_LENGTH = 64;
const isCallId = (value: unknown): value is CallId =>
  (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH) ||
  (typeof value === 'number' && Number.isSafeInteger(value));

/** A call from one text frame, or undefined when the frame is not one. */
export function parseCall(frame: string): SocketCall | undefined {
  let data: unknown;
  try {
    data = JSON.parse(frame);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { id, command, args } = data as { id?: unknown; command?: unknown; args?: unknown };
  return isCallId(id) ? { id, command, args } : undefined;
}

export const answerFrame = (id: CallId | null, result: CommandResult): string =>
  JSON.stringify({ id, result });
export const badFrame = (): string => answerFrame(null, failure(IpcErrorCode.BadRequest));
export const eventFrame = (event: IpcEvent): string =>
  JSON.stringify({ event: event.name, payload: event.payload });
