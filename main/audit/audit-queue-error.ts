// The one error the audit queue throws. `code` is stable (callers switch on it,
// never on the message); details are plain data and never carry an event's
// text, so a refused note with a secret in it does not leak through the error.
import {
  CompanionError,
  type CompanionErrorJson,
  type ErrorDetails,
} from '../../shared/errors/companion-error';

export const AuditQueueErrorCode = {
  /** The file is not an SQLite database, or its pages are damaged (quick_check fails). */
  Corrupt: 'AUDIT_FILE_CORRUPT',
  /** A valid SQLite file that is not ours (another application's) or of a newer schema. */
  Unsupported: 'AUDIT_FILE_UNSUPPORTED',
  /** The file cannot be opened or written (permissions, a directory, disk full, locked). */
  Unavailable: 'AUDIT_FILE_UNAVAILABLE',
  /** The event does not have the shape §4.6/§6 allow (unknown eventId, bad severity, bad date). */
  InvalidEvent: 'AUDIT_INVALID_EVENT',
  /** A text field looks like it carries a secret ("PIN: 1234"): the event is refused, not stored. */
  SecretInEvent: 'AUDIT_SECRET_IN_EVENT',
  /** An option of openAuditQueue is out of range. */
  InvalidOption: 'AUDIT_INVALID_OPTION',
  /** record()/flush() after close(). */
  Closed: 'AUDIT_QUEUE_CLOSED',
} as const;
export type AuditQueueErrorCode = (typeof AuditQueueErrorCode)[keyof typeof AuditQueueErrorCode];

export type AuditQueueErrorDetails = ErrorDetails;

export type AuditQueueErrorJson = CompanionErrorJson<AuditQueueErrorCode, 'AuditQueueError'>;

export class AuditQueueError extends CompanionError<AuditQueueErrorCode> {
  override readonly name = 'AuditQueueError';
}

export const isAuditQueueError = (
  error: unknown,
  code?: AuditQueueErrorCode,
): error is AuditQueueError =>
  error instanceof AuditQueueError && (code === undefined || error.code === code);
