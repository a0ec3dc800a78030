// The one error the browser host throws (at start only; requests are answered, not thrown).

export const BrowserHostErrorCode = {
  /** Asked to listen anywhere but 127.0.0.1: the host is loopback-only. */
  BindRefused: 'BROWSER_HOST_BIND_REFUSED',
  /** A port outside 0–65535, a root that is not a folder, a malformed token. */
  InvalidOption: 'BROWSER_HOST_INVALID_OPTION',
  /** The http server could not listen (port taken, permissions). */
  ListenFailed: 'BROWSER_HOST_LISTEN_FAILED',
} as const;
export type BrowserHostErrorCode = (typeof BrowserHostErrorCode)[keyof typeof BrowserHostErrorCode];

export interface BrowserHostErrorJson {
  readonly name: 'BrowserHostError';
  readonly code: BrowserHostErrorCode;
  readonly message: string;
}

export class BrowserHostError extends Error {
  override readonly name = 'BrowserHostError';

  constructor(
    readonly code: BrowserHostErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): BrowserHostErrorJson {
    return { name: this.name, code: this.code, message: this.message };
  }
}

export const isBrowserHostError = (
  error: unknown,
  code?: BrowserHostErrorCode,
): error is BrowserHostError =>
  error instanceof BrowserHostError && (code === undefined || error.code === code);
