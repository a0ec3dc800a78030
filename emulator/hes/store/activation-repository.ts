// HardwareVaultActivations rows (hes-contract.md §3): at most one Pending code per vault;
// rows are never deleted, only Canceled or Activated.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import { ActivationStatus, type ActivationRecord } from './records';
import { int, text, type SqlRow } from './sql-values';

function toActivation(row: SqlRow): ActivationRecord {
  const status = int(row, 'Status');
  if (status !== 0 && status !== 1 && status !== 2) {
    throw new HesStoreError(HesStoreErrorCode.BadRow, 'activation status out of range', {
      column: 'Status',
    });
  }
  return {
    id: text(row, 'Id'),
    vaultId: text(row, 'VaultId'),
    code: text(row, 'AcivationCode'),
    createdAt: text(row, 'CreatedAt'),
    status,
  };
}

export class ActivationRepository {
  constructor(private readonly db: DatabaseSync) {}

  /** Cancels any Pending code of the vault and stores `code` as the new Pending one. */
  create(vaultId: string, code: string, createdAt: string): void {
    this.setPending(vaultId, ActivationStatus.Canceled);
    this.db
      .prepare(
        'INSERT INTO HardwareVaultActivations (Id, VaultId, AcivationCode, CreatedAt, Status) VALUES (?, ?, ?, ?, 0)',
      )
      .run(randomUUID(), vaultId, code, createdAt);
  }

  pending(vaultId: string): ActivationRecord | undefined {
    const row = this.db
      .prepare(
        'SELECT * FROM HardwareVaultActivations WHERE VaultId = ? AND Status = 0 ORDER BY CreatedAt DESC LIMIT 1',
      )
      .get(vaultId);
    return row ? toActivation(row) : undefined;
  }

  /** Moves the vault's Pending code (if any) to Activated or Canceled. */
  setPending(vaultId: string, status: ActivationStatus): void {
    this.db
      .prepare('UPDATE HardwareVaultActivations SET Status = ? WHERE VaultId = ? AND Status = 0')
      .run(status, vaultId);
  }

  list(vaultId: string): ActivationRecord[] {
    return this.db
      .prepare('SELECT * FROM HardwareVaultActivations WHERE VaultId = ? ORDER BY CreatedAt, rowid')
      .all(vaultId)
      .map(toActivation);
  }
}
