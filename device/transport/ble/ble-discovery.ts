// Finds keys over Bluetooth LE with noble: scans for our service UUID with
// duplicates allowed (each advertisement updates the RSSI), only while the
// adapter is poweredOn, and restarts the scan when the adapter comes back.
//
// Reconnect after link loss goes through discovery: when an open link drops
// (or is closed) the key is `removed`, and the next advertisement `added`s it
// again, so the device manager opens it as on first sight. A key not heard for
// `staleAfterMs` is removed, except while we hold a link to it (a connected
// key stops advertising). `added` is sent again for a known key when its RSSI
// moves by RSSI_STEP_DBM or more: observers treat it as an update.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import { HIDEEZ_SERVICE_UUID } from '../../protocol/gatt';
import type {
  DiscoveryObserver,
  LinkAvailability,
  Transport,
  TransportDescriptor,
  TransportDiscovery,
} from '../transport';
import { availabilityOf } from './adapter-state';
import { openBleTransport, type BleLog } from './ble-transport';
import { connectGatt, DEFAULT_CONNECT_TIMEOUTS_MS } from './gatt-session';
import { loadNoble, type NobleLoad } from './noble-loader';
import type { NobleLike, PeripheralLike } from './noble-like';

export const DEFAULT_STALE_AFTER_MS = 10_000;
export const RSSI_STEP_DBM = 2;

export interface BleDiscoveryOptions {
  /** A noble instance, or how to get one (default: the lazy loader). */
  readonly noble?: NobleLike | (() => Promise<NobleLike>);
  /** One entry per connect attempt: the Hideez Client's 8 s, then 4 s. */
  readonly connectTimeoutsMs?: readonly number[];
  readonly staleAfterMs?: number;
  readonly cancelGraceMs?: number;
  readonly log?: BleLog;
}

interface Seen {
  readonly peripheral: PeripheralLike;
  descriptor: TransportDescriptor;
  lastSeen: number;
  connected: boolean;
}

export function createBleDiscovery(options: BleDiscoveryOptions = {}): TransportDiscovery & {
  /** The adapter state last seen ('unknown' before the first watch()). */
  readonly availability: LinkAvailability;
} {
  return new BleDiscovery(options);
}

class BleDiscovery implements TransportDiscovery {
  readonly link = 'ble' as const;
  availability: LinkAvailability = availabilityOf('unknown');
  readonly #observers = new Set<DiscoveryObserver>();
  readonly #seen = new Map<string, Seen>();
  #noble: Promise<NobleLoad> | undefined;
  #active: NobleLike | undefined;
  #scanning = false;
  #connecting = 0;
  #staleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BleDiscoveryOptions) {}

  watch(observer: DiscoveryObserver): () => void {
    this.#observers.add(observer);
    for (const seen of this.#seen.values()) observer.added(seen.descriptor);
    observer.availability?.(this.availability);
    if (this.#observers.size === 1) void this.#start();
    return () => {
      if (!this.#observers.delete(observer) || this.#observers.size > 0) return;
      this.#stop();
    };
  }

  async open(descriptor: TransportDescriptor): Promise<Transport> {
    const seen = this.#seen.get(descriptor.id);
    const noble = this.#active;
    if (!noble || this.availability.state !== 'ready') {
      throw new DeviceError(DeviceErrorKind.BluetoothUnavailable, 'Bluetooth is not available', {
        state: this.availability.state,
      });
    }
    if (!seen) {
      throw new DeviceError(DeviceErrorKind.OpenFailed, 'This key is not in range', {
        id: descriptor.id,
      });
    }
    if (seen.connected) {
      throw new DeviceError(DeviceErrorKind.OpenFailed, 'This key is already open', {
        id: descriptor.id,
      });
    }
    seen.connected = true;
    // Some adapters cannot connect while scanning (noble README): pause the scan.
    this.#connecting += 1;
    this.#syncScan();
    try {
      const session = await connectGatt(seen.peripheral, {
        timeoutsMs: this.options.connectTimeoutsMs ?? DEFAULT_CONNECT_TIMEOUTS_MS,
      });
      const transport = openBleTransport(session, seen.descriptor, this.#transportOptions());
      transport.onDisconnect(() => this.#forget(seen));
      return transport;
    } catch (error) {
      this.#forget(seen);
      throw error;
    } finally {
      this.#connecting -= 1;
      this.#syncScan();
    }
  }

  #transportOptions(): { cancelGraceMs?: number; log?: BleLog } {
    return {
      ...(this.options.cancelGraceMs !== undefined
        ? { cancelGraceMs: this.options.cancelGraceMs }
        : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    };
  }

  async #start(): Promise<void> {
    const load = await (this.#noble ??= this.#load());
    if (!load.ok) this.#noble = undefined; // a later watch() tries again (an adapter may appear)
    if (this.#observers.size === 0) return;
    if (!load.ok) return this.#setAvailability(load.availability);
    const noble = load.noble;
    this.#active = noble;
    noble.on('stateChange', this.#onState);
    noble.on('discover', this.#onDiscover);
    let state: string;
    try {
      state = noble.state; // noble initialises its bindings on first read
    } catch (error) {
      this.#stop();
      return this.#setAvailability({
        link: 'ble',
        state: 'unavailable',
        detail: `Bluetooth could not be started (${errorCode(error)})`,
      });
    }
    this.#onState(state);
    this.#staleTimer = setInterval(() => this.#sweep(), this.#staleAfter() / 2);
    this.#staleTimer.unref();
  }

  async #load(): Promise<NobleLoad> {
    const source = this.options.noble;
    if (source === undefined) return loadNoble();
    try {
      return { ok: true, noble: typeof source === 'function' ? await source() : source };
    } catch (error) {
      return {
        ok: false,
        availability: {
          link: 'ble',
          state: 'unavailable',
          detail: `Bluetooth could not be started (${errorCode(error)})`,
        },
      };
    }
  }

  #stop(): void {
    const noble = this.#active;
    clearInterval(this.#staleTimer);
    this.#staleTimer = undefined;
    if (!noble) return;
    noble.removeListener('stateChange', this.#onState);
    noble.removeListener('discover', this.#onDiscover);
    if (this.#scanning) noble.stopScanning();
    this.#scanning = false;
    this.#active = undefined;
    // Open transports stay with their owners; idle keys are no longer watched.
    for (const seen of [...this.#seen.values()]) if (!seen.connected) this.#forget(seen);
  }

  readonly #onState = (state: string): void => {
    this.#setAvailability(availabilityOf(state));
    if (state !== 'poweredOn') {
      // The adapter dropped every link and stopped scanning.
      this.#scanning = false;
      for (const seen of [...this.#seen.values()]) if (!seen.connected) this.#forget(seen);
    }
    this.#syncScan();
  };

  /** Scan while someone watches, the adapter is on and no connect is in progress. */
  #syncScan(): void {
    const noble = this.#active;
    if (!noble) return;
    const want =
      this.#observers.size > 0 && this.availability.state === 'ready' && this.#connecting === 0;
    if (want === this.#scanning) return;
    this.#scanning = want;
    if (want) {
      noble.startScanning([HIDEEZ_SERVICE_UUID], true, (error) => {
        if (error) {
          this.#scanning = false;
          this.options.log?.('BLE_SCAN_FAILED', { reason: errorCode(error) });
        }
      });
    } else {
      noble.stopScanning();
    }
  }

  readonly #onDiscover = (peripheral: PeripheralLike): void => {
    const uuids = peripheral.advertisement.serviceUuids ?? [];
    if (!uuids.some((uuid) => normalise(uuid) === HIDEEZ_SERVICE_UUID)) return;
    const now = Date.now();
    const known = this.#seen.get(peripheral.id);
    if (known) {
      known.lastSeen = now;
      const previous = known.descriptor.rssi ?? peripheral.rssi;
      if (Math.abs(previous - peripheral.rssi) < RSSI_STEP_DBM) return;
      known.descriptor = { ...known.descriptor, rssi: peripheral.rssi };
      return this.#emit((o) => o.added(known.descriptor));
    }
    const descriptor: TransportDescriptor = {
      id: peripheral.id,
      link: 'ble',
      name: peripheral.advertisement.localName ?? 'Hideez key',
      rssi: peripheral.rssi,
    };
    this.#seen.set(peripheral.id, { peripheral, descriptor, lastSeen: now, connected: false });
    this.#emit((o) => o.added(descriptor));
  };

  #sweep(): void {
    const oldest = Date.now() - this.#staleAfter();
    for (const seen of [...this.#seen.values()]) {
      if (!seen.connected && seen.lastSeen < oldest) this.#forget(seen);
    }
  }

  #forget(seen: Seen): void {
    if (this.#seen.get(seen.descriptor.id) !== seen) return;
    this.#seen.delete(seen.descriptor.id);
    this.#emit((o) => o.removed(seen.descriptor.id));
  }

  #setAvailability(availability: LinkAvailability): void {
    this.availability = availability;
    this.#emit((o) => o.availability?.(availability));
  }

  #emit(call: (observer: DiscoveryObserver) => void): void {
    for (const observer of [...this.#observers]) call(observer);
  }

  #staleAfter(): number {
    return this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }
}

const normalise = (uuid: string): string => uuid.toLowerCase().replaceAll('-', '');

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
