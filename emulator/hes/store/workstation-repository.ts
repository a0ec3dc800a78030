// Workstations rows: the registration upsert (hes-contract.md §4.2), approval, the admin's edit
// and delete (with what HES's foreign keys cascade: events, sessions, proximity pairs).
import type { DatabaseSync } from 'node:sqlite';
import type { WorkstationRecord } from './records';
import { bit, flag, text, textOrNull, type SqlRow } from './sql-values';

function toWorkstation(row: SqlRow): WorkstationRecord {
  return {
    id: text(row, 'Id'),
    name: textOrNull(row, 'Name'),
    domain: textOrNull(row, 'Domain'),
    clientVersion: textOrNull(row, 'ClientVersion'),
    departmentId: textOrNull(row, 'DepartmentId'),
    os: textOrNull(row, 'OS'),
    ip: textOrNull(row, 'IP'),
    lastSeen: text(row, 'LastSeen'),
    approved: flag(row, 'Approved'),
    rfid: flag(row, 'RFID'),
  };
}

/** What a registration writes; a string the client left out is null, as HES stores it. */
export interface WorkstationRegistration {
  readonly id: string;
  readonly name: string | null;
  readonly domain: string | null;
  readonly clientVersion: string | null;
  readonly os: string | null;
  readonly ip: string | null;
  readonly lastSeen: string;
}

/** The admin's settings of a workstation (approve, edit). */
export interface WorkstationSettings {
  readonly departmentId: string | null;
  readonly rfid: boolean;
}

export class WorkstationRepository {
  constructor(private readonly db: DatabaseSync) {}

  get(id: string): WorkstationRecord | undefined {
    const row = this.db.prepare('SELECT * FROM Workstations WHERE Id = ?').get(id);
    return row ? toWorkstation(row) : undefined;
  }

  list(): WorkstationRecord[] {
    return this.db.prepare('SELECT * FROM Workstations ORDER BY Name, Id').all().map(toWorkstation);
  }

  /** New: unapproved, no RFID. Existing: only version, OS, IP and LastSeen change (not Name/Domain). */
  upsert(ws: WorkstationRegistration): WorkstationRecord {
    this.db
      .prepare(
        `INSERT INTO Workstations (Id, Name, Domain, ClientVersion, OS, IP, LastSeen)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (Id) DO UPDATE SET ClientVersion = excluded.ClientVersion, OS = excluded.OS,
           IP = excluded.IP, LastSeen = excluded.LastSeen`,
      )
      .run(ws.id, ws.name, ws.domain, ws.clientVersion, ws.os, ws.ip, ws.lastSeen);
    return this.get(ws.id) as WorkstationRecord;
  }

  /** Approve (UI and REST): Approved, with the department and RFID flag the admin chose. */
  approve(id: string, settings: WorkstationSettings): void {
    this.db
      .prepare('UPDATE Workstations SET Approved = 1, DepartmentId = ?, RFID = ? WHERE Id = ?')
      .run(settings.departmentId, bit(settings.rfid), id);
  }

  /** Edit: department and RFID flag only. */
  edit(id: string, settings: WorkstationSettings): void {
    this.db
      .prepare('UPDATE Workstations SET DepartmentId = ?, RFID = ? WHERE Id = ?')
      .run(settings.departmentId, bit(settings.rfid), id);
  }

  /** Unapprove: Approved=false, RFID=false, no department. */
  unapprove(id: string): void {
    this.db
      .prepare('UPDATE Workstations SET Approved = 0, RFID = 0, DepartmentId = NULL WHERE Id = ?')
      .run(id);
  }

  /** Deletes the row and what HES cascades with it (events, sessions; pairs by the schema). */
  delete(id: string): void {
    this.db.prepare('DELETE FROM WorkstationEvents WHERE WorkstationId = ?').run(id);
    this.db.prepare('DELETE FROM WorkstationSessions WHERE WorkstationId = ?').run(id);
    this.db.prepare('DELETE FROM Workstations WHERE Id = ?').run(id);
  }
}
