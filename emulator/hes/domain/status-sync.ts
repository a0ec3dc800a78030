// UpdateHwVaultStatus's switch (hes-contract.md §2.2), driven by the shared action table: the
// key's state as the refresh read it, classified as HES reads the SDK's flags, and the table's cell for
// (DB status × observed state) say which commands to run (Link, Access, LockDeviceCode, Wipe)
// and where the status goes. Commands run first; the database changes only after the key has
// accepted them, in one transaction.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { KeyInfo } from '../../../shared/key/key-info';
import { Effect } from '../../../shared/vault/action-table';
import type { SyncAction } from '../../../shared/vault/lifecycle-action';
import { transition } from '../../../shared/vault/lifecycle';
import { isKeyLocked, ObservedKeyState } from '../../../shared/vault/observed-key-state';
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';
import { RemoteOpCode } from '../../remote-channel/ops';
import type { HesStore } from '../store/hes-store';
import { accessParams } from './access-params';
import { ACTIVATION_CODE_ATTEMPTS, codeBytes } from './activation-code';
import { masterKeyOf } from './domain-context';
import { hesError } from './envelope';
import { hesException } from './hes-exception-text';
import { NonHideezError, NonHideezReason, NULL_REFERENCE_TEXT } from './ports';
import type { RemoteVault } from './remote-vault';
import { fullReset, setActive, writeVault, type Actor } from './vault-writes';

/**
 * The key's state as HES's switch reads it (RDCS.UpdateHardwareVaultStatusAsync): the SDK's
 * `AccessLevel.IsLinkRequired`, `IsLocked` and `IsCanUnlock` for the device, where IsCanUnlock
 * is the key's own `canUnlock`. A locked key that says it can be unlocked stays as it is,
 * whatever its PIN flag or attempt counter say.
 */
export function hesKeyState(info: KeyInfo): ObservedKeyState {
  if (info.access.linkRequired) return ObservedKeyState.LinkRequired;
  if (!isKeyLocked(info)) return ObservedKeyState.Unlocked;
  return info.canUnlock ? ObservedKeyState.LockedAttemptsLeft : ObservedKeyState.LockedNoAttempts;
}

const SYNC_ACTION: Readonly<Record<ObservedKeyState, SyncAction>> = {
  linkRequired: 'syncLinkRequired',
  unlocked: 'syncUnlocked',
  lockedAttemptsLeft: 'syncLockedAttemptsLeft',
  lockedNoAttempts: 'syncLockedNoAttempts',
};

/** Beyond HES: why the key is locked, from its own flags (HES records no reason on Locked). */
export function lockReason(info: KeyInfo, current: VaultStatusReason): VaultStatusReason {
  if (info.lockedByPin) return VaultStatusReason.LockedByInvalidPin;
  if (info.lockedByCode) return VaultStatusReason.InvalidActivationCode;
  return current;
}

export interface SyncContext {
  readonly store: HesStore;
  readonly actor: Actor;
  readonly now: () => Date;
}

/**
 * Runs the status sync for one vault on its session, from the key's refreshed `info`. Throws
 * 607 for a vault gone from the database and 1014 after a wipe.
 */
export async function syncVaultStatus(
  ctx: SyncContext,
  remote: RemoteVault,
  info: KeyInfo,
): Promise<void> {
  const { store } = ctx;
  const vault = store.vaults.get(remote.vaultId);
  if (!vault) throw hesError(HesErrorCode.HesDeviceNotFound);
  const result = transition(
    vault.status,
    { action: SYNC_ACTION[hesKeyState(info)] },
    { statusApplied: vault.isStatusApplied, reason: vault.statusReason },
  );
  if (!result.ok) {
    if (result.rejection.source === 'hes') throw hesError(result.rejection.code);
    // HES's switch has no other refusal: its default case throws this (→ 1001).
    throw new Error(`Unhandled vault status. (${vault.status})`);
  }
  const code = (): Uint8Array => {
    const pending = store.activations.pending(vault.id);
    // HES throws its HESException ActivationCodeNotFound here (→ 1001).
    if (!pending) throw hesException('ActivationCodeNotFound');
    return codeBytes(pending.code);
  };
  let after = info;
  for (const effect of result.effects) {
    switch (effect) {
      case Effect.Link:
      case Effect.LockDeviceCode:
        after = await remote.run({
          op: effect === Effect.Link ? RemoteOpCode.Link : RemoteOpCode.LockDeviceCode,
          masterKey: masterKeyOf(vault),
          code: code(),
          attempts: ACTIVATION_CODE_ATTEMPTS,
        });
        break;
      case Effect.Access: {
        const profile = store.profiles.get(vault.profileId);
        // HES's GetAccessParamsAsync reads vault.HardwareVaultProfile: a missing profile is a
        // NullReferenceException (1001); HES never raises 608 HesEmptyDeviceAccessProfile.
        if (!profile) throw new NonHideezError(NonHideezReason.NullReference, NULL_REFERENCE_TEXT);
        after = await remote.run({
          op: RemoteOpCode.Access,
          time: Math.floor(ctx.now().getTime() / 1000),
          masterKey: masterKeyOf(vault),
          profile: accessParams(profile),
        });
        break;
      }
      case Effect.Wipe:
        after = await remote.run({ op: RemoteOpCode.Wipe, masterKey: masterKeyOf(vault) });
        break;
      default:
        break;
    }
  }
  const time = ctx.now().toISOString();
  store.transaction(() => {
    const current = store.vaults.get(vault.id) ?? vault;
    if (result.effects.includes(Effect.StatusApplied)) {
      store.vaults.update(vault.id, { isStatusApplied: true });
    }
    if (result.effects.includes(Effect.FullReset)) {
      fullReset(store, current, ctx.actor, time);
    } else if (result.to === VaultStatus.Active && current.status !== VaultStatus.Active) {
      setActive(store, current, ctx.actor, time);
    } else if (result.to === VaultStatus.Locked && current.status !== VaultStatus.Locked) {
      // HES SetLocked changes only the status; the reason from the key's flags is beyond HES.
      writeVault(
        store,
        current,
        { status: VaultStatus.Locked, statusReason: lockReason(after, current.statusReason) },
        ctx.actor,
        time,
      );
    }
  });
  if (result.reply === HesErrorCode.DeviceHasBeenWiped) {
    throw hesError(HesErrorCode.DeviceHasBeenWiped);
  }
}
