// The one error every codec in device/protocol and emulator/remote-channel throws
// for bad input (docs/protocol.md §8). A stable `code` lets callers choose the
// reply (e.g. CTAPHID ERROR INVALID_SEQ) without parsing messages; `details`
// carries plain, non-secret data only (lengths, channel ids, field names).
import {
  CompanionError,
  type CompanionErrorJson,
  type ErrorDetails,
} from '../../shared/errors/companion-error';

export const ProtocolErrorCode = {
  /** CID 0, or a frame on an unexpected channel (details {cid, busyCid} when another channel is mid-message). */
  BadChannel: 'PROTOCOL_BAD_CHANNEL',
  /** A continuation out of order, or a continuation / init packet where none was expected. */
  BadSequence: 'PROTOCOL_BAD_SEQUENCE',
  /** A declared or actual length past MAX_MESSAGE_SIZE, more fragments than a sequence can number, a report longer than 64 bytes. */
  Overlong: 'PROTOCOL_OVERLONG',
  /** A report, fragment or message shorter than its header or its declared length. */
  Truncated: 'PROTOCOL_TRUNCATED',
  /** An unknown framing command, message command, event or remote op. */
  UnknownCommand: 'PROTOCOL_UNKNOWN_COMMAND',
  /** Not well-formed CBOR, trailing bytes, not a map, a non-integer or duplicate key. */
  BadCbor: 'PROTOCOL_BAD_CBOR',
  /** A required field missing, or of the wrong type or range. */
  BadField: 'PROTOCOL_BAD_FIELD',
  /** A sealed buffer that fails authentication or is malformed. */
  BadSeal: 'PROTOCOL_BAD_SEAL',
  /** A message that authenticates but was already accepted, or whose counter went backwards (Key 3 session). */
  Replay: 'PROTOCOL_REPLAY',
  /** A root-key certificate not signed by the expected vendor key (Key 3). */
  BadCertificate: 'PROTOCOL_BAD_CERTIFICATE',
  /** A handshake signature that does not verify under the certified root key (Key 3). */
  BadSignature: 'PROTOCOL_BAD_SIGNATURE',
  /** A well-formed reply with another reply code than the request expects (Key 3; the vendor's WrongReplyData). */
  UnexpectedReply: 'PROTOCOL_UNEXPECTED_REPLY',
  /** A session or handshake used after it was destroyed or finished. */
  SessionClosed: 'PROTOCOL_SESSION_CLOSED',
} as const;
export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];

/** Plain data only: numbers, strings, booleans. Never a secret or the bytes of a message. */
export type ProtocolErrorDetails = ErrorDetails;

export type ProtocolErrorJson = CompanionErrorJson<ProtocolErrorCode, 'ProtocolError'>;

export class ProtocolError extends CompanionError<ProtocolErrorCode> {
  override readonly name = 'ProtocolError';
}

export const isProtocolError = (e: unknown, code?: ProtocolErrorCode): e is ProtocolError =>
  e instanceof ProtocolError && (code === undefined || e.code === code);

/** Shorthand used by the codecs. */
export const protocolError = (
  code: ProtocolErrorCode,
  message: string,
  details?: ProtocolErrorDetails,
): ProtocolError => new ProtocolError(code, message, details);
