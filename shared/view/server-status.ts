// What the companion knows of the vault status HES holds. HES never sends the status
// (hes-contract.md §2.6: HwVaultInfoFromHesDto has no status field), so it is read from
// what HES does say: its status error codes (611 Ready, 615 Locked, 614 Compromised,
// 1014 wiped and reset to Ready), and an Ok answer without NeedStateUpdate, which HES
// gives only for the statuses its own NeedStateUpdate rule is content with given the
// key's state (shared/vault/need-state-update.ts, run backwards). A code lock HES is
// content with is Reserved (first activation) or Suspended: the key's own lock reason
// says which, or, for a key that does not say (a Hideez Key 3), whether this
// workstation has known the key activated before.
import { HesErrorCode } from '../errors/hes-error-code';
import { CodeLockReason, type KeyInfo } from '../key/key-info';
import { needStateUpdate } from '../vault/need-state-update';
import { ObservedKeyState, observeKey } from '../vault/observed-key-state';
import { VAULT_STATUSES, VaultStatus } from '../vault/vault-status';
import type { ServerAnswer } from './server-state';

/** The statuses HES refuses to report on, by the code it answers instead (§2.3). */
const STATUS_BY_REFUSAL: Readonly<Record<number, VaultStatus>> = {
  [HesErrorCode.HesDeviceNotAssignedToAnyUser]: VaultStatus.Ready,
  [HesErrorCode.HesDeviceLocked]: VaultStatus.Locked,
  [HesErrorCode.HesDeviceCompromised]: VaultStatus.Compromised,
};

/** The status HES holds as it refused to report on the key (611, 615, 614). */
export function statusFromRefusal(answer: ServerAnswer): VaultStatus | undefined {
  return answer.kind === 'error' && Object.hasOwn(STATUS_BY_REFUSAL, answer.code)
    ? STATUS_BY_REFUSAL[answer.code]
    : undefined;
}

/** The status a failed call names by its code: a refusal, or 1014 (wiped, reset to Ready). */
export function statusFromCode(answer: ServerAnswer): VaultStatus | undefined {
  if (answer.kind === 'error' && answer.code === HesErrorCode.DeviceHasBeenWiped) {
    return VaultStatus.Ready;
  }
  return statusFromRefusal(answer);
}

/**
 * Whether HES's validation of the sent report (616 / 620, §2.3) lets an answer through: a
 * blank key passes only while the vault waits for its first link (Reserved) or its wipe
 * (Deactivated); every other assigned status holds a master key, so HES answers 620.
 */
const passesValidation = (status: VaultStatus, state: ObservedKeyState): boolean =>
  state !== ObservedKeyState.LinkRequired ||
  status === VaultStatus.Reserved ||
  status === VaultStatus.Deactivated;

/** The statuses for which HES answers Ok without NeedStateUpdate about a key in this state. */
export function settledStatuses(state: ObservedKeyState): readonly VaultStatus[] {
  return VAULT_STATUSES.filter((status) => {
    const need = needStateUpdate(status, state);
    return passesValidation(status, state) && need.ok && !need.needStateUpdate;
  });
}

/** Statuses after which a new code lock is a suspension (or a re-activation), not a first activation. */
const ACTIVATED_BEFORE: ReadonlySet<VaultStatus> = new Set([
  VaultStatus.Active,
  VaultStatus.Locked,
  VaultStatus.Suspended,
]);

/** Whether the key's code lock is a suspension: its own reason, else what this workstation knew. */
export function isSuspension(
  key: Pick<KeyInfo, 'codeLockReason'>,
  lastKnown: VaultStatus | undefined,
): boolean {
  if (key.codeLockReason === CodeLockReason.Suspension) return true;
  if (key.codeLockReason === CodeLockReason.FirstActivation) return false;
  return lastKnown !== undefined && ACTIVATED_BEFORE.has(lastKnown);
}

/**
 * The server's status as far as its answer and the key's current state prove it;
 * undefined while HES is still to change it (NeedStateUpdate) or has said nothing.
 * `lastKnown`: the last status this workstation recorded for the key.
 */
export function inferServerStatus(
  answer: ServerAnswer,
  key: KeyInfo | undefined,
  lastKnown: VaultStatus | undefined,
): VaultStatus | undefined {
  if (answer.kind === 'error') return statusFromCode(answer);
  if (answer.kind !== 'ok' || answer.needStateUpdate || key === undefined || key.bootloaderMode) {
    return undefined;
  }
  const state = observeKey(key);
  const candidates = settledStatuses(state);
  if (candidates.length === 1) return candidates[0];
  if (state === ObservedKeyState.LockedAttemptsLeft) {
    return isSuspension(key, lastKnown) ? VaultStatus.Suspended : VaultStatus.Reserved;
  }
  return undefined;
}
