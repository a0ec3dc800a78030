// When to look at the USB bus again. node-hid has no plug events and each
// enumeration is costly (it walks the bus), so: the `usb` package's
// connect/disconnect events where the platform delivers them, each followed by
// a debounced rescan and a later settle rescan (the HID node appears, and gets
// its permissions, a moment after the USB device); otherwise a slow poll, and
// only while the shell asks for it (a window is open). Idle means no timers.
import type { UsbEventsLike } from './hid-device-like';
import type { Loaded } from './native-loader';

export type HotPlugMode = 'starting' | 'usb-events' | 'polling-fallback' | 'stopped';

export interface HotPlugWatcherOptions {
  readonly loadUsb: () => Promise<Loaded<UsbEventsLike>>;
  readonly rescan: () => void;
  readonly pollMs: number;
  readonly debounceMs: number;
}

export class HotPlugWatcher {
  #mode: HotPlugMode = 'starting';
  #usb: UsbEventsLike | undefined;
  #pollingWanted = false;
  #poll: NodeJS.Timeout | undefined;
  #debounce: NodeJS.Timeout[] = [];
  readonly #onUsbEvent = (): void => this.#scheduleRescans();

  constructor(private readonly options: HotPlugWatcherOptions) {}

  get mode(): HotPlugMode {
    return this.#mode;
  }

  async start(): Promise<void> {
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

  /** The fallback poll runs only while enabled, and only where usb events are unavailable. */
  setFallbackPolling(enabled: boolean): void {
    this.#pollingWanted = enabled;
    this.#updatePolling();
  }

  stop(): void {
    this.#mode = 'stopped';
    if (this.#usb) this.#removeUsbListeners(this.#usb);
    this.#usb = undefined;
    for (const timer of this.#debounce) clearTimeout(timer);
    this.#debounce = [];
    this.#updatePolling();
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

  #scheduleRescans(): void {
    if (this.#mode !== 'usb-events') return;
    for (const timer of this.#debounce) clearTimeout(timer);
    // A burst of events (one per interface) gives one rescan, then a settle rescan.
    this.#debounce = [this.options.debounceMs, this.options.debounceMs * 4].map((ms) =>
      unref(setTimeout(() => this.options.rescan(), ms)),
    );
  }

  #updatePolling(): void {
    const wanted = this.#pollingWanted && this.#mode === 'polling-fallback';
    if (wanted && !this.#poll) {
      this.#poll = unref(setInterval(() => this.options.rescan(), this.options.pollMs));
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
