// What the server's status sync looks at on the key (hes-contract.md §2.2): is it
// blank, unlocked, or locked with or without activation-code attempts left. The
// lifecycle's sync rows, the HES stand-in and the view all classify a key this way.
import type { KeyInfo } from '../key/key-info';

export const ObservedKeyState = {
  /** Blank: never linked, or wiped (access bit linkRequired). */
  LinkRequired: 'linkRequired',
  /** Linked and not locked. */
  Unlocked: 'unlocked',
  /** Locked by an activation code that can still be entered. */
  LockedAttemptsLeft: 'lockedAttemptsLeft',
  /** Locked with no way for the user to unlock it: code attempts exhausted, or locked by PIN. */
  LockedNoAttempts: 'lockedNoAttempts',
} as const;
export type ObservedKeyState = (typeof ObservedKeyState)[keyof typeof ObservedKeyState];
export const OBSERVED_KEY_STATES: readonly ObservedKeyState[] = Object.values(ObservedKeyState);

/** True when the key reports itself locked in any way (HES `isLocked`). */
export const isKeyLocked = (info: KeyInfo): boolean =>
  info.lockedByCode || info.lockedByPin || info.access.locked;

/**
 * Activation-code attempts the user may still spend. `canUnlock` is the key's own verdict, so
 * a key that says it cannot unlock has none left whatever the counter says.
 */
export const codeAttemptsLeft = (info: KeyInfo): number =>
  info.lockedByCode && info.canUnlock ? Math.max(0, info.unlockAttemptsRemain) : 0;

/** Classifies a key as HES does: link-required first, then locked/can-unlock (IsLocked && IsCanUnlock). */
export function observeKey(info: KeyInfo): ObservedKeyState {
  if (info.access.linkRequired) return ObservedKeyState.LinkRequired;
  if (!isKeyLocked(info)) return ObservedKeyState.Unlocked;
  // A PIN lock is never user-recoverable, even when code attempts would remain.
  if (!info.lockedByPin && codeAttemptsLeft(info) > 0) return ObservedKeyState.LockedAttemptsLeft;
  return ObservedKeyState.LockedNoAttempts;
}
