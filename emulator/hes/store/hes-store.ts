// The stand-in's database: one SQLite file through node:sqlite (WAL, foreign keys on), its
// schema brought to SCHEMA_VERSION on open (an empty or new file gets a fresh database with
// the "default" profile), the typed repositories, and transactions for multi-row actions.
import { DatabaseSync } from 'node:sqlite';
import { ActivationRepository } from './activation-repository';
import { AlarmRepository } from './alarm-repository';
import { EventRepository, SessionRepository } from './audit-repository';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import { LicenseRepository } from './license-repository';
import { HistoryRepository, ProfileRepository, SettingsRepository } from './misc-repository';
import { AccountRepository, EmployeeRepository, TaskRepository } from './people-repository';
import { OrgRepository } from './org-repository';
import { ProfileAdminRepository } from './profile-admin-repository';
import { ProximityRepository } from './proximity-repository';
import { MIGRATIONS, SCHEMA_VERSION, STARTUP_PROFILE_FIXUP } from './schema';
import { int } from './sql-values';
import { VaultRepository } from './vault-repository';
import { WorkstationRepository } from './workstation-repository';

export class HesStore {
  readonly vaults: VaultRepository;
  readonly activations: ActivationRepository;
  readonly profiles: ProfileRepository;
  readonly employees: EmployeeRepository;
  readonly accounts: AccountRepository;
  readonly tasks: TaskRepository;
  readonly workstations: WorkstationRepository;
  readonly events: EventRepository;
  readonly sessions: SessionRepository;
  readonly history: HistoryRepository;
  readonly settings: SettingsRepository;
  readonly licenses: LicenseRepository;
  readonly alarmState: AlarmRepository;
  readonly proximity: ProximityRepository;
  readonly org: OrgRepository;
  readonly profileAdmin: ProfileAdminRepository;
  private depth = 0;

  private constructor(private readonly db: DatabaseSync) {
    this.vaults = new VaultRepository(db);
    this.activations = new ActivationRepository(db);
    this.profiles = new ProfileRepository(db);
    this.employees = new EmployeeRepository(db);
    this.accounts = new AccountRepository(db);
    this.tasks = new TaskRepository(db);
    this.workstations = new WorkstationRepository(db);
    this.events = new EventRepository(db);
    this.sessions = new SessionRepository(db);
    this.history = new HistoryRepository(db);
    this.settings = new SettingsRepository(db);
    this.licenses = new LicenseRepository(db);
    this.alarmState = new AlarmRepository(db);
    this.proximity = new ProximityRepository(db);
    this.org = new OrgRepository(db);
    this.profileAdmin = new ProfileAdminRepository(db);
  }

  /** Opens (or creates) the database file and brings its schema up to date. */
  static open(file: string): HesStore {
    const db = new DatabaseSync(file);
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA foreign_keys = ON');
      db.exec('PRAGMA busy_timeout = 5000');
      const store = new HesStore(db);
      store.migrate();
      return store;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  get schemaVersion(): number {
    const row = this.db.prepare('PRAGMA user_version').get();
    return row ? int(row, 'user_version') : 0;
  }

  /**
   * Runs `fn` in one transaction: all of its writes land, or none. Nested calls join the
   * outer transaction. `fn` must be synchronous (node:sqlite is), so no await inside.
   */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth += 1;
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    } finally {
      this.depth -= 1;
    }
  }

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private migrate(): void {
    const version = this.schemaVersion;
    if (version > SCHEMA_VERSION) {
      throw new HesStoreError(
        HesStoreErrorCode.UnsupportedSchema,
        'the database was written by a newer stand-in',
        { version, supported: SCHEMA_VERSION },
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[v] as string);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
      });
    }
    this.db.exec(STARTUP_PROFILE_FIXUP);
  }
}
