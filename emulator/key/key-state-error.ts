// Typed errors for the virtual key's persistent state: a missing, corrupt or
// tampered state file must surface as one of these, never as a crash of
// another kind. Details never carry secrets (only paths, field names, reasons).
import { CompanionError, type ErrorDetails } from '../../shared/errors/companion-error';

export const KeyStateErrorCode = {
  /** The state file does not exist. */
  NotFound: 'KEY_STATE_NOT_FOUND',
  /** The file is not valid JSON. */
  Corrupt: 'KEY_STATE_CORRUPT',
  /** JSON, but a field is missing, of the wrong type, out of range or inconsistent. */
  Invalid: 'KEY_STATE_INVALID',
  /** The state was written by an unknown format version. */
  UnsupportedFormat: 'KEY_STATE_UNSUPPORTED_FORMAT',
  /** Reading or writing the file failed (permissions, disk full...). */
  Io: 'KEY_STATE_IO',
  /** The key lost power before the state change reached the file. */
  PowerLost: 'KEY_STATE_POWER_LOST',
} as const;
export type KeyStateErrorCode = (typeof KeyStateErrorCode)[keyof typeof KeyStateErrorCode];

export type KeyStateErrorDetails = ErrorDetails;

export class KeyStateError extends CompanionError<KeyStateErrorCode> {
  override readonly name = 'KeyStateError';
}

export const isKeyStateError = (e: unknown, code?: KeyStateErrorCode): e is KeyStateError =>
  e instanceof KeyStateError && (code === undefined || e.code === code);
