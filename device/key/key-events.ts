// What a key tells on its own, whatever its family: button presses, a long press
// (the user cancels on the key), and changes of its state. State changes are
// updates of the one key-state model (KeyInfo): the open protocol's Battery and
// AccessChanged events and a Key 3's STATUS packets both become a KeyStateUpdate,
// applied by one rule, so notices, history and the UI stay one code path.
import {
  type AccessFlags,
  type CodeLockReason,
  type KeyInfo,
  accessFlagsToBits,
} from '../../shared/key/key-info';

export interface KeyStateUpdate {
  /** 0–100 % */
  readonly battery?: number;
  readonly access?: AccessFlags;
  readonly lockedByCode?: boolean;
  readonly lockedByPin?: boolean;
  readonly pinAttemptsRemain?: number;
  /** The rest of the lock state, from a key that tells it with the change (open protocol). */
  readonly canUnlock?: boolean;
  readonly unlockAttemptsRemain?: number;
  readonly codeLockReason?: CodeLockReason;
  readonly pinSet?: boolean;
  /** The link's signal as the key measures it (dBm). */
  readonly rssi?: number;
  /** How many other hosts hold a connection to the key now. */
  readonly otherHosts?: number;
  /**
   * The update shows only part of a change (e.g. "locked" without why): the key's
   * whole state should be read again when its queue gets to it.
   */
  readonly refresh?: boolean;
}

export type KeyEvent =
  | { readonly kind: 'button'; readonly presses: number }
  /** A long press: the user cancels what the key is doing. */
  | { readonly kind: 'longPress' }
  | { readonly kind: 'state'; readonly update: KeyStateUpdate };

/** The KeyInfo after `update`, or undefined when it changes nothing KeyInfo holds. */
export function applyStateUpdate(info: KeyInfo, update: KeyStateUpdate): KeyInfo | undefined {
  const next: KeyInfo = {
    ...info,
    ...(update.battery !== undefined ? { battery: update.battery } : {}),
    ...(update.access !== undefined ? { access: update.access } : {}),
    ...(update.lockedByCode !== undefined
      ? {
          lockedByCode: update.lockedByCode,
          // The model's rule: a key not locked by code has no code to take.
          ...(update.lockedByCode ? {} : { canUnlock: false }),
        }
      : {}),
    ...(update.lockedByPin !== undefined ? { lockedByPin: update.lockedByPin } : {}),
    ...(update.pinAttemptsRemain !== undefined
      ? { pinAttemptsRemain: update.pinAttemptsRemain }
      : {}),
    ...(update.canUnlock !== undefined ? { canUnlock: update.canUnlock } : {}),
    ...(update.unlockAttemptsRemain !== undefined
      ? { unlockAttemptsRemain: update.unlockAttemptsRemain }
      : {}),
    ...(update.codeLockReason !== undefined ? { codeLockReason: update.codeLockReason } : {}),
    ...(update.pinSet !== undefined ? { pinSet: update.pinSet } : {}),
  };
  const same =
    next.battery === info.battery &&
    accessFlagsToBits(next.access) === accessFlagsToBits(info.access) &&
    next.lockedByCode === info.lockedByCode &&
    next.canUnlock === info.canUnlock &&
    next.lockedByPin === info.lockedByPin &&
    next.pinAttemptsRemain === info.pinAttemptsRemain &&
    next.unlockAttemptsRemain === info.unlockAttemptsRemain &&
    next.codeLockReason === info.codeLockReason &&
    next.pinSet === info.pinSet;
  return same ? undefined : next;
}

/**
 * Whether an update tells the key's whole lock state: its access, both locks and the PIN
 * attempts, and, for a key locked by code, what the code lock is (whether it can still be
 * unlocked, the attempts left, why). A key not locked by code has nothing more to tell of
 * it. An open-protocol AccessChanged with its detail always qualifies; a Hideez Key 3's STATUS
 * that shows its access changing to unlocked does too.
 */
export const isWholeLockState = (update: KeyStateUpdate): boolean =>
  update.refresh !== true &&
  update.access !== undefined &&
  update.lockedByCode !== undefined &&
  update.lockedByPin !== undefined &&
  update.pinAttemptsRemain !== undefined &&
  (!update.lockedByCode ||
    (update.canUnlock !== undefined &&
      update.unlockAttemptsRemain !== undefined &&
      update.codeLockReason !== undefined));
