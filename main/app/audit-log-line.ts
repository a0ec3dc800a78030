// How a failed automatic audit flush reads in the companion's log: the queue's own
// code when the file failed, else AUDIT_FLUSH_FAILED with why the send failed: the
// HES client's code, its name and reason, and the server's answer (cut short). The
// audit errors carry no event text and the HES errors no payload, so no secret can
// reach the line through them.
import { isAuditQueueError } from '../audit/audit-queue-error';
import { isHesError } from '../hes/hes-error';
import type { LogLine } from './log-line';

export const AUDIT_FLUSH_FAILED = 'AUDIT_FLUSH_FAILED';
/** A server's own text is cut short in the log. */
const MAX_TEXT = 200;

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);

export function auditFailureLogLine(error: unknown): LogLine {
  if (isAuditQueueError(error)) {
    return { level: 'warn', code: error.code, message: `audit flush failed: ${error.message}` };
  }
  if (isHesError(error)) {
    const answer = oneLine(error.message);
    return {
      level: 'warn',
      code: AUDIT_FLUSH_FAILED,
      message:
        `audit flush failed: HES ${error.code} ${error.codeName} (${error.reason})` +
        (answer === '' ? '' : `: ${answer}`),
    };
  }
  // Anything else (a file system errno, a bug): its stable code or its class name.
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : typeof error;
  return {
    level: 'warn',
    code: AUDIT_FLUSH_FAILED,
    message: `audit flush failed: ${typeof code === 'string' || typeof code === 'number' ? String(code) : name}`,
  };
}
