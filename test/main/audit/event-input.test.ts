import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkstationEventType } from '../../../shared/hes/dto';
import { openAuditQueue } from '../../../main/audit/audit-queue';
import { buildEventDto, type AuditEventInput } from '../../../main/audit/event-input';
import { localTimeZone } from '../../../main/audit/event-time';
import { looksLikeSecret } from '../../../main/audit/secret-guard';
import { DedupingReceiver } from './hes-receiver';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();
const context = { workstationId: 'ws-1', now: () => new Date('2024-01-02T03:04:05.006Z') };

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('audit event fields', () => {
  it('renders timeZone as the same instant in local time with its offset (§4.6)', () => {
    const at = new Date('2021-06-01T10:00:00.000Z');
    expect(localTimeZone(at, -180)).toBe('2021-06-01T13:00:00.000+03:00');
    expect(localTimeZone(at, 0)).toBe('2021-06-01T10:00:00.000+00:00');
    expect(localTimeZone(at, 570)).toBe('2021-06-01T00:30:00.000-09:30');
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0100-01-01T00:00:00Z'),
          max: new Date('9998-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 12 * 60 }),
        (date, offset) => {
          const text = localTimeZone(date, offset);
          expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
          expect(Date.parse(text)).toBe(date.getTime());
        },
      ),
    );
  });

  it('refuses unknown event types, severities and dates with AUDIT_INVALID_EVENT', () => {
    const bad: unknown[] = [
      { eventId: 23 },
      { eventId: '3' },
      { eventId: 3, severityId: 3 },
      { eventId: 3, date: new Date('nope') },
      { eventId: 3, date: new Date('+010000-01-01T00:00:00Z') },
      { eventId: 3, note: 42 },
      null,
    ];
    for (const input of bad) {
      expect(codeOf(() => buildEventDto(input as AuditEventInput, context))).toBe(
        'AUDIT_INVALID_EVENT',
      );
    }
  });

  it('makes a new GUID for every event', () => {
    const ids = new Set(
      Array.from(
        { length: 1000 },
        () => buildEventDto({ eventId: WorkstationEventType.DeviceConnect }, context).id,
      ),
    );
    expect(ids.size).toBe(1000);
  });

  it('refuses an event whose text labels a secret, and keeps the secret out of the error and the file', async () => {
    const hes = new DedupingReceiver();
    const file = join(tempDir(), 'events.sqlite');
    const queue = await openAuditQueue({ file, workstationId: 'ws-1', send: hes.send });
    const leaks: AuditEventInput[] = [
      { eventId: WorkstationEventType.DeviceLocked, note: 'wrong PIN: 918273' },
      { eventId: WorkstationEventType.DeviceLocked, note: 'activationCode=918273' },
      {
        eventId: WorkstationEventType.CredentialsUsed_Password,
        accountLogin: 'alice',
        note: 'password: 918273',
      },
      { eventId: WorkstationEventType.DeviceConnect, userSession: 'master key = 918273' },
    ];
    for (const event of leaks) {
      let caught: unknown;
      try {
        queue.record(event);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'AUDIT_SECRET_IN_EVENT' });
      expect(JSON.stringify(caught)).not.toContain('918273');
      expect(String((caught as Error).message)).not.toContain('918273');
    }
    // Ordinary notes pass: lock reasons, unlock methods, sites.
    for (const note of [
      'ProximityTimeout',
      'Proximity',
      'PIN entered wrong 3 times',
      'mail.example.com',
    ]) {
      queue.record({ eventId: WorkstationEventType.ComputerLock, note });
    }
    expect(queue.pending()).toBe(4);
    await queue.close();
    for (const suffix of ['', '-wal']) {
      if (existsSync(file + suffix))
        expect(readFileSync(file + suffix, 'latin1')).not.toContain('918273');
    }
    expect(looksLikeSecret('Pin code: 1234')).toBe(true);
    expect(looksLikeSecret('Spinning: yes')).toBe(false);
  });
});
