// HardwareVaultLicenses rows (hes-contract.md §1.6). "New" licences: not applied yet and
// holding data; "active" ones: ending today or later and holding data (an open-ended licence
// is not active: HES compares EndDate in SQL, where null never passes). Also the vaults'
// LicenseStatus column, which only the licence status job writes.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import type { LicenseRecord, VaultLicenseStatus } from './records';
import { text, textOrNull, type SqlRow } from './sql-values';

function toLicense(row: SqlRow): LicenseRecord {
  const data = row['Data'];
  if (data !== null && !(data instanceof Uint8Array)) {
    throw new HesStoreError(HesStoreErrorCode.BadRow, 'licence data is not a blob', {
      column: 'Data',
    });
  }
  return {
    id: text(row, 'Id'),
    vaultId: text(row, 'HardwareVaultId'),
    licenseOrderId: text(row, 'LicenseOrderId'),
    importedAt: textOrNull(row, 'ImportedAt'),
    appliedAt: textOrNull(row, 'AppliedAt'),
    endDate: textOrNull(row, 'EndDate'),
    data: data === null ? null : new Uint8Array(data),
  };
}

export class LicenseRepository {
  constructor(private readonly db: DatabaseSync) {}

  insert(license: Omit<LicenseRecord, 'id'> & { readonly id?: string }): LicenseRecord {
    const id = license.id ?? randomUUID();
    this.db
      .prepare(
        'INSERT INTO HardwareVaultLicenses (Id, HardwareVaultId, LicenseOrderId, ImportedAt, AppliedAt, EndDate, Data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        license.vaultId,
        license.licenseOrderId,
        license.importedAt,
        license.appliedAt,
        license.endDate,
        license.data,
      );
    return { ...license, id };
  }

  get(vaultId: string, id: string): LicenseRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM HardwareVaultLicenses WHERE HardwareVaultId = ? AND Id = ?')
      .get(vaultId, id);
    return row ? toLicense(row) : undefined;
  }

  forVault(vaultId: string): LicenseRecord[] {
    return this.db
      .prepare(
        'SELECT * FROM HardwareVaultLicenses WHERE HardwareVaultId = ? ORDER BY ImportedAt, rowid',
      )
      .all(vaultId)
      .map(toLicense);
  }

  /** AppliedAt null and Data present. */
  fresh(vaultId: string): LicenseRecord[] {
    return this.forVault(vaultId).filter((l) => l.appliedAt === null && l.data !== null);
  }

  /** EndDate on or after `today` (YYYY-MM-DD, UTC) and Data present; no EndDate: not active. */
  active(vaultId: string, today: string): LicenseRecord[] {
    return this.forVault(vaultId).filter(
      (l) => l.data !== null && l.endDate !== null && l.endDate.slice(0, 10) >= today,
    );
  }

  markApplied(id: string, appliedAt: string): void {
    this.db
      .prepare('UPDATE HardwareVaultLicenses SET AppliedAt = ? WHERE Id = ?')
      .run(appliedAt, id);
  }

  setVaultLicenseStatus(vaultId: string, status: VaultLicenseStatus): void {
    this.db
      .prepare('UPDATE HardwareVaults SET LicenseStatus = ? WHERE Id = ?')
      .run(status, vaultId);
  }
}
