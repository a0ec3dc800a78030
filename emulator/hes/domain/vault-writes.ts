// Status writes shared by admin actions and the status sync: every status change goes
// through here so it always lands together with its StatusHistory row (time, reason, actor).
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';
import type { HesStore } from '../store/hes-store';
import { ActivationStatus, type VaultPatch, type VaultRecord } from '../store/records';

export type Actor = 'admin' | `sync(${string})`;
export const syncActor = (workstationId: string): Actor => `sync(${workstationId})`;

/** Writes `patch`; if the status changes, records the change. Call inside a transaction. */
export function writeVault(
  store: HesStore,
  vault: VaultRecord,
  patch: VaultPatch,
  actor: Actor,
  time: string,
): void {
  store.vaults.update(vault.id, patch);
  const to = patch.status ?? vault.status;
  if (to !== vault.status) {
    store.history.add({
      time,
      vaultId: vault.id,
      from: vault.status,
      to,
      reason: patch.statusReason ?? vault.statusReason,
      actor,
    });
  }
}

/** HES SetReadyStatusAsync (§2.2 "full reset → Ready"), with the pending code canceled. */
export function fullReset(store: HesStore, vault: VaultRecord, actor: Actor, time: string): void {
  writeVault(
    store,
    vault,
    {
      lastSynced: time,
      employeeId: null,
      masterPassword: null,
      profileId: 'default',
      status: VaultStatus.Ready,
      statusReason: VaultStatusReason.None,
      statusDescription: null,
      hasNewLicense: false,
      needSync: false,
      isStatusApplied: false,
      timestamp: 0,
    },
    actor,
    time,
  );
  store.activations.setPending(vault.id, ActivationStatus.Canceled);
}

/** HES SetActive: Active, no reason or description, the pending code Activated. */
export function setActive(store: HesStore, vault: VaultRecord, actor: Actor, time: string): void {
  writeVault(
    store,
    vault,
    { status: VaultStatus.Active, statusReason: VaultStatusReason.None, statusDescription: null },
    actor,
    time,
  );
  store.activations.setPending(vault.id, ActivationStatus.Activated);
}
