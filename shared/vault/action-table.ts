// The state × action table: for every vault status and every action, whether it
// succeeds (and the status it leads to) or is rejected (and with what error). This
// is the one source of truth; lifecycle.ts answers questions about it and
// build/docs renders it into docs/lifecycle.md. Facts: hes-contract.md §2.1–§2.4,
// the HES status docs (accounts only when Active; Reserved only from Ready;
// Activate: Locked → Suspended with a new code; Compromised is terminal).
import { DeviceErrorCode } from '../errors/device-error-code';
import { HesErrorCode } from '../errors/hes-error-code';
import type { LifecycleAction } from './lifecycle-action';
import { VaultStatus, type VaultStatusName } from './vault-status';

/** Side effects of a successful action, in the server or on the key. */
export const Effect = {
  NewActivationCode: 'newActivationCode',
  ActivationCanceled: 'activationCanceled',
  ActivationActivated: 'activationActivated',
  AccountsQueued: 'accountsQueued',
  AccountsWritten: 'accountsWritten',
  TasksDeleted: 'tasksDeleted',
  ProfileTask: 'profileTask',
  KeyUnlocked: 'keyUnlocked',
  Link: 'link',
  Access: 'access',
  LockDeviceCode: 'lockDeviceCode',
  Wipe: 'wipe',
  StatusApplied: 'statusApplied',
  FullReset: 'fullReset',
} as const;
export type Effect = (typeof Effect)[keyof typeof Effect];

export const EFFECT_DESCRIPTIONS: Readonly<Record<Effect, string>> = {
  newActivationCode: 'a new 6-digit activation code (any pending one is canceled)',
  activationCanceled: 'the pending activation code is canceled',
  activationActivated: 'the pending activation code is marked used',
  accountsQueued: 'accounts wait as tasks and reach the key once it is Active',
  accountsWritten: 'the server writes the accounts to the key at the next sync',
  tasksDeleted: 'pending tasks are deleted',
  profileTask: 'a profile task applies the new access profile at the next sync',
  keyUnlocked: 'the key unlocks itself; the server learns it at the next status sync',
  link: 'sealed Link(master key, code, 3 attempts): the blank key is linked and locked by code',
  access: 'sealed Access(profile): the access profile is written to the key',
  lockDeviceCode:
    'sealed LockDeviceCode(master key, code, 3 attempts): the key is locked by the new code',
  wipe: 'sealed Wipe(master key): the key is erased',
  statusApplied: 'the server records that the status has reached the key',
  fullReset: 'employee, master key, profile and activation are reset (status Ready)',
};

/** Errors HES raises as server exceptions (not HideezErrorCodes); the client sees them only as 1001. */
export const ServerRejection = {
  HardwareVaultCannotReserve: 'HardwareVaultCannotReserve',
  /** HES spells it with a Cyrillic "В"; the ASCII name is used here. */
  HardwareVaultDoesNotAllowToRemove: 'HardwareVaultDoesNotAllowToRemove',
  /** The generic "status … is not allowed" exception. */
  StatusNotAllowed: 'StatusNotAllowed',
  /** HES has no check and fails on a vault without an employee (a NullReferenceException). */
  VaultHasNoEmployee: 'VaultHasNoEmployee',
  /** The admin UI offers the action only in other statuses. */
  NotOffered: 'NotOffered',
} as const;
export type ServerRejection = (typeof ServerRejection)[keyof typeof ServerRejection];

export type ActionRejection =
  | { readonly source: 'hes'; readonly code: HesErrorCode }
  | { readonly source: 'device'; readonly code: DeviceErrorCode }
  | { readonly source: 'server'; readonly name: ServerRejection };

export type ActionOutcome =
  | {
      readonly result: 'succeeds';
      readonly to: VaultStatus;
      readonly effects: readonly Effect[];
      /** The HideezErrorCode the client gets as the call's reply although the action took effect. */
      readonly reply?: HesErrorCode;
      readonly note?: string;
    }
  | { readonly result: 'rejected'; readonly rejection: ActionRejection; readonly note?: string };

/** Some cells depend on whether the status has already reached the key (HES IsStatusApplied). */
export type ActionCell =
  | ActionOutcome
  | {
      readonly result: 'depends';
      readonly on: 'statusApplied';
      readonly applied: ActionOutcome;
      readonly notApplied: ActionOutcome;
    };

type Extras = { readonly reply?: HesErrorCode; readonly note?: string };
const ok = (
  to: VaultStatus,
  effects: readonly Effect[] = [],
  extras: Extras = {},
): ActionOutcome => ({
  result: 'succeeds',
  to,
  effects,
  ...extras,
});
const hes = (code: HesErrorCode, note?: string): ActionOutcome => ({
  result: 'rejected',
  rejection: { source: 'hes', code },
  ...(note === undefined ? {} : { note }),
});
const device = (code: DeviceErrorCode, note?: string): ActionOutcome => ({
  result: 'rejected',
  rejection: { source: 'device', code },
  ...(note === undefined ? {} : { note }),
});
const server = (name: ServerRejection, note?: string): ActionOutcome => ({
  result: 'rejected',
  rejection: { source: 'server', name },
  ...(note === undefined ? {} : { note }),
});
const depends = (applied: ActionOutcome, notApplied: ActionOutcome): ActionCell => ({
  result: 'depends',
  on: 'statusApplied',
  applied,
  notApplied,
});

const { Ready, Reserved, Active, Locked, Suspended, Deactivated, Compromised } = VaultStatus;
type Row = Readonly<Record<VaultStatusName, ActionCell>>;

/** What the user meets at the key when the server's status forbids it. */
const userBlocked = {
  Ready: hes(HesErrorCode.HesDeviceNotAssignedToAnyUser, 'the key is blank'),
  Locked: hes(HesErrorCode.HesDeviceLocked),
  Deactivated: hes(HesErrorCode.DeviceHasBeenWiped, 'the next status sync wipes the key'),
  Compromised: hes(HesErrorCode.HesDeviceCompromised),
} as const;
const onlyWhenActive = (
  active: ActionOutcome,
  reserved: ActionCell,
  suspended: ActionCell,
): Row => ({
  ...userBlocked,
  Reserved: reserved,
  Active: active,
  Suspended: suspended,
});
const lockedByCode = device(
  DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
  'the key waits for its activation code',
);

const notAllowed = server(ServerRejection.StatusNotAllowed);
const adminOnly = (status: VaultStatusName, cell: ActionCell, otherwise: ActionCell): Row => ({
  Ready: otherwise,
  Reserved: otherwise,
  Active: otherwise,
  Locked: otherwise,
  Suspended: otherwise,
  Deactivated: otherwise,
  Compromised: otherwise,
  [status]: cell,
});

/** The sync rows share these columns: HES answers 611/615/614 and wipes Deactivated keys. */
const syncRow = (cells: Pick<Row, 'Reserved' | 'Active' | 'Suspended' | 'Deactivated'>): Row => ({
  Ready: hes(HesErrorCode.HesDeviceNotAssignedToAnyUser),
  Locked: hes(HesErrorCode.HesDeviceLocked, 'only an admin Activate leaves Locked'),
  Compromised: hes(HesErrorCode.HesDeviceCompromised),
  ...cells,
});
const wipeToReady = ok(Ready, [Effect.Wipe, Effect.FullReset], {
  reply: HesErrorCode.DeviceHasBeenWiped,
});
const toLocked = ok(Locked, [], {
  reply: HesErrorCode.HesDeviceLocked,
  note: 'the same call then answers 615',
});

export const ACTION_TABLE: Readonly<Record<LifecycleAction, Row>> = {
  enterActivationCode: {
    ...userBlocked,
    Reserved: ok(Active, [Effect.KeyUnlocked, Effect.Access, Effect.ActivationActivated], {
      note: 'Active after the next status sync; a wrong code costs one of 3 attempts',
    }),
    Active: device(DeviceErrorCode.ERR_NOT_LOCKED),
    Suspended: ok(Active, [Effect.KeyUnlocked, Effect.ActivationActivated], {
      note: 'Active after the next status sync; a wrong code costs one of 3 attempts',
    }),
  },
  enterPin: onlyWhenActive(ok(Active), lockedByCode, lockedByCode),
  setPin: onlyWhenActive(ok(Active), lockedByCode, lockedByCode),
  useAccounts: onlyWhenActive(
    ok(Active, [], { note: 'after PIN/button if the profile asks' }),
    lockedByCode,
    lockedByCode,
  ),

  reserve: adminOnly(
    'Ready',
    ok(Reserved, [Effect.NewActivationCode, Effect.AccountsQueued]),
    server(ServerRejection.HardwareVaultCannotReserve, 'Reserved only from Ready'),
  ),
  remove: {
    Ready: server(ServerRejection.HardwareVaultDoesNotAllowToRemove),
    Reserved: depends(
      ok(Deactivated, [Effect.TasksDeleted]),
      ok(Ready, [Effect.TasksDeleted, Effect.FullReset, Effect.ActivationCanceled], {
        note: 'never linked: straight back to Ready',
      }),
    ),
    Active: ok(Deactivated, [Effect.TasksDeleted]),
    Locked: ok(Deactivated, [Effect.TasksDeleted]),
    Suspended: ok(Deactivated, [Effect.TasksDeleted]),
    Deactivated: server(ServerRejection.HardwareVaultDoesNotAllowToRemove),
    Compromised: server(ServerRejection.HardwareVaultDoesNotAllowToRemove),
  },
  suspend: adminOnly('Active', ok(Suspended, [Effect.NewActivationCode]), notAllowed),
  activate: adminOnly(
    'Locked',
    ok(Suspended, [Effect.NewActivationCode], {
      note: 'not Active: the user must enter the new code',
    }),
    notAllowed,
  ),
  compromise: {
    Ready: server(ServerRejection.VaultHasNoEmployee),
    Reserved: ok(Compromised, [Effect.ActivationCanceled, Effect.TasksDeleted]),
    Active: ok(Compromised, [Effect.ActivationCanceled, Effect.TasksDeleted]),
    Locked: ok(Compromised, [Effect.ActivationCanceled, Effect.TasksDeleted]),
    Suspended: ok(Compromised, [Effect.ActivationCanceled, Effect.TasksDeleted]),
    Deactivated: server(ServerRejection.VaultHasNoEmployee),
    Compromised: server(ServerRejection.VaultHasNoEmployee, 'terminal: nothing leaves Compromised'),
  },
  showActivationCode: {
    Ready: server(ServerRejection.NotOffered),
    Reserved: ok(Reserved),
    Active: server(ServerRejection.NotOffered),
    Locked: server(ServerRejection.NotOffered, 'an admin Activate creates a new code'),
    Suspended: ok(Suspended),
    Deactivated: server(ServerRejection.NotOffered),
    Compromised: server(ServerRejection.NotOffered),
  },
  changeProfile: adminOnly('Active', ok(Active, [Effect.ProfileTask]), notAllowed),
  addAccount: {
    ...adminOnly('Active', ok(Active, [Effect.AccountsWritten]), notAllowed),
    Reserved: ok(Reserved, [Effect.AccountsQueued]),
  },
  changeAccount: adminOnly('Active', ok(Active, [Effect.AccountsWritten]), notAllowed),
  deleteAccount: adminOnly('Active', ok(Active, [Effect.AccountsWritten]), notAllowed),

  // A blank key reads as not locked. The sync itself never answers 620: the reply's info
  // check on the client's DTO does (HES ValidateAndGetHardwareVaultAsync, §2.3).
  syncLinkRequired: syncRow({
    Reserved: ok(Reserved, [Effect.Link, Effect.StatusApplied], {
      note: 'the key now asks for the code',
    }),
    Active: ok(Active, [], {
      note: 'status unchanged; a DTO that says blank then gets 620',
    }),
    Suspended: depends(
      ok(Active, [Effect.ActivationActivated], {
        note: 'HES quirk: a blank key reads as unlocked; a DTO that says blank then gets 620',
      }),
      ok(Suspended, [Effect.LockDeviceCode, Effect.StatusApplied], {
        note: 'LockDeviceCode is sent whatever the key state: a blank key refuses it, and its refusal is the reply',
      }),
    ),
    Deactivated: ok(Ready, [Effect.FullReset], {
      reply: HesErrorCode.DeviceHasBeenWiped,
      note: 'already blank: no Wipe command',
    }),
  }),
  syncUnlocked: syncRow({
    Reserved: ok(Active, [Effect.Access, Effect.ActivationActivated]),
    Active: ok(Active),
    Suspended: depends(
      ok(Active, [Effect.ActivationActivated]),
      ok(Suspended, [Effect.LockDeviceCode, Effect.StatusApplied], {
        note: 'the key now asks for the new code',
      }),
    ),
    Deactivated: wipeToReady,
  }),
  syncLockedAttemptsLeft: syncRow({
    Reserved: ok(Reserved, [], { note: 'waits for the user to enter the code' }),
    Active: toLocked,
    Suspended: depends(
      ok(Suspended, [], { note: 'waits for the user to enter the new code' }),
      ok(Suspended, [Effect.LockDeviceCode, Effect.StatusApplied]),
    ),
    Deactivated: wipeToReady,
  }),
  syncLockedNoAttempts: syncRow({
    Reserved: toLocked,
    Active: toLocked,
    Suspended: depends(toLocked, ok(Suspended, [Effect.LockDeviceCode, Effect.StatusApplied])),
    Deactivated: wipeToReady,
  }),
};
