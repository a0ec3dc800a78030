// The message layer (reference §3): `[command:2][length:2][payload]`, zero-padded
// to whole 16-byte blocks, both ways. Error replies have a 2-byte header only:
// `E1 xx` (firmware) or `E2 xx` (the key's crypto library), padded to 16.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { checkInteger, readU16BE, writeU16BE } from './bytes';
import { MAX_MESSAGE_BYTES, PACKET_BODY_SIZE } from './packets';

export const MESSAGE_HEADER_BYTES = 4;
export const ERROR_REPLY_BYTES = 16;
/** The largest payload that still fits a message of at most 2047 packets. */
export const MAX_PAYLOAD_BYTES = MAX_MESSAGE_BYTES - MESSAGE_HEADER_BYTES;

export const ErrorReplySource = { firmware: 0xe1, crypto: 0xe2 } as const;
export type ErrorReplySource = keyof typeof ErrorReplySource;

export type Key3Reply =
  | { readonly ok: true; readonly code: number; readonly payload: Uint8Array }
  | { readonly ok: false; readonly source: ErrorReplySource; readonly error: number };

/** Length rounded up to whole blocks (at least one). */
export const paddedLength = (length: number): number =>
  Math.max(1, Math.ceil(length / PACKET_BODY_SIZE)) * PACKET_BODY_SIZE;

export function encodeMessage(
  command: number,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  checkInteger('command', command, 0, 0xffff);
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw protocolError(ProtocolErrorCode.Overlong, 'a payload longer than a message can carry', {
      length: payload.length,
    });
  }
  const out = new Uint8Array(paddedLength(MESSAGE_HEADER_BYTES + payload.length));
  writeU16BE(out, 0, command);
  writeU16BE(out, 2, payload.length);
  out.set(payload, MESSAGE_HEADER_BYTES);
  return out;
}

/** `E1 xx` / `E2 xx` and 14 zero bytes: what the key answers on a refusal. */
export function encodeErrorReply(source: ErrorReplySource, error: number): Uint8Array {
  checkInteger('error', error, 0, 0xff);
  const out = new Uint8Array(ERROR_REPLY_BYTES);
  out[0] = ErrorReplySource[source];
  out[1] = error;
  return out;
}

const sourceOf = (first: number | undefined): ErrorReplySource | undefined =>
  first === ErrorReplySource.firmware
    ? 'firmware'
    : first === ErrorReplySource.crypto
      ? 'crypto'
      : undefined;

/**
 * A decrypted reply: an error reply, or the expected reply code with its payload
 * cut to the length field. A length past the bytes is Truncated (the vendor's
 * WrongPayloadLength); another reply code is UnexpectedReply (WrongReplyData).
 * Bytes after the payload are padding and not checked, as the vendor host does.
 */
export function decodeReply(plain: Uint8Array, expectedReplyCode: number): Key3Reply {
  if (plain.length < 2) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a reply shorter than its header', {
      length: plain.length,
    });
  }
  const source = sourceOf(plain[0]);
  if (source !== undefined) return { ok: false, source, error: plain[1] ?? 0 };
  if (plain.length < MESSAGE_HEADER_BYTES) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a reply shorter than its header', {
      length: plain.length,
    });
  }
  const code = readU16BE(plain, 0);
  if (code !== expectedReplyCode) {
    throw protocolError(ProtocolErrorCode.UnexpectedReply, 'another reply than expected', {
      expected: expectedReplyCode,
      got: code,
    });
  }
  const length = readU16BE(plain, 2);
  const available = plain.length - MESSAGE_HEADER_BYTES;
  if (length > available) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a reply length past its bytes', {
      length,
      available,
    });
  }
  return {
    ok: true,
    code,
    payload: plain.slice(MESSAGE_HEADER_BYTES, MESSAGE_HEADER_BYTES + length),
  };
}

/**
 * A 16-byte `E1 xx` / `E2 xx` message that arrives unencrypted on a channel with a
 * session (whether the key ever does this is not known): the error, else
 * undefined. Unauthenticated, so only ever a refusal, never a success.
 */
export function plainErrorReply(message: Uint8Array): Key3Reply | undefined {
  if (message.length !== ERROR_REPLY_BYTES) return undefined;
  const source = sourceOf(message[0]);
  if (source === undefined || message.subarray(2).some((b) => b !== 0)) return undefined;
  return { ok: false, source, error: message[1] ?? 0 };
}
