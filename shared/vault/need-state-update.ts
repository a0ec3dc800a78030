// Whether HES asks the client to run a status sync (NeedStateUpdate,
// hes-contract.md §2.3), or the error it answers instead. The stand-in answers
// with this; the view uses it to tell a pending sync from a settled one.
import { HesErrorCode } from '../errors/hes-error-code';
import { ObservedKeyState } from './observed-key-state';
import { VaultStatus } from './vault-status';

/** The statuses HES refuses to report on: 611 Ready, 615 Locked, 614 Compromised. */
export type StatusErrorCode =
  | typeof HesErrorCode.HesDeviceNotAssignedToAnyUser
  | typeof HesErrorCode.HesDeviceLocked
  | typeof HesErrorCode.HesDeviceCompromised;

export type NeedStateUpdate =
  | { readonly ok: true; readonly needStateUpdate: boolean }
  | { readonly ok: false; readonly code: StatusErrorCode };

export function needStateUpdate(status: VaultStatus, observed: ObservedKeyState): NeedStateUpdate {
  const linkRequired = observed === ObservedKeyState.LinkRequired;
  const locked =
    observed === ObservedKeyState.LockedAttemptsLeft ||
    observed === ObservedKeyState.LockedNoAttempts;
  const cannotUnlock = observed === ObservedKeyState.LockedNoAttempts;
  switch (status) {
    case VaultStatus.Ready:
      return { ok: false, code: HesErrorCode.HesDeviceNotAssignedToAnyUser };
    case VaultStatus.Reserved:
      return { ok: true, needStateUpdate: linkRequired || !locked || cannotUnlock };
    case VaultStatus.Active:
      return { ok: true, needStateUpdate: locked };
    case VaultStatus.Locked:
      return { ok: false, code: HesErrorCode.HesDeviceLocked };
    case VaultStatus.Suspended:
      // A blank key reads as not locked, so HES says true here too (§2.3 quirk).
      return { ok: true, needStateUpdate: cannotUnlock || !locked };
    case VaultStatus.Deactivated:
      return { ok: true, needStateUpdate: true };
    case VaultStatus.Compromised:
      return { ok: false, code: HesErrorCode.HesDeviceCompromised };
  }
}
