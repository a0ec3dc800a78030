// One pending activation is one DevicePendingUnlock audit event. The key's check runs
// again on every replug, server reconnect, re-approval and companion restart, and each
// run finds the same code lock: the history file remembers the activation the key waits
// for, so only a new one is recorded. A new one is a code lock seen after the key was
// seen without one, or with more attempts than the lowest count seen (the server's new
// code resets the count). A key unlocked and locked again while this workstation never
// saw it, with the same attempts, reads as the same activation: the key cannot tell.
import type { KeyInfo } from '../../shared/key/key-info';
import type { KeyHistory } from '../history/key-history';

const waitsForCode = (info: KeyInfo): boolean => info.lockedByCode && info.canUnlock;

/** Whether `info` starts a pending activation not seen before; remembers it either way. */
export function isNewPendingActivation(
  history: KeyHistory,
  serialNo: string,
  info: KeyInfo,
  now: () => Date,
): boolean {
  if (!waitsForCode(info)) return false;
  const known = history.pendingActivation(serialNo);
  const attemptsRemain = info.unlockAttemptsRemain;
  if (known !== undefined && attemptsRemain <= known.attemptsRemain) {
    history.setPendingActivation(serialNo, { since: known.since, attemptsRemain });
    return false;
  }
  history.setPendingActivation(serialNo, { since: now().toISOString(), attemptsRemain });
  return true;
}

/** A key no longer waiting for a code (unlocked, or out of attempts) ends its pending activation. */
export function settlePendingActivation(
  history: KeyHistory,
  serialNo: string,
  info: KeyInfo,
): void {
  if (waitsForCode(info)) {
    const known = history.pendingActivation(serialNo);
    if (known !== undefined && info.unlockAttemptsRemain < known.attemptsRemain)
      history.setPendingActivation(serialNo, {
        ...known,
        attemptsRemain: info.unlockAttemptsRemain,
      });
    return;
  }
  history.setPendingActivation(serialNo, undefined);
}
