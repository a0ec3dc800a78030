// Workstations rows: the registration upsert (hes-contract.md §4.2) and approval.
import type { DatabaseSync } from 'node:sqlite';
import type { WorkstationRecord } from './records';
import { bit, flag, text, textOrNull, type SqlRow } from './sql-values';

function toWorkstation(row: SqlRow): WorkstationRecord {
  return {
    id: text(row, 'Id'),
    name: text(row, 'Name'),
    domain: text(row, 'Domain'),
    clientVersion: text(row, 'ClientVersion'),
    departmentId: textOrNull(row, 'DepartmentId'),
    os: text(row, 'OS'),
    ip: text(row, 'IP'),
    lastSeen: text(row, 'LastSeen'),
    approved: flag(row, 'Approved'),
    rfid: flag(row, 'RFID'),
  };
}

export interface WorkstationRegistration {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly clientVersion: string;
  readonly os: string;
  readonly ip: string;
  readonly lastSeen: string;
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

  setApproval(id: string, approved: boolean, rfid: boolean): void {
    this.db
      .prepare(
        'UPDATE Workstations SET Approved = ?, RFID = ?, DepartmentId = CASE WHEN ? THEN DepartmentId ELSE NULL END WHERE Id = ?',
      )
      .run(bit(approved), bit(rfid), bit(approved), id);
  }
}
