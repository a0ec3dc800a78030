// The queue's file: one SQLite table of events not yet accepted by the server,
// through node:sqlite (no native addon). WAL journal; `synchronous` FULL by default
// so a committed record() survives a power cut as well as a killed process (NORMAL
// in WAL mode survives a killed process, which is enough for bulk tests and is
// offered as `durability: 'process'`). Rows are ordered by `seq`, the insertion
// order; an event's GUID is made before the insert and stored with it.
import { mkdirSync, renameSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { AuditQueueError, AuditQueueErrorCode } from './audit-queue-error';

/** 'HAQ1' — marks the file as ours, so another application's database is never taken over. */
export const AUDIT_APPLICATION_ID = 0x48415131;
export const AUDIT_SCHEMA_VERSION = 1;

export type Durability = 'power-loss' | 'process';

export interface PendingRow {
  readonly seq: number;
  readonly id: string;
  readonly urgent: boolean;
  readonly dto: string;
}

// SQLite primary result codes (errcode & 0xff).
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

const sqliteCode = (error: unknown): number | undefined => {
  if (typeof error !== 'object' || error === null || !('errcode' in error)) return undefined;
  const code = error.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
};

/** Maps an SQLite failure to the queue's typed error (message without file contents). */
export const toAuditError = (error: unknown, action: string): AuditQueueError => {
  if (error instanceof AuditQueueError) return error;
  const code = sqliteCode(error);
  if (code === SQLITE_CORRUPT || code === SQLITE_NOTADB) {
    return new AuditQueueError(
      AuditQueueErrorCode.Corrupt,
      `The audit queue file is damaged (${action})`,
      { sqliteCode: code },
      { cause: error },
    );
  }
  return new AuditQueueError(
    AuditQueueErrorCode.Unavailable,
    `The audit queue file cannot be used (${action})${code === SQLITE_BUSY || code === SQLITE_LOCKED ? ': it is in use' : ''}`,
    code === undefined ? undefined : { sqliteCode: code },
    { cause: error },
  );
};

const SCHEMA = `
CREATE TABLE pending_events (
  seq    INTEGER PRIMARY KEY,
  id     TEXT    NOT NULL UNIQUE,
  urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  dto    TEXT    NOT NULL
) STRICT;
`;

export class PendingStore {
  private readonly db: DatabaseSync;
  private readonly insertStmt: StatementSync;
  private readonly deleteStmt: StatementSync;
  private readonly countStmt: StatementSync;
  private readonly oldestStmt: StatementSync;
  private readonly urgentStmt: StatementSync;
  private closed = false;

  private constructor(db: DatabaseSync) {
    this.db = db;
    this.insertStmt = db.prepare('INSERT INTO pending_events (id, urgent, dto) VALUES (?, ?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM pending_events WHERE seq = ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM pending_events');
    this.oldestStmt = db.prepare(
      'SELECT seq, id, urgent, dto FROM pending_events WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.urgentStmt = db.prepare('SELECT 1 AS u FROM pending_events WHERE urgent = 1 LIMIT 1');
  }

  /** Opens (creating if absent) and checks the file; throws AuditQueueError. */
  static open(file: string, durability: Durability): PendingStore {
    let db: DatabaseSync | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true });
      db = new DatabaseSync(file);
      const one = (sql: string): unknown => db?.prepare(sql).get();
      // Reads the header: "file is not a database" surfaces here.
      const appId = Number(
        (one('PRAGMA application_id') as { application_id: number }).application_id,
      );
      const version = Number((one('PRAGMA user_version') as { user_version: number }).user_version);
      const tables = Number(
        (one("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'") as { n: number }).n,
      );
      if (appId !== AUDIT_APPLICATION_ID && !(appId === 0 && tables === 0)) {
        throw new AuditQueueError(
          AuditQueueErrorCode.Unsupported,
          'The file is an SQLite database of another application, not an audit queue',
        );
      }
      if (version > AUDIT_SCHEMA_VERSION) {
        throw new AuditQueueError(
          AuditQueueErrorCode.Unsupported,
          'The audit queue file was written by a newer version of the companion',
          { schemaVersion: version },
        );
      }
      const check = (one('PRAGMA quick_check(1)') as { quick_check: string }).quick_check;
      if (check !== 'ok') {
        throw new AuditQueueError(
          AuditQueueErrorCode.Corrupt,
          'The audit queue file is damaged (quick_check)',
        );
      }
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA synchronous = ${durability === 'power-loss' ? 'FULL' : 'NORMAL'}`);
      db.exec('PRAGMA busy_timeout = 2000');
      if (appId === 0) {
        db.exec('BEGIN IMMEDIATE');
        db.exec(SCHEMA);
        db.exec(`PRAGMA application_id = ${AUDIT_APPLICATION_ID}`);
        db.exec(`PRAGMA user_version = ${AUDIT_SCHEMA_VERSION}`);
        db.exec('COMMIT');
      }
      return new PendingStore(db);
    } catch (error) {
      try {
        if (db?.isOpen) db.close();
      } catch {
        // Closing a broken handle may fail too; the open error is the one to report.
      }
      throw toAuditError(error, 'open');
    }
  }

  /** Durable when it returns (one transaction per insert). */
  insert(id: string, urgent: boolean, dto: string): void {
    this.run('record', () => this.insertStmt.run(id, urgent ? 1 : 0, dto));
  }

  /** Up to `limit` rows after `afterSeq`, oldest first. */
  oldest(afterSeq: number, limit: number): PendingRow[] {
    return this.run('read', () =>
      this.oldestStmt.all(afterSeq, limit).map((row) => ({
        seq: Number(row['seq']),
        id: String(row['id']),
        urgent: Number(row['urgent']) === 1,
        dto: String(row['dto']),
      })),
    );
  }

  /** Deletes the rows of a delivered batch in one transaction. */
  delete(seqs: readonly number[]): void {
    this.run('delete', () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        for (const seq of seqs) this.deleteStmt.run(seq);
        this.db.exec('COMMIT');
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  count(): number {
    return this.run('count', () => Number((this.countStmt.get() as { n: number }).n));
  }

  hasUrgent(): boolean {
    return this.run('read', () => this.urgentStmt.get() !== undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } catch (error) {
      throw toAuditError(error, 'close');
    }
  }

  private run<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toAuditError(error, action);
    }
  }
}

/**
 * Moves a damaged file (and its -wal/-shm companions) aside as
 * `<file>.corrupt-<time>` so a fresh queue can start; returns the new name.
 */
export const moveAside = (file: string, now: Date): string => {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 1; existsSync(target); n += 1) target = `${file}.corrupt-${stamp}-${n}`;
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  renameSync(file, target);
  return target;
};
