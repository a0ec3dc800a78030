// Profiles, the status history and the app settings (the alarm state).
import type { DatabaseSync } from 'node:sqlite';
import { isVaultStatus, isVaultStatusReason } from '../../../shared/vault/vault-status';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import type { ProfileRecord, StatusHistoryRecord } from './records';
import { flag, int, text, type SqlRow } from './sql-values';

function toProfile(row: SqlRow): ProfileRecord {
  return {
    id: text(row, 'Id'),
    name: text(row, 'Name'),
    buttonPairing: flag(row, 'ButtonPairing'),
    buttonConnection: flag(row, 'ButtonConnection'),
    buttonStorageAccess: flag(row, 'ButtonStorageAccess'),
    pinPairing: flag(row, 'PinPairing'),
    pinConnection: flag(row, 'PinConnection'),
    pinStorageAccess: flag(row, 'PinStorageAccess'),
    masterKeyPairing: flag(row, 'MasterKeyPairing'),
    masterKeyConnection: flag(row, 'MasterKeyConnection'),
    masterKeyStorageAccess: flag(row, 'MasterKeyStorageAccess'),
    pinExpiration: int(row, 'PinExpiration'),
    pinLength: int(row, 'PinLength'),
    pinTryCount: int(row, 'PinTryCount'),
  };
}

function toHistory(row: SqlRow): StatusHistoryRecord {
  const from = int(row, 'FromStatus');
  const to = int(row, 'ToStatus');
  const reason = int(row, 'Reason');
  if (!isVaultStatus(from) || !isVaultStatus(to) || !isVaultStatusReason(reason)) {
    throw new HesStoreError(HesStoreErrorCode.BadRow, 'history status out of range', {
      column: 'ToStatus',
    });
  }
  return {
    time: text(row, 'Time'),
    vaultId: text(row, 'VaultId'),
    from,
    to,
    reason,
    actor: text(row, 'Actor'),
  };
}

export class ProfileRepository {
  constructor(private readonly db: DatabaseSync) {}

  get(id: string): ProfileRecord | undefined {
    const row = this.db.prepare('SELECT * FROM HardwareVaultProfiles WHERE Id = ?').get(id);
    return row ? toProfile(row) : undefined;
  }

  list(): ProfileRecord[] {
    return this.db
      .prepare('SELECT * FROM HardwareVaultProfiles ORDER BY Name')
      .all()
      .map(toProfile);
  }
}

export class HistoryRepository {
  constructor(private readonly db: DatabaseSync) {}

  add(entry: StatusHistoryRecord): void {
    this.db
      .prepare(
        'INSERT INTO StatusHistory (Time, VaultId, FromStatus, ToStatus, Reason, Actor) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(entry.time, entry.vaultId, entry.from, entry.to, entry.reason, entry.actor);
  }

  forVault(vaultId: string): StatusHistoryRecord[] {
    return this.db
      .prepare('SELECT * FROM StatusHistory WHERE VaultId = ? ORDER BY Id')
      .all(vaultId)
      .map(toHistory);
  }
}

const ALARM = 'alarm';

export class SettingsRepository {
  constructor(private readonly db: DatabaseSync) {}

  alarm(): boolean {
    const row = this.db.prepare('SELECT Value FROM AppSettings WHERE Id = ?').get(ALARM);
    return row ? text(row, 'Value') === 'true' : false;
  }

  setAlarm(on: boolean): void {
    this.db
      .prepare(
        'INSERT INTO AppSettings (Id, Value) VALUES (?, ?) ON CONFLICT (Id) DO UPDATE SET Value = excluded.Value',
      )
      .run(ALARM, on ? 'true' : 'false');
  }
}
