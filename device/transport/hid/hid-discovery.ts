// USB HID discovery: which of our keys are plugged in now, and when that
// changes (hot-plug, see hot-plug-watcher.ts). Keys are reported by diffing
// successive enumerations, so a missed or duplicated USB event costs nothing
// but a rescan. node-hid is loaded lazily; if it cannot load, USB is reported
// unavailable and nothing else happens.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type {
  DiscoveryObserver,
  LinkAvailability,
  Transport,
  TransportDescriptor,
  TransportDiscovery,
} from '../transport';
import type { NodeHidLike, UsbEventsLike } from './hid-device-like';
import { enumerateHidKeys } from './hid-enumeration';
import { openHidTransport, type HidTransportOptions } from './hid-transport';
import { HotPlugWatcher, type HotPlugMode } from './hot-plug-watcher';
import { loadNodeHid, loadUsbEvents, type Loaded } from './native-loader';

export interface HidDiscoveryOptions {
  /** node-hid itself (default: loaded lazily), or a loader for it. */
  readonly hid?: NodeHidLike | (() => Promise<NodeHidLike>);
  /** USB plug events (default: the `usb` package, loaded lazily); null: none, poll only. */
  readonly usb?: UsbEventsLike | null;
  /** Fallback poll interval while enabled (default 2000 ms). */
  readonly pollMs?: number;
  /** Delay from a USB event to the rescan (default 500 ms); a settle rescan follows at 4x. */
  readonly debounceMs?: number;
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
const DEFAULT_DEBOUNCE_MS = 500;

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
  #scan: Promise<void> | undefined;
  #scanAgain = false;

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

  rescan(): Promise<void> {
    if (this.#scan) {
      this.#scanAgain = true;
      return this.#scan;
    }
    this.#scan = (async () => {
      do {
        this.#scanAgain = false;
        await this.#scanOnce();
      } while (this.#scanAgain);
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
    const { usb } = this.options;
    const watcher = new HotPlugWatcher({
      loadUsb: async () =>
        usb === undefined ? loadUsbEvents() : usb === null ? notLoaded : { ok: true, value: usb },
      rescan: () => void this.rescan(),
      pollMs: this.options.pollMs ?? DEFAULT_POLL_MS,
      debounceMs: this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
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
    // Nobody is told about keys while nobody watches: the next watch starts fresh.
    this.#known.clear();
  }

  async #scanOnce(): Promise<void> {
    const generation = this.#generation;
    if (this.#observers.size === 0) return;
    const loaded = await this.#loadHid();
    if (!loaded.ok) return;
    let found: TransportDescriptor[];
    try {
      found = await enumerateHidKeys(loaded.value);
    } catch {
      // A failed enumeration (bus busy, device vanishing mid-walk) is transient:
      // keep what we know; the next event or poll tries again.
      return;
    }
    if (generation !== this.#generation) return;
    const now = new Map(found.map((d) => [d.id, d]));
    for (const id of [...this.#known.keys()]) {
      if (now.has(id)) continue;
      this.#known.delete(id);
      this.#emit((o) => o.removed(id));
    }
    for (const [id, descriptor] of now) {
      if (this.#known.has(id)) continue;
      this.#known.set(id, descriptor);
      this.#emit((o) => o.added(descriptor));
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
