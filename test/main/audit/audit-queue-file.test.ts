import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { WorkstationEventType } from '../../../shared/hes/dto';
import { openAuditQueue, type AuditQueueOptions } from '../../../main/audit/audit-queue';
import { AuditQueueError } from '../../../main/audit/audit-queue-error';
import { DedupingReceiver } from './hes-receiver';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();

const options = (file: string, hes: DedupingReceiver): AuditQueueOptions => ({
  file,
  workstationId: 'ws-1',
  send: hes.send,
  flushIntervalMs: 60_000,
});

const openError = async (opts: AuditQueueOptions): Promise<AuditQueueError> => {
  try {
    const queue = await openAuditQueue(opts);
    await queue.close();
  } catch (error) {
    expect(error).toBeInstanceOf(AuditQueueError);
    return error as AuditQueueError;
  }
  throw new Error('openAuditQueue did not fail');
};

describe('the audit queue file', () => {
  it('keeps pending events across a close and reopen, with their ids and order', async () => {
    const hes = new DedupingReceiver();
    const file = join(tempDir(), 'nested', 'dir', 'events.sqlite');
    const first = await openAuditQueue(options(file, hes));
    const ids = [0, 1, 2].map((i) =>
      first.record({ eventId: WorkstationEventType.HESDisconnected, severityId: 2, note: `n${i}` }),
    );
    await first.close();

    const second = await openAuditQueue(options(file, hes));
    expect(second.pending()).toBe(3);
    await second.flush();
    await second.close();
    expect(hes.received).toEqual(ids);
  });

  it('flushes at once on opening when an urgent event was left pending', async () => {
    const hes = new DedupingReceiver();
    const file = join(tempDir(), 'events.sqlite');
    const first = await openAuditQueue({
      ...options(file, hes),
      send: () => Promise.reject(new Error('offline')),
    });
    const id = first.record({ eventId: WorkstationEventType.DeviceLocked });
    await first.close();

    const second = await openAuditQueue({ ...options(file, hes), flushIntervalMs: 3_600_000 });
    await hes.storedAtLeast(1);
    expect(hes.received).toEqual([id]);
    await second.close();
  });

  it('refuses a file that is not a database with AUDIT_FILE_CORRUPT, without touching it', async () => {
    const file = join(tempDir(), 'events.sqlite');
    writeFileSync(file, 'this is not an SQLite database, just some text. '.repeat(200));
    const error = await openError(options(file, new DedupingReceiver()));
    expect(error.code).toBe('AUDIT_FILE_CORRUPT');
    expect(error.toJSON()).toMatchObject({ name: 'AuditQueueError', code: 'AUDIT_FILE_CORRUPT' });
    expect(readFileSync(file, 'utf8')).toContain('not an SQLite database');
  });

  it("moves a damaged file aside with onCorrupt: 'rename' and starts an empty queue", async () => {
    const hes = new DedupingReceiver();
    const dir = tempDir();
    const file = join(dir, 'events.sqlite');
    const garbage = Buffer.alloc(8192, 0xa5);
    writeFileSync(file, garbage);
    // A stale WAL beside it must not be replayed into the new queue.
    writeFileSync(`${file}-wal`, Buffer.alloc(100, 0x11));

    const queue = await openAuditQueue({ ...options(file, hes), onCorrupt: 'rename' });
    expect(queue.movedAside).toMatch(/events\.sqlite\.corrupt-/);
    expect(readFileSync(queue.movedAside ?? '')).toEqual(garbage);
    expect(queue.pending()).toBe(0);
    const id = queue.record({ eventId: WorkstationEventType.ServiceStarted });
    await queue.flush();
    await queue.close();
    expect(hes.received).toEqual([id]);
    expect(readdirSync(dir)).toContain(basename(queue.movedAside ?? ''));
  });

  it('detects damaged pages inside a valid SQLite file', async () => {
    const hes = new DedupingReceiver();
    const file = join(tempDir(), 'events.sqlite');
    const queue = await openAuditQueue({
      ...options(file, hes),
      send: () => Promise.reject(new Error('offline')),
    });
    for (let i = 0; i < 500; i += 1) {
      queue.record({
        eventId: WorkstationEventType.DeviceConnect,
        note: `event ${i} ${'x'.repeat(200)}`,
      });
    }
    await queue.close();
    // Checkpoint the WAL into the file, then overwrite the b-tree pages after the first.
    const db = new DatabaseSync(file);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0x7f, 4096, bytes.length);
    writeFileSync(file, bytes);

    expect((await openError(options(file, hes))).code).toBe('AUDIT_FILE_CORRUPT');
    const fresh = await openAuditQueue({ ...options(file, hes), onCorrupt: 'rename' });
    expect(fresh.pending()).toBe(0);
    await fresh.close();
  });

  it("refuses another application's SQLite database and never moves it", async () => {
    const file = join(tempDir(), 'other.sqlite');
    const db = new DatabaseSync(file);
    db.exec('CREATE TABLE accounts (name TEXT)');
    db.close();
    const error = await openError({
      ...options(file, new DedupingReceiver()),
      onCorrupt: 'rename',
    });
    expect(error.code).toBe('AUDIT_FILE_UNSUPPORTED');
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a queue file written by a newer schema', async () => {
    const hes = new DedupingReceiver();
    const file = join(tempDir(), 'events.sqlite');
    await (await openAuditQueue(options(file, hes))).close();
    const db = new DatabaseSync(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    const error = await openError(options(file, hes));
    expect(error.code).toBe('AUDIT_FILE_UNSUPPORTED');
    expect(error.details).toEqual({ schemaVersion: 99 });
  });

  it('reports a path that cannot be a database file as AUDIT_FILE_UNAVAILABLE', async () => {
    const dir = join(tempDir(), 'a-directory');
    mkdirSync(dir);
    const error = await openError(options(dir, new DedupingReceiver()));
    expect(error.code).toBe('AUDIT_FILE_UNAVAILABLE');
  });

  it('drops a stored row that no longer reads as an event, reports it, and delivers the rest', async () => {
    const hes = new DedupingReceiver();
    const file = join(tempDir(), 'events.sqlite');
    const first = await openAuditQueue(options(file, hes));
    const ids = [0, 1, 2].map((i) =>
      first.record({ eventId: WorkstationEventType.DeviceConnect, note: `n${i}` }),
    );
    await first.close();
    const db = new DatabaseSync(file);
    db.prepare('UPDATE pending_events SET dto = ? WHERE id = ?').run('{"broken', ids[1] ?? '');
    db.close();

    const errors: unknown[] = [];
    const second = await openAuditQueue({ ...options(file, hes), onError: (e) => errors.push(e) });
    expect((await second.flush()).remaining).toBe(0);
    await second.close();
    expect(hes.received).toEqual([ids[0], ids[2]]);
    expect(errors).toEqual([expect.objectContaining({ code: 'AUDIT_FILE_CORRUPT' })]);
  });

  it('shortens, when sending, an event stored under a larger batch limit', async () => {
    const hes = new DedupingReceiver();
    const file = join(tempDir(), 'events.sqlite');
    const first = await openAuditQueue(options(file, hes));
    const id = first.record({
      eventId: WorkstationEventType.DeviceConnect,
      note: 'é'.repeat(10_000),
    });
    await first.close();

    const second = await openAuditQueue({ ...options(file, hes), maxBatchBytes: 4096 });
    await second.flush();
    await second.close();
    expect(hes.received).toEqual([id]);
    expect(hes.largestBatchBytes).toBeLessThanOrEqual(4096);
  });
});
