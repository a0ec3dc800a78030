// The manager's typed events. A throwing listener must not break the manager
// or starve the other listeners, so each call is isolated.
import type { KeyEvent } from '../key/key-events';
import type { LinkAvailability } from '../transport/transport';
import type { KeyRecord } from './key-record';

export interface DeviceManagerEvents {
  /** A key appeared (its first link is opening or open). */
  added: (key: KeyRecord) => void;
  /** State, links, RSSI or info of a key changed. */
  changed: (key: KeyRecord) => void;
  /** The key is gone: no link open or opening, and discovery sees none. */
  removed: (serialNo: string) => void;
  /** An event from the key (button, long press, state change), once per key. */
  event: (serialNo: string, event: KeyEvent) => void;
  /** A kind of link became (un)usable: show it in the UI. */
  availability: (state: LinkAvailability) => void;
}

export type DeviceManagerEventName = keyof DeviceManagerEvents;

export class ManagerEvents {
  readonly #listeners: { [K in DeviceManagerEventName]: Set<DeviceManagerEvents[K]> } = {
    added: new Set(),
    changed: new Set(),
    removed: new Set(),
    event: new Set(),
    availability: new Set(),
  };

  on<K extends DeviceManagerEventName>(name: K, listener: DeviceManagerEvents[K]): () => void {
    const set = this.#listeners[name] as Set<DeviceManagerEvents[K]>;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends DeviceManagerEventName>(
    name: K,
    ...args: Parameters<DeviceManagerEvents[K]>
  ): void {
    for (const listener of [...this.#listeners[name]]) {
      try {
        (listener as (...a: Parameters<DeviceManagerEvents[K]>) => void)(...args);
      } catch {
        // A listener's bug is the listener's: the device layer carries on.
      }
    }
  }
}
