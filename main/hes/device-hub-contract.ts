// The DeviceHub's wire names and the relay's events (hes-contract.md §4.7), and what the
// relay may say about a step: sizes, times and an error's code and message, never bytes.
import type { ServerChannelRequest } from '../../device/key/key-operations';
import { decodeBase64 } from './base64';
import { ShapeError } from './shape';

/** One step of the server's channel to a key: the key's reply, untouched (empty for a reset). */
export type RelayFunction = (
  serialNo: string,
  channel: number,
  request: ServerChannelRequest,
  signal: AbortSignal,
) => Promise<Uint8Array>;

export const DeviceHubMethod = {
  SendRemoteCommand: 'SendRemoteCommand',
  RemoteCommandResponse: 'RemoteCommandResponse',
  SendVerifyCommand: 'SendVerifyCommand',
  VerifyCommandResponse: 'VerifyCommandResponse',
  SendGetRootKeyCommand: 'SendGetRootKeyCommand',
  GetRootKeyCommandResponse: 'GetRootKeyCommandResponse',
  SendResetChannel: 'SendResetChannel',
  SendControlRemoteCommand: 'SendControlRemoteCommand',
} as const;

export type RelayEvent =
  | { readonly type: 'channelOpened'; readonly serialNo: string }
  | { readonly type: 'channelClosed'; readonly serialNo: string }
  | { readonly type: 'channelFailed'; readonly serialNo: string; readonly problem: string }
  /** A step the key answered: its size each way and how long the key took (never the bytes). */
  | {
      readonly type: 'relayed';
      readonly serialNo: string;
      readonly step: RelayStep;
      readonly requestBytes: number;
      readonly replyBytes: number;
      readonly ms: number;
    }
  /** A step the key did not answer; `problem` names the error, never the bytes. */
  | {
      readonly type: 'relayFailed';
      readonly serialNo: string;
      readonly problem: string;
      /** Which step of the server's channel failed. */
      readonly step?: RelayStep;
    };

/** The steps of the server's channel, as the relay names them in its events. */
export type RelayStep = 'message' | 'verify' | 'rootKey' | 'reset' | 'control';

const MAX_PROBLEM_CHARS = 200;

/** The error's stable code and message, cut short: what the server's log may see. */
export function problemOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = typeof code === 'string' || typeof code === 'number' ? `${code}: ` : '';
    return `${text}${error.message}`.slice(0, MAX_PROBLEM_CHARS);
  }
  return 'relay failed';
}

export function bytesOf(base64: string, path: string): Uint8Array {
  const bytes = decodeBase64(base64);
  if (bytes === undefined) throw new ShapeError(`${path} is not base64`);
  return bytes;
}

/** The bytes a step carries to the key. */
export function requestSize(request: ServerChannelRequest): number {
  switch (request.kind) {
    case 'message':
    case 'control':
      return request.data.length;
    case 'verify':
      return request.publicKey.length + request.nonce.length;
    case 'reset':
    case 'rootKey':
      return 0;
  }
}
