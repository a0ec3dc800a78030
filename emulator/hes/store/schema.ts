// The stand-in's SQLite schema, mirroring HES's EF Core model (hes-contract.md §1) with the
// table and column names HES uses, plus what the stand-in needs beyond HES: each vault's
// provisioning seal secret and remote command counter, and a StatusHistory table. The alarm
// state (HES's alarmstate.json: IsAlarm, AdminName, Date) is kept in AppSettings rows.
// PRAGMA user_version holds the schema version; MIGRATIONS[n] takes version n to n + 1.

/** Version 0 → 1: the whole schema and the seeded "default" profile (hes-contract.md §1.4). */
const V1 = `
CREATE TABLE HardwareVaultProfiles (
  Id TEXT PRIMARY KEY,
  Name TEXT NOT NULL UNIQUE,
  CreatedAt TEXT NOT NULL,
  UpdatedAt TEXT,
  ButtonPairing INTEGER NOT NULL DEFAULT 1,
  ButtonConnection INTEGER NOT NULL DEFAULT 0,
  ButtonStorageAccess INTEGER NOT NULL DEFAULT 0,
  PinPairing INTEGER NOT NULL DEFAULT 0,
  PinConnection INTEGER NOT NULL DEFAULT 0,
  PinStorageAccess INTEGER NOT NULL DEFAULT 0,
  MasterKeyPairing INTEGER NOT NULL DEFAULT 1,
  MasterKeyConnection INTEGER NOT NULL DEFAULT 0,
  MasterKeyStorageAccess INTEGER NOT NULL DEFAULT 0,
  PinExpiration INTEGER NOT NULL,
  PinLength INTEGER NOT NULL,
  PinTryCount INTEGER NOT NULL
);
CREATE TABLE Employees (
  Id TEXT PRIMARY KEY,
  FirstName TEXT NOT NULL,
  LastName TEXT NOT NULL,
  Email TEXT,
  PhoneNumber TEXT,
  DepartmentId TEXT,
  LastSeen TEXT,
  PrimaryAccountId TEXT,
  UNIQUE (FirstName, LastName)
);
CREATE TABLE HardwareVaults (
  Id TEXT PRIMARY KEY,
  MAC TEXT NOT NULL UNIQUE,
  Model TEXT NOT NULL,
  RFID TEXT NOT NULL UNIQUE,
  Battery INTEGER NOT NULL,
  Firmware TEXT NOT NULL,
  Status INTEGER NOT NULL,
  StatusReason INTEGER NOT NULL,
  StatusDescription TEXT,
  LastSynced TEXT,
  NeedSync INTEGER NOT NULL DEFAULT 0,
  EmployeeId TEXT REFERENCES Employees (Id),
  MasterPassword TEXT,
  HardwareVaultProfileId TEXT NOT NULL REFERENCES HardwareVaultProfiles (Id) ON DELETE CASCADE,
  ImportedAt TEXT NOT NULL,
  Timestamp INTEGER NOT NULL DEFAULT 0,
  HasNewLicense INTEGER NOT NULL DEFAULT 0,
  IsStatusApplied INTEGER NOT NULL DEFAULT 0,
  LicenseStatus INTEGER NOT NULL DEFAULT 0,
  LicenseEndDate TEXT,
  -- Beyond HES: the factory seal secret (base64) and the last remote command counter (decimal u64).
  ProvisioningSecret TEXT NOT NULL,
  RemoteCounter TEXT NOT NULL DEFAULT '0'
);
CREATE INDEX IX_HardwareVaults_EmployeeId ON HardwareVaults (EmployeeId);
CREATE INDEX IX_HardwareVaults_HardwareVaultProfileId ON HardwareVaults (HardwareVaultProfileId);
-- HES spells the code column "AcivationCode"; VaultId has no FK (as in HES). Rows are never deleted.
CREATE TABLE HardwareVaultActivations (
  Id TEXT PRIMARY KEY,
  VaultId TEXT NOT NULL,
  AcivationCode TEXT NOT NULL,
  CreatedAt TEXT NOT NULL,
  Status INTEGER NOT NULL
);
CREATE INDEX IX_HardwareVaultActivations_VaultId ON HardwareVaultActivations (VaultId);
-- Accounts and tasks only as far as the NeedUpdate*Accounts flags need them.
CREATE TABLE Accounts (
  Id TEXT PRIMARY KEY,
  Name TEXT NOT NULL,
  Login TEXT NOT NULL,
  EmployeeId TEXT NOT NULL REFERENCES Employees (Id),
  Deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE HardwareVaultTasks (
  Id TEXT PRIMARY KEY,
  HardwareVaultId TEXT NOT NULL REFERENCES HardwareVaults (Id) ON DELETE CASCADE,
  AccountId TEXT REFERENCES Accounts (Id),
  Operation INTEGER NOT NULL,
  CreatedAt TEXT NOT NULL,
  Timestamp INTEGER NOT NULL
);
CREATE TABLE Workstations (
  Id TEXT PRIMARY KEY,
  Name TEXT NOT NULL,
  Domain TEXT NOT NULL,
  ClientVersion TEXT NOT NULL,
  DepartmentId TEXT,
  OS TEXT NOT NULL,
  IP TEXT NOT NULL,
  LastSeen TEXT NOT NULL,
  Approved INTEGER NOT NULL DEFAULT 0,
  RFID INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE WorkstationEvents (
  Id TEXT PRIMARY KEY,
  Date TEXT NOT NULL,
  EventId INTEGER NOT NULL,
  SeverityId INTEGER NOT NULL,
  Note TEXT,
  WorkstationId TEXT NOT NULL REFERENCES Workstations (Id),
  UserSession TEXT,
  HardwareVaultId TEXT,
  EmployeeId TEXT,
  DepartmentId TEXT,
  AccountId TEXT
);
CREATE TABLE WorkstationSessions (
  Id TEXT PRIMARY KEY,
  StartDate TEXT NOT NULL,
  EndDate TEXT,
  UnlockedBy INTEGER NOT NULL,
  WorkstationId TEXT NOT NULL REFERENCES Workstations (Id),
  UserSession TEXT,
  HardwareVaultId TEXT,
  EmployeeId TEXT,
  DepartmentId TEXT,
  AccountId TEXT
);
CREATE INDEX IX_WorkstationSessions_WorkstationId ON WorkstationSessions (WorkstationId);
-- Beyond HES: every status change with its time, reason and actor.
CREATE TABLE StatusHistory (
  Id INTEGER PRIMARY KEY AUTOINCREMENT,
  Time TEXT NOT NULL,
  VaultId TEXT NOT NULL,
  FromStatus INTEGER NOT NULL,
  ToStatus INTEGER NOT NULL,
  Reason INTEGER NOT NULL,
  Actor TEXT NOT NULL
);
CREATE INDEX IX_StatusHistory_VaultId ON StatusHistory (VaultId);
-- HES keeps the alarm in alarmstate.json; the stand-in keeps it here (it survives a restart as in HES).
CREATE TABLE AppSettings (
  Id TEXT PRIMARY KEY,
  Value TEXT NOT NULL
);
INSERT INTO HardwareVaultProfiles (Id, Name, CreatedAt, ButtonPairing, MasterKeyPairing,
  PinExpiration, PinLength, PinTryCount)
VALUES ('default', 'Default', '1970-01-01T00:00:00.000Z', 1, 1, 86400, 4, 10);
`;

/** Version 1 → 2: licences (hes-contract.md §1.6); the order is kept as its id only. */
const V2 = `
CREATE TABLE HardwareVaultLicenses (
  Id TEXT PRIMARY KEY,
  HardwareVaultId TEXT NOT NULL REFERENCES HardwareVaults (Id) ON DELETE CASCADE,
  LicenseOrderId TEXT NOT NULL,
  ImportedAt TEXT,
  AppliedAt TEXT,
  EndDate TEXT,
  Data BLOB
);
CREATE INDEX IX_HardwareVaultLicenses_HardwareVaultId ON HardwareVaultLicenses (HardwareVaultId);
`;

/**
 * Version 2 → 3 (beyond HES): the key family a vault speaks. 'open': our open protocol,
 * reached with sealed commands (ProvisioningSecret); 'key3': a Hideez Key 3, reached as HES
 * reaches every vault, through its own verified channel 4 (no per-vault secret: '').
 */
const V3 = `
ALTER TABLE HardwareVaults ADD COLUMN KeyFamily TEXT NOT NULL DEFAULT 'open';
`;

/**
 * Version 3 → 4: what the admin side needs to behave as HES's. Companies and departments (a
 * workstation's or an employee's department must exist, as HES's foreign keys demand); the
 * proximity pairs (`WorkstationHardwareVaultPairs`, HES's defaults 30/70/5 are set by the
 * domain); and Workstations rebuilt with nullable Name/Domain/ClientVersion/OS/IP, because HES
 * stores a string the client left out as null (SQLite cannot drop NOT NULL in place). The old
 * rows are dropped before the new table exists, then inserted again: with deferred foreign keys
 * the events and sessions that point at them are whole again by the commit.
 */
const V4 = `
PRAGMA defer_foreign_keys = ON;
CREATE TABLE Companies (
  Id TEXT PRIMARY KEY,
  Name TEXT NOT NULL
);
CREATE TABLE Departments (
  Id TEXT PRIMARY KEY,
  Name TEXT NOT NULL,
  CompanyId TEXT NOT NULL REFERENCES Companies (Id) ON DELETE CASCADE
);
CREATE TABLE Workstations_V3 AS SELECT * FROM Workstations;
DROP TABLE Workstations;
CREATE TABLE Workstations (
  Id TEXT PRIMARY KEY,
  Name TEXT,
  Domain TEXT,
  ClientVersion TEXT,
  DepartmentId TEXT REFERENCES Departments (Id) ON DELETE SET NULL,
  OS TEXT,
  IP TEXT,
  LastSeen TEXT NOT NULL,
  Approved INTEGER NOT NULL DEFAULT 0,
  RFID INTEGER NOT NULL DEFAULT 0
);
-- No department existed before V4: DepartmentId starts empty.
INSERT INTO Workstations (Id, Name, Domain, ClientVersion, OS, IP, LastSeen, Approved, RFID)
  SELECT Id, Name, Domain, ClientVersion, OS, IP, LastSeen, Approved, RFID FROM Workstations_V3;
DROP TABLE Workstations_V3;
CREATE TABLE WorkstationHardwareVaultPairs (
  Id TEXT PRIMARY KEY,
  HardwareVaultId TEXT REFERENCES HardwareVaults (Id),
  WorkstationId TEXT REFERENCES Workstations (Id) ON DELETE CASCADE,
  LockProximity INTEGER NOT NULL,
  UnlockProximity INTEGER NOT NULL,
  LockTimeout INTEGER NOT NULL
);
CREATE INDEX IX_WorkstationHardwareVaultPairs_WorkstationId
  ON WorkstationHardwareVaultPairs (WorkstationId);
CREATE INDEX IX_WorkstationHardwareVaultPairs_HardwareVaultId
  ON WorkstationHardwareVaultPairs (HardwareVaultId);
`;

/**
 * Version 4 → 5: an account's password while no vault holds it yet (HES's `Accounts.Password`,
 * encrypted there; the stand-in keeps only whether one is there), so a reserve creates the
 * Create tasks HES creates for it (hes-contract.md §2.1 A1).
 */
const V5 = `
ALTER TABLE Accounts ADD COLUMN Password TEXT;
`;

export const MIGRATIONS: readonly string[] = [V1, V2, V3, V4, V5];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Forced on every start-up, as HES does for all existing profiles (hes-contract.md §1.4). */
export const STARTUP_PROFILE_FIXUP = `UPDATE HardwareVaultProfiles
  SET ButtonPairing = 1, MasterKeyPairing = 1, MasterKeyStorageAccess = 0`;
