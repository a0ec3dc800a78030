// The actions the state × action table (action-table.ts) has a row for: what the
// employee does at the key, what an admin does in HES, and what the server's status
// sync does when it looks at the key (hes-contract.md §2.1, §2.2).
import { ObservedKeyState } from './observed-key-state';

export const UserAction = {
  EnterActivationCode: 'enterActivationCode',
  EnterPin: 'enterPin',
  SetPin: 'setPin',
  UseAccounts: 'useAccounts',
} as const;
export type UserAction = (typeof UserAction)[keyof typeof UserAction];

export const AdminAction = {
  Reserve: 'reserve',
  Remove: 'remove',
  Suspend: 'suspend',
  Activate: 'activate',
  Compromise: 'compromise',
  ShowActivationCode: 'showActivationCode',
  ChangeProfile: 'changeProfile',
  AddAccount: 'addAccount',
  ChangeAccount: 'changeAccount',
  DeleteAccount: 'deleteAccount',
} as const;
export type AdminAction = (typeof AdminAction)[keyof typeof AdminAction];

/** One sync row per key state the server can observe (UpdateHwVaultStatus). */
export const SyncAction = {
  SyncLinkRequired: 'syncLinkRequired',
  SyncUnlocked: 'syncUnlocked',
  SyncLockedAttemptsLeft: 'syncLockedAttemptsLeft',
  SyncLockedNoAttempts: 'syncLockedNoAttempts',
} as const;
export type SyncAction = (typeof SyncAction)[keyof typeof SyncAction];

export type LifecycleAction = UserAction | AdminAction | SyncAction;
export type ActionCategory = 'user' | 'admin' | 'sync';

export interface ActionInfo {
  readonly action: LifecycleAction;
  readonly category: ActionCategory;
  /** Short label for tables. */
  readonly label: string;
  /** Where it comes from (HES action id or step), for the docs. */
  readonly source: string;
}

/** Row order of the table and the docs. */
export const LIFECYCLE_ACTIONS: readonly ActionInfo[] = [
  {
    action: 'enterActivationCode',
    category: 'user',
    label: 'Enter activation code',
    source: 'key UnlockWithCode',
  },
  { action: 'enterPin', category: 'user', label: 'Enter PIN', source: 'key EnterPin' },
  { action: 'setPin', category: 'user', label: 'Set first PIN', source: 'key SetPin' },
  { action: 'useAccounts', category: 'user', label: 'Use accounts', source: 'after authorization' },
  { action: 'reserve', category: 'admin', label: 'Reserve (assign to employee)', source: 'HES A1' },
  { action: 'remove', category: 'admin', label: 'Remove with reason', source: 'HES A2' },
  { action: 'suspend', category: 'admin', label: 'Suspend', source: 'HES A3' },
  { action: 'activate', category: 'admin', label: 'Activate', source: 'HES A4' },
  { action: 'compromise', category: 'admin', label: 'Compromise (lost/stolen)', source: 'HES A5' },
  {
    action: 'showActivationCode',
    category: 'admin',
    label: 'Show activation code',
    source: 'HES A6',
  },
  { action: 'changeProfile', category: 'admin', label: 'Change access profile', source: 'HES A7' },
  { action: 'addAccount', category: 'admin', label: 'Add account', source: 'HES accounts' },
  { action: 'changeAccount', category: 'admin', label: 'Change account', source: 'HES accounts' },
  { action: 'deleteAccount', category: 'admin', label: 'Delete account', source: 'HES accounts' },
  {
    action: 'syncLinkRequired',
    category: 'sync',
    label: 'Status sync: key blank',
    source: 'HES §2.2',
  },
  {
    action: 'syncUnlocked',
    category: 'sync',
    label: 'Status sync: key unlocked',
    source: 'HES §2.2',
  },
  {
    action: 'syncLockedAttemptsLeft',
    category: 'sync',
    label: 'Status sync: locked, code attempts left',
    source: 'HES §2.2',
  },
  {
    action: 'syncLockedNoAttempts',
    category: 'sync',
    label: 'Status sync: locked, no attempts left',
    source: 'HES §2.2',
  },
];

export const LIFECYCLE_ACTION_IDS: readonly LifecycleAction[] = LIFECYCLE_ACTIONS.map(
  (a) => a.action,
);

const infoById = new Map(LIFECYCLE_ACTIONS.map((a) => [a.action, a]));
export const actionInfo = (action: LifecycleAction): ActionInfo => {
  const info = infoById.get(action);
  if (!info) throw new TypeError(`unknown lifecycle action ${String(action)}`);
  return info;
};

const syncByObserved: Record<ObservedKeyState, SyncAction> = {
  [ObservedKeyState.LinkRequired]: SyncAction.SyncLinkRequired,
  [ObservedKeyState.Unlocked]: SyncAction.SyncUnlocked,
  [ObservedKeyState.LockedAttemptsLeft]: SyncAction.SyncLockedAttemptsLeft,
  [ObservedKeyState.LockedNoAttempts]: SyncAction.SyncLockedNoAttempts,
};
/** The sync row the server applies to a key in this observed state. */
export const syncActionFor = (observed: ObservedKeyState): SyncAction => syncByObserved[observed];
