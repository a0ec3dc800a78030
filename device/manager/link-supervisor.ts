// The life of each discovered link: open it when discovery reports it, reopen
// it after a loss while discovery still sees it (BLE link loss, a reset link),
// close it when discovery reports it gone or the manager stops. Opens are
// bounded in number so a link that cannot be opened (no permission, a broken
// key) does not loop.
import { DeviceError, DeviceErrorKind } from '../errors/device-error';
import type { KeyConnection, KeyDiscovery, OpenKeyOptions } from '../key/key-connection';
import type { TransportDescriptor } from '../transport/transport';

export interface LinkSupervisorHooks {
  /** A link starts opening; serialHint when the descriptor tells it. */
  opening(descriptor: TransportDescriptor): void;
  opened(link: KeyConnection): void;
  /** Opening failed; `final` when no more attempts follow. */
  openFailed(descriptor: TransportDescriptor, error: DeviceError, final: boolean): void;
  /** An open link went away (it may be reopened). */
  lost(descriptor: TransportDescriptor, serialNo: string, reason: DeviceError): void;
  /** Discovery no longer sees the link. */
  gone(descriptor: TransportDescriptor): void;
  /** Discovery reported the link again (e.g. a new RSSI) while it is open. */
  updated(descriptor: TransportDescriptor, serialNo: string): void;
}

export interface LinkSupervisorOptions extends Omit<OpenKeyOptions, 'signal'> {
  /** Wait before reopening a lost link (the Hideez Client's ReconnectDelay is 2 s). */
  readonly reconnectDelayMs: number;
  /** Opens tried per arrival or loss before giving up until discovery reports the link again. */
  readonly openAttempts: number;
}

interface Tracked {
  descriptor: TransportDescriptor;
  readonly discovery: KeyDiscovery;
  phase: 'idle' | 'opening' | 'open';
  open?: KeyConnection | undefined;
  stopWatching?: (() => void) | undefined;
  timer?: NodeJS.Timeout | undefined;
  abort?: AbortController | undefined;
  attempts: number;
  discovered: boolean;
  /** The key failed the authenticity check: not opened again until discovery loses it. */
  refused?: boolean;
}

export class LinkSupervisor {
  readonly #links = new Map<string, Tracked>();
  #stopped = false;

  constructor(
    private readonly hooks: LinkSupervisorHooks,
    private readonly options: LinkSupervisorOptions,
  ) {}

  /** Whether discovery currently sees the link with this id. */
  isDiscovered(id: string): boolean {
    return this.#links.get(id)?.discovered ?? false;
  }

  added(discovery: KeyDiscovery, descriptor: TransportDescriptor): void {
    if (this.#stopped) return;
    const known = this.#links.get(descriptor.id);
    if (known) {
      known.descriptor = descriptor;
      known.discovered = true;
      if (known.phase === 'open' && known.open)
        this.hooks.updated(descriptor, known.open.info.serialNo);
      if (known.phase === 'idle' && !known.timer && !known.refused) {
        known.attempts = 0;
        this.#open(known);
      }
      return;
    }
    const tracked: Tracked = {
      descriptor,
      discovery,
      phase: 'idle',
      attempts: 0,
      discovered: true,
    };
    this.#links.set(descriptor.id, tracked);
    this.#open(tracked);
  }

  /**
   * Opens an idle link again now, with a fresh count of attempts (the user says "try
   * again", e.g. after putting a Key 3 in pairing mode). False when it is open, opening
   * or no longer seen.
   */
  reopen(id: string): boolean {
    const tracked = this.#links.get(id);
    if (this.#stopped || !tracked?.discovered || tracked.phase !== 'idle') return false;
    clearTimeout(tracked.timer);
    tracked.attempts = 0;
    this.#open(tracked);
    return true;
  }

  removed(id: string): void {
    const tracked = this.#links.get(id);
    if (!tracked) return;
    tracked.discovered = false;
    clearTimeout(tracked.timer);
    tracked.timer = undefined;
    tracked.abort?.abort();
    this.#links.delete(id);
    const open = tracked.open;
    if (open) {
      this.#onLost(tracked, new DeviceError(DeviceErrorKind.Disconnected, 'The key was removed'));
      void open.close().catch(() => undefined);
    }
    this.hooks.gone(tracked.descriptor);
  }

  /** Accepts links again after stop() (the manager was started again). */
  resume(): void {
    this.#stopped = false;
  }

  /** No more opens or reopens from now on (links stay open until stop()). */
  freeze(): void {
    this.#stopped = true;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const all = [...this.#links.values()];
    this.#links.clear();
    for (const tracked of all) {
      clearTimeout(tracked.timer);
      tracked.abort?.abort();
      tracked.stopWatching?.();
    }
    const open = all.flatMap((t) => (t.open ? [t.open] : []));
    await Promise.all(open.map((key) => key.close().catch(() => undefined)));
  }

  #open(tracked: Tracked): void {
    tracked.phase = 'opening';
    tracked.timer = undefined;
    tracked.attempts += 1;
    const abort = new AbortController();
    tracked.abort = abort;
    this.hooks.opening(tracked.descriptor);
    tracked.discovery
      .open(tracked.descriptor, { infoTimeoutMs: this.options.infoTimeoutMs, signal: abort.signal })
      .then(
        (opened) => this.#onOpened(tracked, abort, opened),
        (error: unknown) => this.#onOpenFailed(tracked, abort, error),
      );
  }

  #onOpened(tracked: Tracked, abort: AbortController, opened: KeyConnection): void {
    if (
      this.#stopped ||
      abort.signal.aborted ||
      this.#links.get(tracked.descriptor.id) !== tracked
    ) {
      // Stopped or gone while opening: nobody wants this link any more.
      void opened.close();
      return;
    }
    tracked.phase = 'open';
    tracked.open = opened;
    tracked.attempts = 0;
    tracked.stopWatching = opened.onDisconnect((reason) => this.#onLost(tracked, reason));
    this.hooks.opened(opened);
    // The link may have dropped between GetInfo and here; its disconnect already fired.
    if (!opened.isOpen) {
      this.#onLost(
        tracked,
        new DeviceError(DeviceErrorKind.Disconnected, 'The link closed while it was opened'),
      );
    }
  }

  #onOpenFailed(tracked: Tracked, abort: AbortController, error: unknown): void {
    if (this.#stopped || abort.signal.aborted) return;
    tracked.phase = 'idle';
    const deviceError =
      error instanceof DeviceError
        ? error
        : new DeviceError(DeviceErrorKind.OpenFailed, 'The link could not be opened');
    // A key that failed the authenticity check is never tried again until it is seen anew.
    tracked.refused = deviceError.code === DeviceErrorKind.NotGenuine;
    const retry =
      tracked.discovered && tracked.attempts < this.options.openAttempts && !tracked.refused;
    this.hooks.openFailed(tracked.descriptor, deviceError, !retry);
    if (retry) this.#scheduleOpen(tracked);
  }

  #onLost(tracked: Tracked, reason: DeviceError): void {
    const opened = tracked.open;
    if (!opened || tracked.phase !== 'open') return;
    tracked.stopWatching?.();
    tracked.stopWatching = undefined;
    tracked.open = undefined;
    tracked.phase = 'idle';
    this.hooks.lost(tracked.descriptor, opened.info.serialNo, reason);
    if (
      !this.#stopped &&
      tracked.discovered &&
      this.#links.get(tracked.descriptor.id) === tracked
    ) {
      tracked.attempts = 0;
      this.#scheduleOpen(tracked);
    }
  }

  #scheduleOpen(tracked: Tracked): void {
    tracked.timer = setTimeout(() => this.#open(tracked), this.options.reconnectDelayMs);
  }
}
