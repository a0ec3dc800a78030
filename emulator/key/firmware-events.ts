// What the firmware tells every link unasked: its events, to each listener in
// turn (a failing link must not stop the firmware or the other links), and
// AccessChanged whenever the key's lock state (access bits, locks, attempts, the
// lock's reason, whether a PIN is set) changed across a request, a server op or a
// press, with the whole of it (docs/protocol.md §6), before the request's answer.
import { KeyEvent, type Event, type LockDetail } from '../../device/protocol/messages';
import { accessFlagsToBits, type KeyInfo } from '../../shared/key/key-info';

export type FirmwareEventListener = (event: Event) => void;

/** What AccessChanged reports, taken before and after. */
export interface AccessSnapshot {
  readonly bits: number;
  readonly lockedByCode: boolean;
  readonly lockedByPin: boolean;
  readonly detail: LockDetail;
}

export const accessSnapshot = (info: KeyInfo): AccessSnapshot => ({
  bits: accessFlagsToBits(info.access),
  lockedByCode: info.lockedByCode,
  lockedByPin: info.lockedByPin,
  detail: {
    canUnlock: info.canUnlock,
    unlockAttemptsRemain: info.unlockAttemptsRemain,
    pinAttemptsRemain: info.pinAttemptsRemain,
    codeLockReason: info.codeLockReason,
    ...(info.pinSet !== undefined ? { pinSet: info.pinSet } : {}),
  },
});

const sameDetail = (a: LockDetail, b: LockDetail): boolean =>
  a.canUnlock === b.canUnlock &&
  a.unlockAttemptsRemain === b.unlockAttemptsRemain &&
  a.pinAttemptsRemain === b.pinAttemptsRemain &&
  a.codeLockReason === b.codeLockReason &&
  a.pinSet === b.pinSet;

export class FirmwareEvents {
  readonly #listeners = new Set<FirmwareEventListener>();

  on(listener: FirmwareEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: Event): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A failing link must not stop the firmware or the other links.
      }
    }
  }

  /** AccessChanged, if anything it reports differs between the two snapshots. */
  emitAccessChange(before: AccessSnapshot, after: AccessSnapshot): void {
    if (
      after.bits !== before.bits ||
      after.lockedByCode !== before.lockedByCode ||
      after.lockedByPin !== before.lockedByPin ||
      !sameDetail(after.detail, before.detail)
    ) {
      this.emit({
        event: KeyEvent.AccessChanged,
        accessBits: after.bits,
        lockedByCode: after.lockedByCode,
        lockedByPin: after.lockedByPin,
        lockDetail: after.detail,
      });
    }
  }

  /** Power cut: nobody is told anything any more. */
  clear(): void {
    this.#listeners.clear();
  }
}
