// One Bluetooth LE scanner for every key family: noble is one adapter with one
// scan, so the families cannot each run their own. It scans while someone
// watches and the adapter is poweredOn (restarting when the adapter comes
// back), hands every advertisement to `classify` (which family's key this is, if
// any), and opens a key through the family's own `open`, pausing the scan
// meanwhile (some adapters cannot connect while scanning: noble README).
//
// Reconnect after link loss goes through discovery: when an open link drops
// (or is closed) the key is `removed`, and the next advertisement `added`s it
// again, so the device manager opens it as on first sight. A key not heard for
// `staleAfterMs` is removed, except while we hold a link to it (a connected
// key stops advertising); the sweep's timer runs only while some key is seen and
// not held. `added` is sent again for a known key when its RSSI moves by
// RSSI_STEP_DBM or more: observers treat it as an update.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type { DiscoveryObserver, LinkAvailability, TransportDescriptor } from '../transport';
import { availabilityOf } from './adapter-state';
import { loadNoble, type NobleLoad } from './noble-loader';
import type { AdvertisementLike, NobleLike, PeripheralLike } from './noble-like';

export const DEFAULT_STALE_AFTER_MS = 10_000;
export const RSSI_STEP_DBM = 2;

/** Non-secret, by-code log lines (e.g. a stray fragment while idle). */
export type BleLog = (code: string, details?: Readonly<Record<string, string | number>>) => void;

export interface BleScannerOptions<K extends string> {
  /** A noble instance, or how to get one (default: the lazy loader). */
  readonly noble?: NobleLike | (() => Promise<NobleLike>);
  /** Which kind of key an advertisement announces, or undefined: not one of ours. */
  readonly classify: (advertisement: AdvertisementLike) => K | undefined;
  /**
   * Service UUIDs (noble's normalised form) to scan for; undefined scans for
   * everything, for a family recognised by its name rather than a service.
   */
  readonly scanFilter?: readonly string[];
  /** The name shown when an advertisement has none. */
  readonly defaultName?: (kind: K) => string;
  /**
   * What a key of this kind is known by before it is opened (the descriptor's serialHint),
   * when its family names keys by their address until they say their serial.
   */
  readonly provisionalIdentity?: (kind: K, peripheral: PeripheralLike) => string | undefined;
  readonly staleAfterMs?: number;
  readonly log?: BleLog;
}

interface Seen<K extends string> {
  readonly peripheral: PeripheralLike;
  readonly kind: K;
  descriptor: TransportDescriptor;
  lastSeen: number;
  connected: boolean;
}

/** What an open returns: anything that says when its link goes away. */
export interface OpenedOverBle {
  onDisconnect(listener: (reason: DeviceError) => void): () => void;
}

export class BleScanner<K extends string> {
  availability: LinkAvailability = availabilityOf('unknown');
  readonly #observers = new Set<DiscoveryObserver>();
  readonly #seen = new Map<string, Seen<K>>();
  #noble: Promise<NobleLoad> | undefined;
  #active: NobleLike | undefined;
  #scanning = false;
  #connecting = 0;
  #staleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BleScannerOptions<K>) {}

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

  /** The kind of key a descriptor announced, while the scanner knows it. */
  kindOf(id: string): K | undefined {
    return this.#seen.get(id)?.kind;
  }

  /**
   * Opens a seen key with `open` (the family's connect and set-up). The key is
   * forgotten when the opened link goes away, so the next advertisement announces it
   * afresh. When the open fails it stays seen (not connected): the device manager
   * decides whether to try again, and a key that cannot be opened does not come back
   * as a new arrival at every advertisement.
   */
  async connect<T extends OpenedOverBle>(
    descriptor: TransportDescriptor,
    open: (peripheral: PeripheralLike, descriptor: TransportDescriptor) => Promise<T>,
  ): Promise<T> {
    const seen = this.#seen.get(descriptor.id);
    if (!this.#active || this.availability.state !== 'ready') {
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
    this.#connecting += 1;
    this.#syncScan();
    try {
      const opened = await open(seen.peripheral, seen.descriptor);
      opened.onDisconnect(() => this.#forget(seen));
      return opened;
    } catch (error) {
      seen.connected = false;
      throw error;
    } finally {
      this.#connecting -= 1;
      this.#syncScan();
      this.#syncSweep();
    }
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
  }

  /**
   * The stale sweep runs only while a key is seen but not held: with no key around, or every
   * key connected (it stops advertising), nothing is timed and the process sleeps.
   */
  #syncSweep(): void {
    const wanted = [...this.#seen.values()].some((seen) => !seen.connected);
    if (wanted && !this.#staleTimer) {
      this.#staleTimer = setInterval(() => this.#sweep(), this.#staleAfter() / 2);
      this.#staleTimer.unref();
    } else if (!wanted && this.#staleTimer) {
      clearInterval(this.#staleTimer);
      this.#staleTimer = undefined;
    }
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
    // Open links stay with their owners; idle keys are no longer watched.
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
      noble.startScanning([...(this.options.scanFilter ?? [])], true, (error) => {
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
    const now = Date.now();
    const known = this.#seen.get(peripheral.id);
    if (known) {
      known.lastSeen = now;
      const previous = known.descriptor.rssi ?? peripheral.rssi;
      if (Math.abs(previous - peripheral.rssi) < RSSI_STEP_DBM) return;
      known.descriptor = { ...known.descriptor, rssi: peripheral.rssi };
      return this.#emit((o) => o.added(known.descriptor));
    }
    const kind = this.options.classify(peripheral.advertisement);
    if (kind === undefined) return;
    const identity = this.options.provisionalIdentity?.(kind, peripheral);
    const descriptor: TransportDescriptor = {
      id: peripheral.id,
      link: 'ble',
      name: peripheral.advertisement.localName ?? this.options.defaultName?.(kind) ?? 'Hideez key',
      rssi: peripheral.rssi,
      ...(identity !== undefined ? { serialHint: identity } : {}),
    };
    this.#seen.set(peripheral.id, {
      peripheral,
      kind,
      descriptor,
      lastSeen: now,
      connected: false,
    });
    this.#syncSweep();
    this.#emit((o) => o.added(descriptor));
  };

  #sweep(): void {
    const oldest = Date.now() - this.#staleAfter();
    for (const seen of [...this.#seen.values()]) {
      if (!seen.connected && seen.lastSeen < oldest) this.#forget(seen);
    }
  }

  #forget(seen: Seen<K>): void {
    if (this.#seen.get(seen.descriptor.id) !== seen) return;
    this.#seen.delete(seen.descriptor.id);
    this.#syncSweep();
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

export const normaliseUuid = (uuid: string): string => uuid.toLowerCase().replaceAll('-', '');

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
