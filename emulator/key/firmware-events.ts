// What the firmware tells every link unasked: its events, to each listener in
// turn (a failing link must not stop the firmware or the other links), and
// AccessChanged whenever the access bits, a lock or canUnlock changed across a
// request, a server op or a press.
import { KeyEvent, type Event } from '../../device/protocol/messages';
import { accessFlagsToBits, type KeyInfo } from '../../shared/key/key-info';

export type FirmwareEventListener = (event: Event) => void;

/** What AccessChanged compares, taken before and after. */
export interface AccessSnapshot {
  readonly bits: number;
  readonly lockedByCode: boolean;
  readonly lockedByPin: boolean;
  readonly canUnlock: boolean;
}

export const accessSnapshot = (info: KeyInfo): AccessSnapshot => ({
  bits: accessFlagsToBits(info.access),
  lockedByCode: info.lockedByCode,
  lockedByPin: info.lockedByPin,
  canUnlock: info.canUnlock,
});

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
      after.canUnlock !== before.canUnlock
    ) {
      this.emit({
        event: KeyEvent.AccessChanged,
        accessBits: after.bits,
        lockedByCode: after.lockedByCode,
        lockedByPin: after.lockedByPin,
      });
    }
  }

  /** Power cut: nobody is told anything any more. */
  clear(): void {
    this.#listeners.clear();
  }
}
