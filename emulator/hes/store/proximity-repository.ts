// WorkstationHardwareVaultPairs rows (HES's proximity vaults of a workstation) and the settings
// HES pushes from them (`WS.GetWorkstationHardwareVaultPairSettingsAsync`).
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { HwVaultProximitySettingsDto } from '../../../shared/hes/dto';
import type { ProximityPairRecord } from './records';
import { int, text, textOrNull, type SqlRow } from './sql-values';

function toPair(row: SqlRow): ProximityPairRecord {
  return {
    id: text(row, 'Id'),
    vaultId: textOrNull(row, 'HardwareVaultId'),
    workstationId: textOrNull(row, 'WorkstationId'),
    lockProximity: int(row, 'LockProximity'),
    unlockProximity: int(row, 'UnlockProximity'),
    lockTimeout: int(row, 'LockTimeout'),
  };
}

export class ProximityRepository {
  constructor(private readonly db: DatabaseSync) {}

  insert(pair: Omit<ProximityPairRecord, 'id'>): ProximityPairRecord {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO WorkstationHardwareVaultPairs
           (Id, HardwareVaultId, WorkstationId, LockProximity, UnlockProximity, LockTimeout)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        pair.vaultId,
        pair.workstationId,
        pair.lockProximity,
        pair.unlockProximity,
        pair.lockTimeout,
      );
    return { ...pair, id };
  }

  get(id: string): ProximityPairRecord | undefined {
    const row = this.db.prepare('SELECT * FROM WorkstationHardwareVaultPairs WHERE Id = ?').get(id);
    return row ? toPair(row) : undefined;
  }

  exists(workstationId: string, vaultId: string): boolean {
    return (
      this.db
        .prepare(
          'SELECT 1 FROM WorkstationHardwareVaultPairs WHERE WorkstationId = ? AND HardwareVaultId = ?',
        )
        .get(workstationId, vaultId) !== undefined
    );
  }

  forWorkstation(workstationId: string): ProximityPairRecord[] {
    return this.db
      .prepare('SELECT * FROM WorkstationHardwareVaultPairs WHERE WorkstationId = ? ORDER BY rowid')
      .all(workstationId)
      .map(toPair);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM WorkstationHardwareVaultPairs WHERE Id = ?').run(id);
  }

  deleteForVault(vaultId: string): void {
    this.db
      .prepare('DELETE FROM WorkstationHardwareVaultPairs WHERE HardwareVaultId = ?')
      .run(vaultId);
  }

  /** The workstation's pairs as the client's DTO, with each vault's MAC. */
  settings(workstationId: string): HwVaultProximitySettingsDto[] {
    return this.db
      .prepare(
        `SELECT p.HardwareVaultId AS SerialNo, v.MAC AS Mac, p.LockProximity, p.UnlockProximity,
           p.LockTimeout
         FROM WorkstationHardwareVaultPairs p JOIN HardwareVaults v ON v.Id = p.HardwareVaultId
         WHERE p.WorkstationId = ? ORDER BY p.rowid`,
      )
      .all(workstationId)
      .map((row) => ({
        serialNo: text(row, 'SerialNo'),
        mac: text(row, 'Mac'),
        lockProximity: int(row, 'LockProximity'),
        unlockProximity: int(row, 'UnlockProximity'),
        lockTimeout: int(row, 'LockTimeout'),
      }));
  }
}
