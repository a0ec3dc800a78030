// USB HID discovery: which of our keys are plugged in now, and when that
// changes (hot-plug, see hot-plug-watcher.ts). Keys are reported by diffing
// successive enumerations, so a missed or duplicated event costs nothing but a
// rescan. A new Linux node the user cannot open yet (udev is still granting
// access) is reported once it can be, so the first open does not fail on a race.
// node-hid is loaded lazily; if it cannot load, USB is reported unavailable and
// nothing else happens.
import { access, constants } from 'node:fs/promises';
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type {
  DiscoveryObserver,
  LinkAvailability,
  Transport,
  TransportDescriptor,
  TransportDiscovery,
} from '../transport';
import { defaultHidNodes } from './dev-node-watch';
import type { HidNodeEventsLike, NodeHidLike, UsbEventsLike } from './hid-device-like';
import { enumerateHidKeys } from './hid-enumeration';
import { openHidTransport, type HidTransportOptions } from './hid-transport';
import { HotPlugWatcher, type HotPlugMode } from './hot-plug-watcher';
import { loadNodeHid, loadUsbEvents, type Loaded } from './native-loader';

export interface HidDiscoveryOptions {
  /** node-hid itself (default: loaded lazily), or a loader for it. */
  readonly hid?: NodeHidLike | (() => Promise<NodeHidLike>);
  /** hidraw node events (default: /dev watched on Linux, none elsewhere or when `usb` is given); null: none. */
  readonly hidNodes?: HidNodeEventsLike | null;
  /** USB plug events where there are no node events (default: the `usb` package, loaded lazily); null: none, poll only. */
  readonly usb?: UsbEventsLike | null;
  /** Fallback poll interval while enabled (default 2000 ms). */
  readonly pollMs?: number;
  /** Rescans after a `usb` event while the bus shows no change yet (default USB_EVENT_RETRY_MS). */
  readonly usbRetryMs?: readonly number[];
  /** How long a new node may stay inaccessible before it is reported anyway (default 1000 ms). */
  readonly accessGraceMs?: number;
  readonly transport?: HidTransportOptions;
}

export interface HidDiscovery extends TransportDiscovery {
  readonly link: 'usb';
  /** The shell enables the fallback poll only while a window is open. */
  setFallbackPolling(enabled: boolean): void;
  /** Enumerates now (e.g. the UI's "refresh"); resolves when observers have been told. */
  rescan(): Promise<void>;
  /** Unknown until watching has started. */
  readonly availability: LinkAvailability | undefined;
  readonly hotPlugMode: HotPlugMode;
}

const DEFAULT_POLL_MS = 2_000;
/** Long enough for udev's rules to run; past it the open's own error tells the user. */
const DEFAULT_ACCESS_GRACE_MS = 1_000;

export function createHidDiscovery(options: HidDiscoveryOptions = {}): HidDiscovery {
  return new NodeHidDiscovery(options);
}

class NodeHidDiscovery implements HidDiscovery {
  readonly link = 'usb' as const;
  readonly #observers = new Set<DiscoveryObserver>();
  readonly #known = new Map<string, TransportDescriptor>();
  #hid: Promise<Loaded<NodeHidLike>> | undefined;
  #watcher: HotPlugWatcher | undefined;
  #availability: LinkAvailability | undefined;
  #pollingWanted = false;
  /** Bumped on every start/stop so a slow enumeration from an old watch is ignored. */
  #generation = 0;
  #scan: Promise<boolean> | undefined;
  #scanAgain = false;
  /** New nodes the user cannot open yet, with when each was first seen. */
  readonly #awaitingAccess = new Map<string, number>();
  #accessRecheck: NodeJS.Timeout | undefined;

  constructor(private readonly options: HidDiscoveryOptions) {}

  get availability(): LinkAvailability | undefined {
    return this.#availability;
  }

  get hotPlugMode(): HotPlugMode {
    return this.#watcher?.mode ?? 'stopped';
  }

  watch(observer: DiscoveryObserver): () => void {
    this.#observers.add(observer);
    if (this.#availability) notify(() => observer.availability?.(this.#availability!));
    for (const descriptor of this.#known.values()) notify(() => observer.added(descriptor));
    if (this.#observers.size === 1) void this.#start();
    return () => {
      if (!this.#observers.delete(observer) || this.#observers.size > 0) return;
      this.#stop();
    };
  }

  setFallbackPolling(enabled: boolean): void {
    this.#pollingWanted = enabled;
    this.#watcher?.setFallbackPolling(enabled);
  }

  async rescan(): Promise<void> {
    await this.#rescan();
  }

  /** Enumerates (once more if asked meanwhile); true when a key came or went. */
  #rescan(): Promise<boolean> {
    if (this.#scan) {
      this.#scanAgain = true;
      return this.#scan;
    }
    this.#scan = (async () => {
      let changed = false;
      do {
        this.#scanAgain = false;
        changed = (await this.#scanOnce()) || changed;
      } while (this.#scanAgain);
      return changed;
    })().finally(() => {
      this.#scan = undefined;
    });
    return this.#scan;
  }

  async open(descriptor: TransportDescriptor): Promise<Transport> {
    const loaded = await this.#loadHid();
    if (!loaded.ok) {
      throw new DeviceError(
        DeviceErrorKind.OpenFailed,
        'USB HID is not available on this machine',
        {
          reason: 'unavailable',
        },
      );
    }
    let device;
    try {
      device = await loaded.value.HIDAsync.open(descriptor.id);
    } catch (e) {
      // Typically permissions (no udev rule) or the key was just unplugged.
      throw new DeviceError(
        DeviceErrorKind.OpenFailed,
        'The key could not be opened over USB',
        { reason: 'open' },
        { cause: e },
      );
    }
    return openHidTransport(device, descriptor, this.options.transport);
  }

  async #start(): Promise<void> {
    const generation = ++this.#generation;
    const loaded = await this.#loadHid();
    if (generation !== this.#generation) return;
    if (!loaded.ok) {
      this.#setAvailability({ link: 'usb', state: 'unavailable', detail: loaded.detail });
      return;
    }
    this.#setAvailability({ link: 'usb', state: 'ready' });
    const { usb, hidNodes } = this.options;
    const watcher = new HotPlugWatcher({
      // A caller that brings its own `usb` events (a virtual bus) brings its own nodes too.
      hidNodes:
        hidNodes === undefined
          ? usb === undefined
            ? defaultHidNodes()
            : undefined
          : (hidNodes ?? undefined),
      loadUsb: async () =>
        usb === undefined ? loadUsbEvents() : usb === null ? notLoaded : { ok: true, value: usb },
      rescan: () => this.#rescan(),
      pollMs: this.options.pollMs ?? DEFAULT_POLL_MS,
      ...(this.options.usbRetryMs ? { usbRetryMs: this.options.usbRetryMs } : {}),
    });
    this.#watcher = watcher;
    watcher.setFallbackPolling(this.#pollingWanted);
    // Listen before the first enumeration: a key plugged in between the two would
    // otherwise fire an event nobody hears, and in usb-events mode nothing polls.
    await watcher.start();
    if (generation !== this.#generation) return;
    await this.rescan();
  }

  #stop(): void {
    this.#generation++;
    this.#watcher?.stop();
    this.#watcher = undefined;
    clearTimeout(this.#accessRecheck);
    this.#accessRecheck = undefined;
    this.#awaitingAccess.clear();
    // Nobody is told about keys while nobody watches: the next watch starts fresh.
    this.#known.clear();
  }

  /** One enumeration, diffed against what observers know; true when a key came or went. */
  async #scanOnce(): Promise<boolean> {
    const generation = this.#generation;
    if (this.#observers.size === 0) return false;
    const loaded = await this.#loadHid();
    if (!loaded.ok) return false;
    let found: TransportDescriptor[];
    try {
      found = await enumerateHidKeys(loaded.value);
    } catch {
      // A failed enumeration (bus busy, device vanishing mid-walk) is transient:
      // keep what we know; the next event or poll tries again.
      return false;
    }
    const usable = await Promise.all(found.map((d) => this.#usableNow(d)));
    if (generation !== this.#generation) return false;
    const now = new Map(found.filter((_, i) => usable[i]).map((d) => [d.id, d]));
    for (const id of this.#awaitingAccess.keys()) {
      if (!found.some((d) => d.id === id)) this.#awaitingAccess.delete(id);
    }
    let changed = false;
    for (const id of [...this.#known.keys()]) {
      if (now.has(id)) continue;
      this.#known.delete(id);
      changed = true;
      this.#emit((o) => o.removed(id));
    }
    for (const [id, descriptor] of now) {
      if (this.#known.has(id)) continue;
      this.#known.set(id, descriptor);
      changed = true;
      this.#emit((o) => o.added(descriptor));
    }
    return changed;
  }

  /**
   * False for a new Linux node the user cannot open yet, for up to the grace period: the
   * kernel makes the node before udev grants access, and its node event (or the grace
   * period's one rescan) brings it back. Known keys, and paths that are not files
   * (macOS's IOService paths, Windows' device interfaces, virtual buses), are usable.
   */
  async #usableNow(descriptor: TransportDescriptor): Promise<boolean> {
    const { id } = descriptor;
    if (this.#known.has(id) || !id.startsWith('/')) return true;
    try {
      await access(id, constants.R_OK | constants.W_OK);
      this.#awaitingAccess.delete(id);
      return true;
    } catch {
      const graceMs = this.options.accessGraceMs ?? DEFAULT_ACCESS_GRACE_MS;
      const first = this.#awaitingAccess.get(id) ?? Date.now();
      const left = first + graceMs - Date.now();
      if (left <= 0) {
        this.#awaitingAccess.delete(id);
        return true; // opening it tells the user why it cannot be used
      }
      this.#awaitingAccess.set(id, first);
      clearTimeout(this.#accessRecheck);
      this.#accessRecheck = setTimeout(() => void this.#rescan(), left);
      this.#accessRecheck.unref();
      return false;
    }
  }

  #loadHid(): Promise<Loaded<NodeHidLike>> {
    this.#hid ??= loadHid(this.options.hid);
    return this.#hid;
  }

  #setAvailability(state: LinkAvailability): void {
    this.#availability = state;
    this.#emit((o) => o.availability?.(state));
  }

  #emit(call: (observer: DiscoveryObserver) => void): void {
    for (const observer of [...this.#observers]) notify(() => call(observer));
  }
}

const notLoaded: Loaded<UsbEventsLike> = { ok: false, detail: 'usb events disabled' };

async function loadHid(hid: HidDiscoveryOptions['hid']): Promise<Loaded<NodeHidLike>> {
  if (hid === undefined) return loadNodeHid();
  if (typeof hid !== 'function') return { ok: true, value: hid };
  try {
    return { ok: true, value: await hid() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, detail: `node-hid could not be loaded: ${message.split('\n')[0] ?? ''}` };
  }
}

/** An observer's bug must not stop discovery or the other observers. */
function notify(call: () => void): void {
  try {
    call();
  } catch {
    // Swallowed on purpose (see above).
  }
}
