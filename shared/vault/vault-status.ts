// The hardware-vault statuses and reasons with the exact integers HES stores and
// sends (hes-contract.md §1.2). Integers cross the wire; names are for people.

export const VaultStatus = {
  Ready: 0,
  Reserved: 1,
  Active: 2,
  Locked: 3,
  Suspended: 4,
  Deactivated: 5,
  Compromised: 6,
} as const;
export type VaultStatus = (typeof VaultStatus)[keyof typeof VaultStatus];
export type VaultStatusName = keyof typeof VaultStatus;

export const VaultStatusReason = {
  None: 0,
  /** Defined by HES but never set by it: the companion infers it from the key. */
  InvalidActivationCode: 1,
  /** Defined by HES but never set by it: the companion infers it from the key. */
  LockedByInvalidPin: 2,
  Withdrawal: 3,
  Lost: 4,
  Stolen: 5,
  Broken: 6,
} as const;
export type VaultStatusReason = (typeof VaultStatusReason)[keyof typeof VaultStatusReason];
export type VaultStatusReasonName = keyof typeof VaultStatusReason;

export const VAULT_STATUSES: readonly VaultStatus[] = Object.values(VaultStatus);
export const VAULT_STATUS_REASONS: readonly VaultStatusReason[] = Object.values(VaultStatusReason);

const statusNames = Object.fromEntries(
  Object.entries(VaultStatus).map(([name, value]) => [value, name]),
) as Record<VaultStatus, VaultStatusName>;
const reasonNames = Object.fromEntries(
  Object.entries(VaultStatusReason).map(([name, value]) => [value, name]),
) as Record<VaultStatusReason, VaultStatusReasonName>;

export const vaultStatusName = (status: VaultStatus): VaultStatusName => statusNames[status];
export const vaultStatusReasonName = (reason: VaultStatusReason): VaultStatusReasonName =>
  reasonNames[reason];

export const isVaultStatus = (value: unknown): value is VaultStatus =>
  typeof value === 'number' && Object.hasOwn(statusNames, value);
export const isVaultStatusReason = (value: unknown): value is VaultStatusReason =>
  typeof value === 'number' && Object.hasOwn(reasonNames, value);
