// hes-contract.md §2.4 as the stand-in must behave: each vault status × each admin action,
// and × each state the status sync observes on the key. One table, read by the domain tests
// (test/emulator/hes/domain) and the end-to-end tests over the hubs (test/integration/hes),
// so the two levels check the same expectations.
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import type { ObservedKeyState } from '../../../shared/vault/observed-key-state';
import { VaultStatus } from '../../../shared/vault/vault-status';

const { Ready, Reserved, Active, Locked, Suspended, Deactivated, Compromised } = VaultStatus;

/** The statuses a test can put a fresh key in; Reserved and Suspended split by IsStatusApplied. */
export const STATUS_SETUPS = [
  'Ready',
  'Reserved',
  'ReservedApplied',
  'Active',
  'Locked',
  'Suspended',
  'SuspendedApplied',
  'Deactivated',
  'Compromised',
] as const;
export type StatusSetup = (typeof STATUS_SETUPS)[number];

export const STATUS_OF: Record<StatusSetup, VaultStatus> = {
  Ready: VaultStatus.Ready,
  Reserved: VaultStatus.Reserved,
  ReservedApplied: VaultStatus.Reserved,
  Active: VaultStatus.Active,
  Locked: VaultStatus.Locked,
  Suspended: VaultStatus.Suspended,
  SuspendedApplied: VaultStatus.Suspended,
  Deactivated: VaultStatus.Deactivated,
  Compromised: VaultStatus.Compromised,
};

export type AdminAction = 'reserve' | 'remove' | 'suspend' | 'activate' | 'compromise';
/** A resulting status, or the HES-named rejection. */
export type AdminExpect = VaultStatus | string;
export const CANNOT_RESERVE = 'HardwareVaultCannotReserve';
export const NO_REMOVE = 'HardwareVaultDoesNotAllowToRemove';
export const NOT_ALLOWED = 'StatusNotAllowed';
export const NO_EMPLOYEE = 'VaultHasNoEmployee';

export const ADMIN: Record<StatusSetup, Record<AdminAction, AdminExpect>> = {
  Ready: {
    reserve: Reserved,
    remove: NO_REMOVE,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: NO_EMPLOYEE,
  },
  Reserved: {
    reserve: CANNOT_RESERVE,
    remove: Ready,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  ReservedApplied: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  Active: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: Suspended,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  Locked: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: Suspended,
    compromise: Compromised,
  },
  Suspended: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  SuspendedApplied: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  Deactivated: {
    reserve: CANNOT_RESERVE,
    remove: NO_REMOVE,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: NO_EMPLOYEE,
  },
  Compromised: {
    reserve: CANNOT_RESERVE,
    remove: NO_REMOVE,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: NO_EMPLOYEE,
  },
};

export interface SyncExpect {
  /** The envelope code of UpdateHwVaultStatus. */
  readonly code: number;
  readonly status: VaultStatus;
  /** IsStatusApplied afterwards, where it matters. */
  readonly applied?: boolean;
  /** The key's state after the call. */
  readonly key?: ObservedKeyState;
}
export const same = (status: VaultStatus, code = 0): SyncExpect => ({ code, status });

export const SYNC: Record<StatusSetup, Record<ObservedKeyState, SyncExpect>> = {
  Ready: {
    linkRequired: same(Ready, 611),
    unlocked: same(Ready, 611),
    lockedAttemptsLeft: same(Ready, 611),
    lockedNoAttempts: same(Ready, 611),
  },
  Reserved: {
    linkRequired: { code: 0, status: Reserved, applied: true, key: 'lockedAttemptsLeft' },
    unlocked: { code: 0, status: Active, key: 'unlocked' },
    lockedAttemptsLeft: same(Reserved),
    lockedNoAttempts: same(Locked, 615),
  },
  ReservedApplied: {
    linkRequired: { code: 0, status: Reserved, applied: true, key: 'lockedAttemptsLeft' },
    unlocked: { code: 0, status: Active, key: 'unlocked' },
    lockedAttemptsLeft: same(Reserved),
    lockedNoAttempts: same(Locked, 615),
  },
  Active: {
    linkRequired: same(Active, 620),
    unlocked: same(Active),
    lockedAttemptsLeft: same(Locked, 615),
    lockedNoAttempts: same(Locked, 615),
  },
  Locked: {
    linkRequired: same(Locked, 615),
    unlocked: same(Locked, 615),
    lockedAttemptsLeft: same(Locked, 615),
    lockedNoAttempts: same(Locked, 615),
  },
  Suspended: {
    // HES sends LockDeviceCode whatever the key state: the blank key's refusal is the reply.
    linkRequired: {
      code: DeviceErrorCode.ERR_NOT_INITIALIZED,
      status: Suspended,
      applied: false,
      key: 'linkRequired',
    },
    unlocked: { code: 0, status: Suspended, applied: true, key: 'lockedAttemptsLeft' },
    lockedAttemptsLeft: { code: 0, status: Suspended, applied: true, key: 'lockedAttemptsLeft' },
    lockedNoAttempts: { code: 0, status: Suspended, applied: true, key: 'lockedAttemptsLeft' },
  },
  SuspendedApplied: {
    linkRequired: same(Active, 620),
    unlocked: same(Active),
    lockedAttemptsLeft: same(Suspended),
    lockedNoAttempts: same(Locked, 615),
  },
  Deactivated: {
    linkRequired: { code: 1014, status: Ready, key: 'linkRequired' },
    unlocked: { code: 1014, status: Ready, key: 'linkRequired' },
    lockedAttemptsLeft: { code: 1014, status: Ready, key: 'linkRequired' },
    lockedNoAttempts: { code: 1014, status: Ready, key: 'linkRequired' },
  },
  Compromised: {
    linkRequired: same(Compromised, 614),
    unlocked: same(Compromised, 614),
    lockedAttemptsLeft: same(Compromised, 614),
    lockedNoAttempts: same(Compromised, 614),
  },
};
