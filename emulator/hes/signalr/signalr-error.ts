// The one error the SignalR codecs (records, handshake, hub messages) and the argument
// binder throw for bad input from a client. A stable `code` lets the connection pick its
// reaction (a protocol error closes the connection, a binding failure fails the invocation,
// as ASP.NET Core does); `details` carries plain, non-secret data only (lengths, field
// names, type numbers), never message text.
import {
  CompanionError,
  type CompanionErrorJson,
  type ErrorDetails,
} from '../../../shared/errors/companion-error';

export const SignalRErrorCode = {
  /** A frame whose text does not end with the 0x1E record separator. */
  IncompleteRecord: 'SIGNALR_INCOMPLETE_RECORD',
  /** A record larger than the server's maximum incoming message size. */
  MessageTooLarge: 'SIGNALR_MESSAGE_TOO_LARGE',
  /** A frame that is not valid UTF-8. */
  BadEncoding: 'SIGNALR_BAD_ENCODING',
  /** A record that is not a JSON object. */
  BadJson: 'SIGNALR_BAD_JSON',
  /** A JSON object with a missing or mistyped field. */
  BadMessage: 'SIGNALR_BAD_MESSAGE',
  /** A `type` the server's protocol version does not know. */
  UnknownMessageType: 'SIGNALR_UNKNOWN_MESSAGE_TYPE',
  /** A handshake request that is malformed, or for a protocol/version the server does not speak. */
  BadHandshake: 'SIGNALR_BAD_HANDSHAKE',
  /** Server side: a hub definition the server cannot serve (bad path, methods differing only in case, bad arity). */
  BadHubDefinition: 'SIGNALR_BAD_HUB_DEFINITION',
  /** Server side: arguments passed to `send` that JSON cannot carry (BigInt, cycles). */
  Unserializable: 'SIGNALR_UNSERIALIZABLE',
  /** An invocation's argument the method's parameter type cannot take (a binding failure). */
  BadArguments: 'SIGNALR_BAD_ARGUMENTS',
} as const;
export type SignalRErrorCode = (typeof SignalRErrorCode)[keyof typeof SignalRErrorCode];

/** Plain data only: numbers, strings, booleans. Never the text of a message. */
export type SignalRErrorDetails = ErrorDetails;

export type SignalRErrorJson = CompanionErrorJson<SignalRErrorCode, 'SignalRError'>;

export class SignalRError extends CompanionError<SignalRErrorCode> {
  override readonly name = 'SignalRError';
}

export const isSignalRError = (e: unknown, code?: SignalRErrorCode): e is SignalRError =>
  e instanceof SignalRError && (code === undefined || e.code === code);
