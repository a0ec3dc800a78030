// The stand-in's rows as typed records (camelCase names for HES's columns, hes-contract.md §1).
import type { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';

export interface VaultRecord {
  readonly id: string;
  readonly mac: string;
  readonly model: string;
  readonly rfid: string;
  readonly battery: number;
  readonly firmware: string;
  readonly status: VaultStatus;
  readonly statusReason: VaultStatusReason;
  readonly statusDescription: string | null;
  readonly lastSynced: string | null;
  readonly needSync: boolean;
  readonly employeeId: string | null;
  /** The vault master key as 64 lowercase hex chars (HES MasterPassword with DataProtection off). */
  readonly masterPassword: string | null;
  readonly profileId: string;
  readonly importedAt: string;
  readonly timestamp: number;
  readonly hasNewLicense: boolean;
  readonly isStatusApplied: boolean;
  readonly licenseStatus: number;
  readonly licenseEndDate: string | null;
  /** Beyond HES: the factory seal secret, base64 (never logged). */
  /** The open protocol's seal secret (base64); '' for a Key 3. */
  readonly provisioningSecret: string;
  /** 'open': sealed commands; 'key3': a Hideez Key 3's own channel 4 (schema V3). */
  readonly keyFamily: 'open' | 'key3';
  /** Beyond HES: the last remote command counter used for this vault. */
  readonly remoteCounter: bigint;
}

/** The columns an action may change (identity, secret and counter have their own calls). */
export type VaultPatch = Partial<
  Pick<
    VaultRecord,
    | 'rfid'
    | 'battery'
    | 'firmware'
    | 'status'
    | 'statusReason'
    | 'statusDescription'
    | 'lastSynced'
    | 'needSync'
    | 'employeeId'
    | 'masterPassword'
    | 'profileId'
    | 'timestamp'
    | 'hasNewLicense'
    | 'licenseEndDate'
    | 'isStatusApplied'
  >
>;

export const ActivationStatus = { Pending: 0, Activated: 1, Canceled: 2 } as const;
export type ActivationStatus = (typeof ActivationStatus)[keyof typeof ActivationStatus];

export interface ActivationRecord {
  readonly id: string;
  readonly vaultId: string;
  /** The 6-digit code (HES stores it in plain text with DataProtection off). Never logged. */
  readonly code: string;
  readonly createdAt: string;
  readonly status: ActivationStatus;
}

export interface ProfileRecord {
  readonly id: string;
  readonly name: string;
  readonly buttonPairing: boolean;
  readonly buttonConnection: boolean;
  readonly buttonStorageAccess: boolean;
  readonly pinPairing: boolean;
  readonly pinConnection: boolean;
  readonly pinStorageAccess: boolean;
  readonly masterKeyPairing: boolean;
  readonly masterKeyConnection: boolean;
  readonly masterKeyStorageAccess: boolean;
  /** Seconds. */
  readonly pinExpiration: number;
  readonly pinLength: number;
  readonly pinTryCount: number;
}

export interface EmployeeRecord {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly departmentId: string | null;
  readonly lastSeen: string | null;
  readonly primaryAccountId: string | null;
}

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly login: string;
  readonly employeeId: string;
  readonly deleted: boolean;
  /** Set while the account waits for a vault to store it (HES clears it once a task has). */
  readonly password: string | null;
}

/** HES TaskOperation. */
export const TaskOperation = {
  None: 0,
  Create: 1,
  Update: 2,
  Delete: 3,
  Primary: 6,
  Profile: 7,
} as const;
export type TaskOperation = (typeof TaskOperation)[keyof typeof TaskOperation];

export interface TaskRecord {
  readonly id: string;
  readonly vaultId: string;
  readonly accountId: string | null;
  readonly operation: TaskOperation;
  readonly createdAt: string;
  readonly timestamp: number;
}

/** Name, domain, version, OS and IP are null when the client sent none (as HES stores them). */
export interface WorkstationRecord {
  readonly id: string;
  readonly name: string | null;
  readonly domain: string | null;
  readonly clientVersion: string | null;
  readonly departmentId: string | null;
  readonly os: string | null;
  readonly ip: string | null;
  readonly lastSeen: string;
  readonly approved: boolean;
  /** The RFID reader is enabled. */
  readonly rfid: boolean;
}

export interface WorkstationEventRecord {
  readonly id: string;
  /** The client's date as sent (HES does no time-zone conversion). */
  readonly date: string;
  readonly eventId: number;
  readonly severityId: number;
  readonly note: string | null;
  readonly workstationId: string;
  readonly userSession: string | null;
  readonly hardwareVaultId: string | null;
  readonly employeeId: string | null;
  readonly departmentId: string | null;
  readonly accountId: string | null;
}

/** HES SessionSwitchSubject (how a session was unlocked). */
export const SessionSwitchSubject = {
  RFID: 0,
  Dongle: 1,
  Proximity: 2,
  NonHideez: 3,
  AccessCancelled: 4,
  WinBle: 5,
} as const;
export type SessionSwitchSubject = (typeof SessionSwitchSubject)[keyof typeof SessionSwitchSubject];

export interface WorkstationSessionRecord {
  readonly id: string;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly unlockedBy: SessionSwitchSubject;
  readonly workstationId: string;
  readonly userSession: string | null;
  readonly hardwareVaultId: string | null;
  readonly employeeId: string | null;
  readonly departmentId: string | null;
  readonly accountId: string | null;
}

export interface StatusHistoryRecord {
  readonly time: string;
  readonly vaultId: string;
  readonly from: VaultStatus;
  readonly to: VaultStatus;
  readonly reason: VaultStatusReason;
  /** 'admin' or 'sync(<workstationId>)'. */
  readonly actor: string;
}

/** HardwareVaultLicenses row (hes-contract.md §1.6); Data is the blob the key stores. */
export interface LicenseRecord {
  readonly id: string;
  readonly vaultId: string;
  readonly licenseOrderId: string;
  readonly importedAt: string | null;
  readonly appliedAt: string | null;
  /** ISO date-time; null: open-ended. */
  readonly endDate: string | null;
  readonly data: Uint8Array | null;
}

/** HES VaultLicenseStatus (HardwareVaults.LicenseStatus), set by the 30-minute licence job. */
export const VaultLicenseStatus = {
  None: 0,
  Valid: 1,
  Warning: 2,
  Critical: 3,
  Expired: 4,
} as const;
export type VaultLicenseStatus = (typeof VaultLicenseStatus)[keyof typeof VaultLicenseStatus];

/** WorkstationHardwareVaultPairs row: a vault that locks/unlocks a workstation by proximity. */
export interface ProximityPairRecord {
  readonly id: string;
  readonly vaultId: string | null;
  readonly workstationId: string | null;
  readonly lockProximity: number;
  readonly unlockProximity: number;
  readonly lockTimeout: number;
}

export interface CompanyRecord {
  readonly id: string;
  readonly name: string;
}

export interface DepartmentRecord {
  readonly id: string;
  readonly name: string;
  readonly companyId: string;
}

/** HES's AlarmState (alarmstate.json): the global alarm, who set it last and when. */
export interface AlarmStateRecord {
  readonly isAlarm: boolean;
  /** The administrator's e-mail; HES writes "undefined" when it has none. */
  readonly adminName: string | null;
  /** ISO date-time (UTC); null: never set. */
  readonly date: string | null;
}

/** A profile row with its timestamps (HES's REST serialises them). */
export interface ProfileEntityRecord extends ProfileRecord {
  readonly createdAt: string;
  readonly updatedAt: string | null;
}
