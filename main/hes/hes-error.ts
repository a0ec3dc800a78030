// The one error the HES client throws (hes-contract.md §4.3). `code` is the
// HideezErrorCode the companion reacts to (the server's envelope code, or the
// client-side code the SDK would use); `reason` is a stable string saying where the
// error came from, so callers never parse messages. Messages and details carry
// plain, non-secret data only: never a payload, never relayed bytes.
import {
  CompanionError,
  type CompanionErrorJson,
  type ErrorDetails,
} from '../../shared/errors/companion-error';
import { HesErrorCode, hesErrorCodeName, isHesErrorCode } from '../../shared/errors/hes-error-code';

export const HesErrorReason = {
  /** The server answered with a non-zero code (its message is kept). */
  Server: 'server',
  /** The server's answer did not have the envelope or DTO shape we expect. */
  MalformedResponse: 'malformedResponse',
  /** No answer within the per-call limit (30 s by default). */
  Timeout: 'timeout',
  /** No live connection to the server (or it dropped while the call was pending). */
  NotConnected: 'notConnected',
  /** The hub refused the invocation (unknown method, wrong arity, server exception). */
  HubError: 'hubError',
  /** The invocation would exceed the hub's 32 KB limit: refused before sending. */
  MessageTooLarge: 'messageTooLarge',
  /** The server address is missing, not http/https, or carries credentials. */
  InvalidServerUrl: 'invalidServerUrl',
  /** The connectivity check (the negotiate POST) failed or timed out. */
  Unreachable: 'unreachable',
} as const;
export type HesErrorReason = (typeof HesErrorReason)[keyof typeof HesErrorReason];

/** Plain data only: numbers, strings, booleans. */
export type HesErrorDetails = ErrorDetails;

export interface HesErrorJson extends CompanionErrorJson<number, 'HesError'> {
  readonly codeName: string;
  readonly reason: HesErrorReason;
}

const codeNameOf = (code: number): string =>
  isHesErrorCode(code) ? hesErrorCodeName(code) : `HideezErrorCode(${code})`;

/** `code`: a HideezErrorCode (HesErrorCode when known; any server number is kept). */
export class HesError extends CompanionError<number> {
  override readonly name = 'HesError';

  constructor(
    code: number,
    readonly reason: HesErrorReason,
    message: string,
    details?: HesErrorDetails,
  ) {
    super(code, message, details);
  }

  get codeName(): string {
    return codeNameOf(this.code);
  }

  /** `{name, code, codeName, reason, message, details?}`, in that order. */
  override toJSON(): HesErrorJson {
    const { name, code, message, ...rest } = super.toJSON();
    return { name, code, codeName: this.codeName, reason: this.reason, message, ...rest };
  }
}

export const isHesError = (e: unknown, code?: number): e is HesError =>
  e instanceof HesError && (code === undefined || e.code === code);

/**
 * The client-side codes (documented in docs/hes-client.md): a malformed answer or
 * an oversized message is 600 HesUnknownError, a timeout or a missing connection
 * 601 HesNotConnected (as the SDK reports calls it cannot complete), a hub-level
 * refusal 1001 NonHideezException (what HES itself returns for non-SDK exceptions),
 * a bad or unreachable address 603 HesConnectionNotInitialized.
 */
export const hesError = {
  server: (code: number, message: string | null, target: string): HesError =>
    new HesError(code, HesErrorReason.Server, message ?? codeNameOf(code), { target }),
  malformed: (target: string, problem: string): HesError =>
    new HesError(
      HesErrorCode.HesUnknownError,
      HesErrorReason.MalformedResponse,
      `malformed answer to ${target}: ${problem}`,
      { target },
    ),
  timeout: (target: string, timeoutMs: number): HesError =>
    new HesError(
      HesErrorCode.HesNotConnected,
      HesErrorReason.Timeout,
      `${target} got no answer within ${timeoutMs} ms`,
      { target, timeoutMs },
    ),
  notConnected: (target: string): HesError =>
    new HesError(
      HesErrorCode.HesNotConnected,
      HesErrorReason.NotConnected,
      `not connected to the server (${target})`,
      { target },
    ),
  hub: (target: string, message: string): HesError =>
    new HesError(HesErrorCode.NonHideezException, HesErrorReason.HubError, message, { target }),
  tooLarge: (target: string, bytes: number, limit: number): HesError =>
    new HesError(
      HesErrorCode.HesUnknownError,
      HesErrorReason.MessageTooLarge,
      `${target} would send ${bytes} bytes, over the hub limit of ${limit}`,
      { target, bytes, limit },
    ),
  invalidUrl: (problem: string): HesError =>
    new HesError(
      HesErrorCode.HesConnectionNotInitialized,
      HesErrorReason.InvalidServerUrl,
      `invalid server address: ${problem}`,
    ),
  /** A link-local or metadata address the user has not allowed (details.refused: its kind). */
  addressRefused: (refused: string): HesError =>
    new HesError(
      HesErrorCode.HesConnectionNotInitialized,
      HesErrorReason.InvalidServerUrl,
      'invalid server address: a link-local or cloud metadata address is not checked ' +
        'unless allowed in HIDEEZ_HES_ALLOW_ADDRESSES',
      { refused },
    ),
  unreachable: (problem: string): HesError =>
    new HesError(
      HesErrorCode.HesConnectionNotInitialized,
      HesErrorReason.Unreachable,
      `the server does not answer: ${problem}`,
    ),
};
