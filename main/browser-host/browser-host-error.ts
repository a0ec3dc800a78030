// The one error the browser host throws (at start only; requests are answered, not thrown).
import {
  CompanionError,
  type CompanionErrorJson,
  type CompanionErrorOptions,
} from '../../shared/errors/companion-error';

export const BrowserHostErrorCode = {
  /** Asked to listen anywhere but 127.0.0.1: the host is loopback-only. */
  BindRefused: 'BROWSER_HOST_BIND_REFUSED',
  /** A port outside 0–65535, a root that is not a folder, a malformed token. */
  InvalidOption: 'BROWSER_HOST_INVALID_OPTION',
  /** The http server could not listen (port taken, permissions). */
  ListenFailed: 'BROWSER_HOST_LISTEN_FAILED',
} as const;
export type BrowserHostErrorCode = (typeof BrowserHostErrorCode)[keyof typeof BrowserHostErrorCode];

export type BrowserHostErrorJson = CompanionErrorJson<BrowserHostErrorCode, 'BrowserHostError'>;

export class BrowserHostError extends CompanionError<BrowserHostErrorCode> {
  override readonly name = 'BrowserHostError';

  constructor(code: BrowserHostErrorCode, message: string, options?: CompanionErrorOptions) {
    super(code, message, undefined, options);
  }
}

export const isBrowserHostError = (
  error: unknown,
  code?: BrowserHostErrorCode,
): error is BrowserHostError =>
  error instanceof BrowserHostError && (code === undefined || error.code === code);
