// When to look at the USB bus again. node-hid has no plug events and each
// enumeration walks the bus, so discovery enumerates only when something tells it
// to, and at once:
// - 'hid-nodes' (Linux): the hidraw node itself appearing, changing (udev granting
//   access) or going, seen by an inotify watch of /dev (dev-node-watch.ts);
// - 'usb-events' (elsewhere, or where /dev cannot be watched): the `usb` package's
//   connect/disconnect, followed by a short backoff of rescans while the bus shows no
//   change yet (the HID interface binds a moment after the USB device appears);
// - 'polling-fallback': neither works; a slow poll, and only while the shell asks
//   for it (a window is open).
// Idle means no timers: only the watch or the listeners, which wake nothing until a
// device comes or goes.
import type { HidNodeEventsLike, UsbEventsLike } from './hid-device-like';
import type { Loaded } from './native-loader';

export type HotPlugMode = 'starting' | 'hid-nodes' | 'usb-events' | 'polling-fallback' | 'stopped';

/** After a `usb` event, rescans at these delays (ms, each after the last) until the bus changes. */
export const USB_EVENT_RETRY_MS: readonly number[] = [20, 40, 80, 160, 320, 640];

export interface HotPlugWatcherOptions {
  /** hidraw node events (Linux); undefined where there are none. */
  readonly hidNodes: HidNodeEventsLike | undefined;
  readonly loadUsb: () => Promise<Loaded<UsbEventsLike>>;
  /** Enumerates now; true when the keys seen changed (one came or went). */
  readonly rescan: () => Promise<boolean>;
  readonly pollMs: number;
  readonly usbRetryMs?: readonly number[];
}

export class HotPlugWatcher {
  #mode: HotPlugMode = 'starting';
  #stopNodes: (() => void) | undefined;
  #usb: UsbEventsLike | undefined;
  #pollingWanted = false;
  #poll: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  /** Ends the backoff's current wait early (a newer event, or stop). */
  #wake: (() => void) | undefined;
  /** Bumped on every `usb` event: a newer event restarts the backoff. */
  #burst = 0;
  readonly #onUsbEvent = (): void => void this.#afterUsbEvent();

  constructor(private readonly options: HotPlugWatcherOptions) {}

  get mode(): HotPlugMode {
    return this.#mode;
  }

  async start(): Promise<void> {
    if (this.#watchNodes()) return;
    const usb = await this.#usableUsb();
    if (this.#mode === 'stopped') return;
    if (usb) {
      try {
        usb.addEventListener('connect', this.#onUsbEvent);
        usb.addEventListener('disconnect', this.#onUsbEvent);
        this.#usb = usb;
        this.#mode = 'usb-events';
        return;
      } catch {
        this.#removeUsbListeners(usb);
      }
    }
    this.#mode = 'polling-fallback';
    this.#updatePolling();
  }

  /** The fallback poll runs only while enabled, and only where no events are available. */
  setFallbackPolling(enabled: boolean): void {
    this.#pollingWanted = enabled;
    this.#updatePolling();
  }

  stop(): void {
    this.#mode = 'stopped';
    this.#stopNodes?.();
    this.#stopNodes = undefined;
    if (this.#usb) this.#removeUsbListeners(this.#usb);
    this.#usb = undefined;
    this.#cancelRetry();
    this.#updatePolling();
  }

  /** Ends a backoff in progress: its pending wait resolves and the loop sees it is stale. */
  #cancelRetry(): void {
    this.#burst++;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#wake?.();
    this.#wake = undefined;
  }

  #watchNodes(): boolean {
    const { hidNodes } = this.options;
    if (!hidNodes) return false;
    try {
      this.#stopNodes = hidNodes.watch(() => {
        if (this.#mode === 'hid-nodes') void this.options.rescan();
      });
    } catch {
      return false; // no /dev to watch here, or no inotify: the usb events instead
    }
    this.#mode = 'hid-nodes';
    return true;
  }

  /**
   * `usb` if it loads and can see the bus. The probe matters: `usb` starts its
   * native watcher on the first listener and, where it cannot read the bus (a
   * container without /sys/bus/usb), leaves an unhandled rejection behind.
   */
  async #usableUsb(): Promise<UsbEventsLike | undefined> {
    try {
      const loaded = await this.options.loadUsb();
      if (!loaded.ok) return undefined;
      await loaded.value.getDevices();
      return loaded.value;
    } catch {
      return undefined;
    }
  }

  #removeUsbListeners(usb: UsbEventsLike): void {
    try {
      usb.removeEventListener('connect', this.#onUsbEvent);
      usb.removeEventListener('disconnect', this.#onUsbEvent);
    } catch {
      // Nothing more to release.
    }
  }

  /** Rescan now; while the bus shows no change yet, again after each backoff step. */
  async #afterUsbEvent(): Promise<void> {
    if (this.#mode !== 'usb-events') return;
    this.#cancelRetry();
    const burst = this.#burst;
    const delays = this.options.usbRetryMs ?? USB_EVENT_RETRY_MS;
    for (let step = 0; ; step++) {
      const changed = await this.options.rescan();
      const delay = delays[step];
      if (changed || delay === undefined || burst !== this.#burst) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#retry = unref(setTimeout(resolve, delay));
      });
      if (burst !== this.#burst) return;
    }
  }

  #updatePolling(): void {
    const wanted = this.#pollingWanted && this.#mode === 'polling-fallback';
    if (wanted && !this.#poll) {
      this.#poll = unref(setInterval(() => void this.options.rescan(), this.options.pollMs));
    } else if (!wanted && this.#poll) {
      clearInterval(this.#poll);
      this.#poll = undefined;
    }
  }
}

/** Watching must never keep a process alive on its own (a CLI, a test run). */
function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}
