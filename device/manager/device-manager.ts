// The one place the app asks for keys: it runs every discovery (each knows its
// key families), opens each key it reports through that family's driver, learns
// the key's serial number, merges a key's USB and BLE links into one key, and runs
// each key's operations one at a time (different keys, of any family, in
// parallel). See docs/architecture.md, device layer.
import { DeviceError, DeviceErrorKind } from '../errors/device-error';
import type { KeyDiscovery } from '../key/key-connection';
import type { KeyAnswer, KeyOperation } from '../key/key-operations';
import type { LinkAvailability, LinkKind } from '../transport/transport';
import { KeyNotFoundError } from './key-not-found-error';
import type { KeyRecord } from './key-record';
import { KeyRegistry } from './key-registry';
import { LinkSupervisor } from './link-supervisor';
import type { KeyRequestOptions } from './managed-key';
import {
  type DeviceManagerEventName,
  type DeviceManagerEvents,
  ManagerEvents,
} from './manager-events';

export interface DeviceManagerOptions {
  readonly discoveries: readonly KeyDiscovery[];
  /** Time limit for the GetInfo that identifies a newly opened link. Default 5 s (Hideez DefaultCommandTimeout). */
  readonly infoTimeoutMs?: number;
  /** Wait before reopening a lost link. Default 2 s (Hideez ReconnectDelay). */
  readonly reconnectDelayMs?: number;
  /** Opens tried per arrival or loss. Default 3 (as the Hideez Client's connect attempts). */
  readonly openAttempts?: number;
  /** How long a timed-out or cancelled job may take to stop before its link is reset. */
  readonly graceMs?: number;
}

export type { KeyRequestOptions } from './managed-key';

export class DeviceManager {
  readonly #events = new ManagerEvents();
  readonly #discoveries: readonly KeyDiscovery[];
  readonly #availability = new Map<LinkKind, LinkAvailability>();
  readonly #registry: KeyRegistry;
  readonly #supervisor: LinkSupervisor;
  #unwatch: (() => void)[] = [];
  #running = false;

  constructor(options: DeviceManagerOptions) {
    this.#discoveries = options.discoveries;
    const infoTimeoutMs = options.infoTimeoutMs ?? 5_000;
    this.#supervisor = new LinkSupervisor(
      {
        opening: (d) => this.#registry.opening(d),
        opened: (link) => this.#registry.attach(link),
        openFailed: (d, error, final) => this.#registry.openFailed(d, error, final),
        lost: (d, serialNo, reason) => this.#registry.lost(d, serialNo, reason),
        gone: (d) => this.#registry.gone(d),
        updated: (d, serialNo) => this.#registry.setRssi(d, serialNo),
      },
      {
        infoTimeoutMs,
        reconnectDelayMs: options.reconnectDelayMs ?? 2_000,
        openAttempts: options.openAttempts ?? 3,
      },
    );
    this.#registry = new KeyRegistry(
      {
        added: (record) => this.#events.emit('added', record),
        changed: (record) => this.#events.emit('changed', record),
        removed: (serialNo) => this.#events.emit('removed', serialNo),
        event: (serialNo, event) => this.#events.emit('event', serialNo, event),
      },
      {
        infoTimeoutMs,
        ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
        isDiscovered: (id) => this.#supervisor.isDiscovered(id),
      },
    );
    for (const discovery of this.#discoveries) {
      this.#availability.set(discovery.link, { link: discovery.link, state: 'unknown' });
    }
  }

  /** Starts every discovery. Keys present now arrive as 'added' events. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#supervisor.resume();
    for (const discovery of this.#discoveries) this.#watch(discovery);
  }

  /** Stops discovery, fails every job with Disconnected, closes every link. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    for (const unwatch of this.#unwatch.splice(0)) unwatch();
    // Jobs are cancelled on the keys before their links close, so no key is
    // left waiting for a button nobody asked about any more.
    this.#supervisor.freeze();
    await this.#registry.closeAll(
      new DeviceError(DeviceErrorKind.Disconnected, 'The device manager stopped'),
    );
    await this.#supervisor.stop();
  }

  keys(): KeyRecord[] {
    return this.#registry.records();
  }

  key(serialNo: string): KeyRecord | undefined {
    return this.#registry.get(serialNo)?.record();
  }

  /**
   * Tries the key's idle links again now (the user's "Try again" for a key that could not
   * be opened, e.g. after pressing its button to pair). False when none could be tried.
   */
  reopen(serialNo: string): boolean {
    let any = false;
    for (const id of this.#registry.linkIdsOf(serialNo)) any = this.#supervisor.reopen(id) || any;
    return any;
  }

  /** Whether each kind of link can be used on this machine. */
  availability(): LinkAvailability[] {
    return [...this.#availability.values()];
  }

  on<K extends DeviceManagerEventName>(name: K, listener: DeviceManagerEvents[K]): () => void {
    return this.#events.on(name, listener);
  }

  /**
   * Runs one operation on the key, after the key's earlier jobs (FIFO). Rejects
   * with KeyNotFoundError for an unknown serial, the family's ProtocolError for an
   * operation it refuses (before queueing), or a DeviceError (Disconnected,
   * Timeout, Cancelled, Busy, LinkError, Protocol).
   */
  request(
    serialNo: string,
    operation: KeyOperation,
    options: KeyRequestOptions,
  ): Promise<KeyAnswer> {
    const key = this.#registry.get(serialNo);
    if (!key) return Promise.reject(new KeyNotFoundError(serialNo));
    try {
      key.check(operation); // a bad operation fails now, not after the jobs before it
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('Bad request'));
    }
    return key.request(operation, options);
  }

  #watch(discovery: KeyDiscovery): void {
    try {
      this.#unwatch.push(
        discovery.watch({
          added: (descriptor) => this.#supervisor.added(discovery, descriptor),
          removed: (id) => this.#supervisor.removed(id),
          availability: (state) => this.#setAvailability(state),
        }),
      );
      // A discovery that never reports its state (USB) is usable once it watches.
      if (this.#availability.get(discovery.link)?.state === 'unknown' && discovery.link === 'usb') {
        this.#setAvailability({ link: 'usb', state: 'ready' });
      }
    } catch (error) {
      this.#setAvailability({
        link: discovery.link,
        state: 'unavailable',
        detail: error instanceof Error ? error.message : 'discovery failed to start',
      });
    }
  }

  #setAvailability(state: LinkAvailability): void {
    const before = this.#availability.get(state.link);
    if (before?.state === state.state && detailOf(before) === detailOf(state)) return;
    this.#availability.set(state.link, state);
    this.#events.emit('availability', state);
  }
}

const detailOf = (state: LinkAvailability): string | undefined =>
  'detail' in state ? state.detail : undefined;
