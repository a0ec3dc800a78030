// Typed errors of the stand-in's SQLite store: a stable code, plain details, no secrets.

export const HesStoreErrorCode = {
  /** The file holds a schema newer than this stand-in knows. */
  UnsupportedSchema: 'HES_STORE_UNSUPPORTED_SCHEMA',
  /** A column holds a value of the wrong type (a damaged or foreign database). */
  BadRow: 'HES_STORE_BAD_ROW',
  /** A row the caller expected is missing. */
  NotFound: 'HES_STORE_NOT_FOUND',
} as const;
export type HesStoreErrorCode = (typeof HesStoreErrorCode)[keyof typeof HesStoreErrorCode];

export type HesStoreErrorDetails = Readonly<Record<string, string | number | boolean>>;

export class HesStoreError extends Error {
  override readonly name = 'HesStoreError';

  constructor(
    readonly code: HesStoreErrorCode,
    message: string,
    readonly details: HesStoreErrorDetails = {},
  ) {
    super(message);
  }

  toJSON(): {
    name: string;
    code: HesStoreErrorCode;
    message: string;
    details: HesStoreErrorDetails;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      details: { ...this.details },
    };
  }
}
