// WorkstationEvents (deduped by the client's id) and WorkstationSessions (hes-contract.md §6),
// with the account lookup HES's audit enrichment makes.
import type { DatabaseSync } from 'node:sqlite';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import type { WorkstationEventRecord, WorkstationSessionRecord } from './records';
import { int, text, textOrNull, type SqlRow } from './sql-values';

/**
 * A session to store. UnlockedBy takes whatever Int32 HES's Enum.TryParse of the note gave,
 * defined SessionSwitchSubject member or not; read back, such a value keeps its number (the
 * record type names only the defined members).
 */
export type StoredSession = Omit<WorkstationSessionRecord, 'unlockedBy'> & {
  readonly unlockedBy: number;
};

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

function toEvent(row: SqlRow): WorkstationEventRecord {
  return {
    id: text(row, 'Id'),
    date: text(row, 'Date'),
    eventId: int(row, 'EventId'),
    severityId: int(row, 'SeverityId'),
    note: textOrNull(row, 'Note'),
    workstationId: text(row, 'WorkstationId'),
    userSession: textOrNull(row, 'UserSession'),
    hardwareVaultId: textOrNull(row, 'HardwareVaultId'),
    employeeId: textOrNull(row, 'EmployeeId'),
    departmentId: textOrNull(row, 'DepartmentId'),
    accountId: textOrNull(row, 'AccountId'),
  };
}

function toSession(row: SqlRow): WorkstationSessionRecord {
  const unlockedBy = int(row, 'UnlockedBy');
  if (unlockedBy < INT32_MIN || unlockedBy > INT32_MAX) {
    throw new HesStoreError(HesStoreErrorCode.BadRow, 'session subject out of range', {
      column: 'UnlockedBy',
    });
  }
  return {
    id: text(row, 'Id'),
    startDate: text(row, 'StartDate'),
    endDate: textOrNull(row, 'EndDate'),
    unlockedBy: unlockedBy as WorkstationSessionRecord['unlockedBy'],
    workstationId: text(row, 'WorkstationId'),
    userSession: textOrNull(row, 'UserSession'),
    hardwareVaultId: textOrNull(row, 'HardwareVaultId'),
    employeeId: textOrNull(row, 'EmployeeId'),
    departmentId: textOrNull(row, 'DepartmentId'),
    accountId: textOrNull(row, 'AccountId'),
  };
}

export class EventRepository {
  constructor(private readonly db: DatabaseSync) {}

  /** False when an event with this id is already stored (the dedupe of §6.1). */
  insert(event: WorkstationEventRecord): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO WorkstationEvents (Id, Date, EventId, SeverityId, Note, WorkstationId, UserSession,
           HardwareVaultId, EmployeeId, DepartmentId, AccountId)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (Id) DO NOTHING`,
      )
      .run(
        event.id,
        event.date,
        event.eventId,
        event.severityId,
        event.note,
        event.workstationId,
        event.userSession,
        event.hardwareVaultId,
        event.employeeId,
        event.departmentId,
        event.accountId,
      );
    return Number(result.changes) === 1;
  }

  /**
   * The employee's account with this Name and Login, soft-deleted or not, as HES's enrichment
   * finds it (FirstOrDefault with no order: the clustered primary key's).
   */
  accountOf(employeeId: string, name: string, login: string): string | undefined {
    const row = this.db
      .prepare(
        'SELECT Id FROM Accounts WHERE EmployeeId = ? AND Name = ? AND Login = ? ORDER BY Id LIMIT 1',
      )
      .get(employeeId, name, login);
    return row ? text(row, 'Id') : undefined;
  }

  list(workstationId?: string): WorkstationEventRecord[] {
    const rows =
      workstationId === undefined
        ? this.db.prepare('SELECT * FROM WorkstationEvents ORDER BY Date, Id').all()
        : this.db
            .prepare('SELECT * FROM WorkstationEvents WHERE WorkstationId = ? ORDER BY Date, Id')
            .all(workstationId);
    return rows.map(toEvent);
  }
}

export class SessionRepository {
  constructor(private readonly db: DatabaseSync) {}

  get(id: string): WorkstationSessionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM WorkstationSessions WHERE Id = ?').get(id);
    return row ? toSession(row) : undefined;
  }

  insert(session: StoredSession): void {
    this.db
      .prepare(
        `INSERT INTO WorkstationSessions (Id, StartDate, EndDate, UnlockedBy, WorkstationId, UserSession,
           HardwareVaultId, EmployeeId, DepartmentId, AccountId)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        session.id,
        session.startDate,
        session.endDate,
        session.unlockedBy,
        session.workstationId,
        session.userSession,
        session.hardwareVaultId,
        session.employeeId,
        session.departmentId,
        session.accountId,
      );
  }

  reopen(id: string): void {
    this.db.prepare('UPDATE WorkstationSessions SET EndDate = NULL WHERE Id = ?').run(id);
  }

  /** Closes every open session of the workstation; returns how many. */
  closeAllOpen(workstationId: string, endDate: string): number {
    const result = this.db
      .prepare(
        'UPDATE WorkstationSessions SET EndDate = ? WHERE WorkstationId = ? AND EndDate IS NULL',
      )
      .run(endDate, workstationId);
    return Number(result.changes);
  }

  list(workstationId?: string): WorkstationSessionRecord[] {
    const rows =
      workstationId === undefined
        ? this.db.prepare('SELECT * FROM WorkstationSessions ORDER BY StartDate, Id').all()
        : this.db
            .prepare(
              'SELECT * FROM WorkstationSessions WHERE WorkstationId = ? ORDER BY StartDate, Id',
            )
            .all(workstationId);
    return rows.map(toSession);
  }
}
