// Typed errors of the stand-in's SQLite store: a stable code, plain details, no secrets.
import { CompanionError, type ErrorDetails } from '../../../shared/errors/companion-error';

export const HesStoreErrorCode = {
  /** The file holds a schema newer than this stand-in knows. */
  UnsupportedSchema: 'HES_STORE_UNSUPPORTED_SCHEMA',
  /** A column holds a value of the wrong type (a damaged or foreign database). */
  BadRow: 'HES_STORE_BAD_ROW',
  /** A row the caller expected is missing. */
  NotFound: 'HES_STORE_NOT_FOUND',
} as const;
export type HesStoreErrorCode = (typeof HesStoreErrorCode)[keyof typeof HesStoreErrorCode];

export type HesStoreErrorDetails = ErrorDetails;

export class HesStoreError extends CompanionError<HesStoreErrorCode> {
  override readonly name = 'HesStoreError';
  /** Always there ({} when nothing more is known), and always in the JSON. */
  declare readonly details: HesStoreErrorDetails;

  constructor(code: HesStoreErrorCode, message: string, details: HesStoreErrorDetails = {}) {
    super(code, message, details);
  }
}
