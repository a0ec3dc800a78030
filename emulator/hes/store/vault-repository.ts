// HardwareVaults rows: typed reads, patches of the columns actions change, and the
// per-vault remote command counter (which only ever moves forward).
import type { DatabaseSync } from 'node:sqlite';
import { isVaultStatus, isVaultStatusReason } from '../../../shared/vault/vault-status';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import type { VaultPatch, VaultRecord } from './records';
import { bit, flag, int, text, textOrNull, u64, type SqlRow } from './sql-values';

export interface NewVault {
  readonly id: string;
  readonly mac: string;
  readonly model: string;
  readonly rfid: string;
  readonly firmware: string;
  readonly importedAt: string;
  readonly provisioningSecret: string;
  /** Default 'open'. */
  readonly keyFamily?: 'open' | 'key3';
}

const COLUMNS: Readonly<Record<keyof Required<VaultPatch>, string>> = {
  rfid: 'RFID',
  battery: 'Battery',
  firmware: 'Firmware',
  status: 'Status',
  statusReason: 'StatusReason',
  statusDescription: 'StatusDescription',
  lastSynced: 'LastSynced',
  needSync: 'NeedSync',
  employeeId: 'EmployeeId',
  masterPassword: 'MasterPassword',
  profileId: 'HardwareVaultProfileId',
  timestamp: 'Timestamp',
  hasNewLicense: 'HasNewLicense',
  licenseEndDate: 'LicenseEndDate',
  isStatusApplied: 'IsStatusApplied',
};

function toVault(row: SqlRow): VaultRecord {
  const status = int(row, 'Status');
  const reason = int(row, 'StatusReason');
  if (!isVaultStatus(status) || !isVaultStatusReason(reason)) {
    throw new HesStoreError(HesStoreErrorCode.BadRow, 'vault status or reason out of range', {
      column: 'Status',
    });
  }
  return {
    id: text(row, 'Id'),
    mac: text(row, 'MAC'),
    model: text(row, 'Model'),
    rfid: text(row, 'RFID'),
    battery: int(row, 'Battery'),
    firmware: text(row, 'Firmware'),
    status,
    statusReason: reason,
    statusDescription: textOrNull(row, 'StatusDescription'),
    lastSynced: textOrNull(row, 'LastSynced'),
    needSync: flag(row, 'NeedSync'),
    employeeId: textOrNull(row, 'EmployeeId'),
    masterPassword: textOrNull(row, 'MasterPassword'),
    profileId: text(row, 'HardwareVaultProfileId'),
    importedAt: text(row, 'ImportedAt'),
    timestamp: int(row, 'Timestamp'),
    hasNewLicense: flag(row, 'HasNewLicense'),
    isStatusApplied: flag(row, 'IsStatusApplied'),
    licenseStatus: int(row, 'LicenseStatus'),
    licenseEndDate: textOrNull(row, 'LicenseEndDate'),
    provisioningSecret: text(row, 'ProvisioningSecret'),
    keyFamily: text(row, 'KeyFamily') === 'key3' ? 'key3' : 'open',
    remoteCounter: u64(row, 'RemoteCounter'),
  };
}

type SqlParam = string | number | null;

function toParam(value: VaultPatch[keyof VaultPatch]): SqlParam {
  if (typeof value === 'boolean') return bit(value);
  return value ?? null;
}

export class VaultRepository {
  constructor(private readonly db: DatabaseSync) {}

  get(id: string): VaultRecord | undefined {
    const row = this.db.prepare('SELECT * FROM HardwareVaults WHERE Id = ?').get(id);
    return row ? toVault(row) : undefined;
  }

  byMac(mac: string): VaultRecord | undefined {
    const row = this.db.prepare('SELECT * FROM HardwareVaults WHERE MAC = ?').get(mac);
    return row ? toVault(row) : undefined;
  }

  byRfid(rfid: string): VaultRecord | undefined {
    const row = this.db.prepare('SELECT * FROM HardwareVaults WHERE RFID = ?').get(rfid);
    return row ? toVault(row) : undefined;
  }

  byEmployee(employeeId: string): VaultRecord[] {
    return this.db
      .prepare('SELECT * FROM HardwareVaults WHERE EmployeeId = ? ORDER BY Id')
      .all(employeeId)
      .map(toVault);
  }

  list(): VaultRecord[] {
    return this.db
      .prepare('SELECT * FROM HardwareVaults ORDER BY ImportedAt, Id')
      .all()
      .map(toVault);
  }

  /** A new vault as HES imports it: Ready, battery 100, profile "default" (A9). */
  insert(vault: NewVault): void {
    this.db
      .prepare(
        `INSERT INTO HardwareVaults (Id, MAC, Model, RFID, Battery, Firmware, Status, StatusReason,
           HardwareVaultProfileId, ImportedAt, ProvisioningSecret, KeyFamily)
         VALUES (?, ?, ?, ?, 100, ?, 0, 0, 'default', ?, ?, ?)`,
      )
      .run(
        vault.id,
        vault.mac,
        vault.model,
        vault.rfid,
        vault.firmware,
        vault.importedAt,
        vault.provisioningSecret,
        vault.keyFamily ?? 'open',
      );
  }

  update(id: string, patch: VaultPatch): void {
    const entries = (Object.keys(patch) as (keyof VaultPatch)[]).filter(
      (key) => patch[key] !== undefined,
    );
    if (entries.length === 0) return;
    const sets = entries.map((key) => `${COLUMNS[key]} = ?`).join(', ');
    const result = this.db
      .prepare(`UPDATE HardwareVaults SET ${sets} WHERE Id = ?`)
      .run(...entries.map((key) => toParam(patch[key])), id);
    if (Number(result.changes) !== 1) {
      throw new HesStoreError(HesStoreErrorCode.NotFound, 'no such hardware vault', {
        vaultId: id,
      });
    }
  }

  /** Takes the next remote command counter: stored before the command leaves, so it is never reused. */
  nextCounter(id: string): bigint {
    const vault = this.get(id);
    if (!vault) {
      throw new HesStoreError(HesStoreErrorCode.NotFound, 'no such hardware vault', {
        vaultId: id,
      });
    }
    const next = vault.remoteCounter + 1n;
    this.db
      .prepare('UPDATE HardwareVaults SET RemoteCounter = ? WHERE Id = ?')
      .run(next.toString(), id);
    return next;
  }

  /** Moves the counter forward to at least `counter` (after the key said ERR_REPLAY); never back. */
  advanceCounter(id: string, counter: bigint): void {
    const vault = this.get(id);
    if (!vault || counter <= vault.remoteCounter) return;
    this.db
      .prepare('UPDATE HardwareVaults SET RemoteCounter = ? WHERE Id = ?')
      .run(counter.toString(), id);
  }
}
