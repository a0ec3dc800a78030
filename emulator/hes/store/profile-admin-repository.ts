// HardwareVaultProfiles as the admin edits them (HES's HardwareVaultsController profile routes):
// rows with their timestamps, insert, whole-row update, delete, and which vaults use a profile.
// The plain reads the vault rules need stay in ProfileRepository.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { ProfileEntityRecord, ProfileRecord } from './records';
import { ProfileRepository } from './misc-repository';
import { bit, int, text, textOrNull, type SqlRow } from './sql-values';

/** A profile's settings as the admin writes them. */
export type ProfileSettings = Omit<ProfileRecord, 'id'>;

const SETTINGS_COLUMNS = `Name, ButtonPairing, ButtonConnection, ButtonStorageAccess, PinPairing,
  PinConnection, PinStorageAccess, MasterKeyPairing, MasterKeyConnection, MasterKeyStorageAccess,
  PinExpiration, PinLength, PinTryCount`;

const settingsValues = (p: ProfileSettings): (string | number)[] => [
  p.name,
  bit(p.buttonPairing),
  bit(p.buttonConnection),
  bit(p.buttonStorageAccess),
  bit(p.pinPairing),
  bit(p.pinConnection),
  bit(p.pinStorageAccess),
  bit(p.masterKeyPairing),
  bit(p.masterKeyConnection),
  bit(p.masterKeyStorageAccess),
  p.pinExpiration,
  p.pinLength,
  p.pinTryCount,
];

export class ProfileAdminRepository {
  private readonly plain: ProfileRepository;

  constructor(private readonly db: DatabaseSync) {
    this.plain = new ProfileRepository(db);
  }

  get(id: string): ProfileEntityRecord | undefined {
    const profile = this.plain.get(id);
    return profile ? this.withTimes(profile) : undefined;
  }

  /** By name, as HES lists them. */
  list(): ProfileEntityRecord[] {
    return this.plain.list().map((p) => this.withTimes(p));
  }

  nameTaken(name: string, exceptId?: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM HardwareVaultProfiles WHERE Name = ? AND Id <> ?')
        .get(name, exceptId ?? '') !== undefined
    );
  }

  insert(settings: ProfileSettings, createdAt: string): ProfileEntityRecord {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO HardwareVaultProfiles (Id, CreatedAt, ${SETTINGS_COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, createdAt, ...settingsValues(settings));
    return this.get(id) as ProfileEntityRecord;
  }

  /** Every column, as EF's Update of a freshly built entity writes it; false: no such row. */
  replace(
    id: string,
    settings: ProfileSettings,
    times: { createdAt: string; updatedAt: string },
  ): boolean {
    const result = this.db
      .prepare(
        `UPDATE HardwareVaultProfiles SET CreatedAt = ?, UpdatedAt = ?, Name = ?, ButtonPairing = ?,
           ButtonConnection = ?, ButtonStorageAccess = ?, PinPairing = ?, PinConnection = ?,
           PinStorageAccess = ?, MasterKeyPairing = ?, MasterKeyConnection = ?,
           MasterKeyStorageAccess = ?, PinExpiration = ?, PinLength = ?, PinTryCount = ?
         WHERE Id = ?`,
      )
      .run(times.createdAt, times.updatedAt, ...settingsValues(settings), id);
    return Number(result.changes) === 1;
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM HardwareVaultProfiles WHERE Id = ?').run(id);
  }

  private withTimes(profile: ProfileRecord): ProfileEntityRecord {
    const row = this.db
      .prepare('SELECT CreatedAt, UpdatedAt FROM HardwareVaultProfiles WHERE Id = ?')
      .get(profile.id) as SqlRow;
    return {
      ...profile,
      createdAt: text(row, 'CreatedAt'),
      updatedAt: textOrNull(row, 'UpdatedAt'),
    };
  }

  /** Ids of the vaults using the profile (with the statuses given, if any). */
  vaultIds(profileId: string, statuses?: readonly number[]): string[] {
    const rows = this.db
      .prepare('SELECT Id, Status FROM HardwareVaults WHERE HardwareVaultProfileId = ? ORDER BY Id')
      .all(profileId);
    return rows
      .filter((row) => statuses === undefined || statuses.includes(int(row, 'Status')))
      .map((row) => text(row, 'Id'));
  }
}
