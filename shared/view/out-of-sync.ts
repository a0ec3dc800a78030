// When what the key says contradicts the status the server holds (the "key out of
// sync" idea of seed 004). The workflow reads `remedy`: report the key's state
// (UpdateHwVaultStatus) so the server catches up, or tell the user to ask an admin
// because no sync can fix it. Needs a server status: the stand-in's status field,
// or the one a status error implies (611 Ready, 615 Locked, 614 Compromised).
import type { KeyInfo } from '../key/key-info';
import { HesErrorCode } from '../errors/hes-error-code';
import { ObservedKeyState, observeKey } from '../vault/observed-key-state';
import { VaultStatus } from '../vault/vault-status';
import type { ServerAnswer } from './server-state';

export const OutOfSyncReason = {
  /** Active on the server, but the key is locked by PIN or code (HES will set Locked). */
  ServerActiveKeyLocked: 'serverActiveKeyLocked',
  /** Active on the server, but the key is blank (HES answers 620). */
  ServerActiveKeyBlank: 'serverActiveKeyBlank',
  /** Reserved or Suspended on the server, but the key is already unlocked (HES will set Active). */
  ServerPendingKeyUnlocked: 'serverPendingKeyUnlocked',
  /** Reserved or Suspended on the server, but the key has no code attempts left (HES will set Locked). */
  ServerPendingKeyExhausted: 'serverPendingKeyExhausted',
  /** Ready on the server, but the key is linked (HES answers 611/616). */
  ServerReadyKeyLinked: 'serverReadyKeyLinked',
  /** Locked on the server, but the key is unlocked or offers code entry. */
  ServerLockedKeyUsable: 'serverLockedKeyUsable',
  /** Deactivated on the server, but the key still holds data (HES will wipe it). */
  ServerDeactivatedKeyLinked: 'serverDeactivatedKeyLinked',
} as const;
export type OutOfSyncReason = (typeof OutOfSyncReason)[keyof typeof OutOfSyncReason];

export type OutOfSyncRemedy = 'reportStatus' | 'contactAdmin';

export interface OutOfSync {
  readonly reason: OutOfSyncReason;
  readonly serverStatus: VaultStatus;
  readonly keyState: ObservedKeyState;
  readonly remedy: OutOfSyncRemedy;
}

const statusByCode: Partial<Record<HesErrorCode, VaultStatus>> = {
  [HesErrorCode.HesDeviceNotAssignedToAnyUser]: VaultStatus.Ready,
  [HesErrorCode.HesDeviceLocked]: VaultStatus.Locked,
  [HesErrorCode.HesDeviceCompromised]: VaultStatus.Compromised,
};

/** The server's status for the key, when the answer tells it. */
export function serverStatusOf(answer: ServerAnswer): VaultStatus | undefined {
  if (answer.kind === 'none') return undefined;
  if (answer.status !== undefined) return answer.status;
  return answer.kind === 'error' ? statusByCode[answer.code] : undefined;
}

const found = (
  reason: OutOfSyncReason,
  serverStatus: VaultStatus,
  keyState: ObservedKeyState,
  remedy: OutOfSyncRemedy,
): OutOfSync => ({ reason, serverStatus, keyState, remedy });

/** The contradiction between key and server, or undefined when they agree or one side is unknown. */
export function detectOutOfSync(
  key: KeyInfo | undefined,
  answer: ServerAnswer,
): OutOfSync | undefined {
  const status = serverStatusOf(answer);
  // A key in bootloader mode reports no meaningful lock state.
  if (key === undefined || key.bootloaderMode || status === undefined) return undefined;
  const state = observeKey(key);
  const { LinkRequired, Unlocked, LockedAttemptsLeft, LockedNoAttempts } = ObservedKeyState;
  switch (status) {
    case VaultStatus.Active:
      if (state === LockedAttemptsLeft || state === LockedNoAttempts)
        return found('serverActiveKeyLocked', status, state, 'reportStatus');
      if (state === LinkRequired)
        return found('serverActiveKeyBlank', status, state, 'contactAdmin');
      return undefined;
    case VaultStatus.Reserved:
    case VaultStatus.Suspended:
      if (state === Unlocked)
        return found('serverPendingKeyUnlocked', status, state, 'reportStatus');
      if (state === LockedNoAttempts)
        return found('serverPendingKeyExhausted', status, state, 'reportStatus');
      return undefined;
    case VaultStatus.Ready:
      return state === LinkRequired
        ? undefined
        : found('serverReadyKeyLinked', status, state, 'contactAdmin');
    case VaultStatus.Locked:
      return state === Unlocked || state === LockedAttemptsLeft
        ? found('serverLockedKeyUsable', status, state, 'contactAdmin')
        : undefined;
    case VaultStatus.Deactivated:
      return state === LinkRequired
        ? undefined
        : found('serverDeactivatedKeyLinked', status, state, 'reportStatus');
    case VaultStatus.Compromised:
      return undefined;
  }
}
