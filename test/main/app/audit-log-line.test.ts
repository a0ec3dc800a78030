// The log line of a failed audit flush names its cause: the queue's own code, or the
// HES client's code, name, reason and the server's answer (cut short, one line).
import { describe, expect, it } from 'vitest';
import { auditFailureLogLine } from '../../../main/app/audit-log-line';
import { AuditQueueError, AuditQueueErrorCode } from '../../../main/audit/audit-queue-error';
import { hesError } from '../../../main/hes/hes-error';

describe('auditFailureLogLine', () => {
  it("carries the server's answer to SaveClientEvents", () => {
    const line = auditFailureLogLine(
      hesError.server(604, 'Workstation not approved', 'SaveClientEvents'),
    );
    expect(line.code).toBe('AUDIT_FLUSH_FAILED');
    expect(line.message).toMatch(
      /^audit flush failed: HES 604 \S+ \(server\): Workstation not approved$/,
    );
  });

  it('keeps the queue file error code', () => {
    const error = new AuditQueueError(
      AuditQueueErrorCode.Unavailable,
      'The audit file cannot be written',
    );
    expect(auditFailureLogLine(error)).toEqual({
      level: 'warn',
      code: 'AUDIT_FILE_UNAVAILABLE',
      message: 'audit flush failed: The audit file cannot be written',
    });
  });

  it('cuts a long, multi-line answer to one line of 200 characters', () => {
    const line = auditFailureLogLine(hesError.hub('SaveClientEvents', `boom\n${'x'.repeat(500)}`));
    expect(line.message).not.toContain('\n');
    expect(line.message.length).toBeLessThan(300);
  });

  it('names an errno or an unknown throw', () => {
    expect(auditFailureLogLine(Object.assign(new Error('x'), { code: 'ENOSPC' })).message).toBe(
      'audit flush failed: ENOSPC',
    );
    expect(auditFailureLogLine('weird').message).toBe('audit flush failed: string');
  });
});
