// When what the key says contradicts the status the server holds (the "key out of
// sync" idea of seed 004): the remedy is to report the key's state (UpdateHwVaultStatus)
// so the server catches up, or to ask an admin because no sync can fix it. HES names its
// status only when it refuses to report on a key (611 Ready, 615 Locked, 614 Compromised;
// an Ok answer is by construction consistent with the key), so those are the cases.
import type { KeyInfo } from '../key/key-info';
import { ObservedKeyState, observeKey } from '../vault/observed-key-state';
import { VaultStatus } from '../vault/vault-status';
import { statusFromRefusal } from './server-status';
import type { ServerAnswer } from './server-state';

export const OutOfSyncReason = {
  /** Ready on the server, but the key is linked (HES answers 611/616). */
  ServerReadyKeyLinked: 'serverReadyKeyLinked',
  /** Locked on the server, but the key is unlocked or offers code entry. */
  ServerLockedKeyUsable: 'serverLockedKeyUsable',
} as const;
export type OutOfSyncReason = (typeof OutOfSyncReason)[keyof typeof OutOfSyncReason];

/** No status sync can fix these: the administrator must. */
export type OutOfSyncRemedy = 'contactAdmin';

export interface OutOfSync {
  readonly reason: OutOfSyncReason;
  readonly serverStatus: VaultStatus;
  readonly keyState: ObservedKeyState;
  readonly remedy: OutOfSyncRemedy;
}

/** The contradiction between key and server, or undefined when they agree or one side is unknown. */
export function detectOutOfSync(
  key: KeyInfo | undefined,
  answer: ServerAnswer,
): OutOfSync | undefined {
  const serverStatus = statusFromRefusal(answer);
  // A key in bootloader mode reports no meaningful lock state.
  if (key === undefined || key.bootloaderMode || serverStatus === undefined) return undefined;
  const keyState = observeKey(key);
  const { LinkRequired, Unlocked, LockedAttemptsLeft } = ObservedKeyState;
  if (serverStatus === VaultStatus.Ready && keyState !== LinkRequired) {
    return { reason: 'serverReadyKeyLinked', serverStatus, keyState, remedy: 'contactAdmin' };
  }
  if (
    serverStatus === VaultStatus.Locked &&
    (keyState === Unlocked || keyState === LockedAttemptsLeft)
  ) {
    return { reason: 'serverLockedKeyUsable', serverStatus, keyState, remedy: 'contactAdmin' };
  }
  return undefined;
}
