// The one exchange a transport has in flight, whatever the link: its time limit
// (restarted by every KEEPALIVE), the keepalive status last told to the caller,
// the caller's abort, and the cancel phase: CANCEL goes to the key, which gets a
// bounded grace to answer it, so its answer never lands on the next exchange.
// The exchange ends exactly once: with the key's answer, a failure, a timeout, a
// cancel, or the link going away (which wins at any moment). The link's framing
// stays in its transport, which tells this what the key said.
import { DeviceError, DeviceErrorKind } from '../errors/device-error';
import type { ExchangeOptions, KeepaliveStatus } from './transport';

export type ExchangeOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DeviceError };

/**
 * What a timeout does, by what the link can do about the key's late answer:
 * - 'fail': send CANCEL and fail with Timeout at once (CTAPHID re-INITs its
 *   channel before the next exchange, so a late answer is never taken for another);
 * - 'cancel': send CANCEL and wait out the grace for the key's answer, then fail
 *   with Timeout (a BLE link has nothing else to keep it off the next exchange).
 */
export type TimeoutPolicy = 'fail' | 'cancel';

export interface PendingExchangeSetup<T> {
  /** The caller's time limit, abort signal and keepalive listener. */
  readonly options: ExchangeOptions;
  /** Names the exchange in its errors ('exchange', 'ping', 'channel allocation'). */
  readonly what: string;
  /** How long a cancelled exchange waits for the key's answer to CANCEL. */
  readonly cancelGraceMs: number;
  readonly onTimeout: TimeoutPolicy;
  /** Sends the link's CANCEL; best effort, at most once. */
  readonly sendCancel: () => void;
  /** The key did not answer CANCEL within the grace (told after `settle`): the link's state is unknown. */
  readonly onGraceExpired?: () => void;
  /** Told once with the outcome; the exchange is over from then on. Never told after dispose(). */
  readonly settle: (outcome: ExchangeOutcome<T>) => void;
}

export const cancelledError = (what: string): DeviceError =>
  new DeviceError(DeviceErrorKind.Cancelled, `The ${what} was cancelled`);

export const timeoutError = (what: string, timeoutMs: number): DeviceError =>
  new DeviceError(DeviceErrorKind.Timeout, `The key did not answer the ${what} in time`, {
    timeoutMs,
  });

export class PendingExchange<T> {
  #timer: NodeJS.Timeout | undefined;
  #cancelReason: DeviceError | undefined;
  #lastStatus: KeepaliveStatus | undefined;
  #done = false;

  readonly #onAbort = (): void => this.#cancel(cancelledError(this.setup.what));

  constructor(private readonly setup: PendingExchangeSetup<T>) {
    this.#arm(setup.options.timeoutMs, () => this.#timeout());
    setup.options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Settled or disposed: nothing it is told changes anything any more. */
  get done(): boolean {
    return this.#done;
  }

  /** CANCEL went out (the caller aborted, or a timeout under 'cancel'): send nothing else. */
  get cancelling(): boolean {
    return this.#cancelReason !== undefined;
  }

  /** The key is still working: the time limit starts again; a new status is told to the caller. */
  keepalive(status: KeepaliveStatus): void {
    if (this.#done || this.cancelling) return;
    this.#arm(this.setup.options.timeoutMs, () => this.#timeout());
    if (status === this.#lastStatus) return;
    this.#lastStatus = status;
    try {
      this.setup.options.onKeepalive?.(status);
    } catch {
      // A listener's bug must not break the exchange.
    }
  }

  /** The key's answer. While cancelling it only ends the exchange, with the cancel's reason. */
  answer(value: T): void {
    if (this.#cancelReason) this.#finish({ ok: false, error: this.#cancelReason });
    else this.#finish({ ok: true, value });
  }

  /** A link error, a protocol error, a failed write. While cancelling, the cancel's reason wins. */
  fail(error: DeviceError): void {
    this.#finish({ ok: false, error: this.#cancelReason ?? error });
  }

  /** The link went away: fails with `error` at once, whatever else was going on. */
  disconnected(error: DeviceError): void {
    this.#finish({ ok: false, error });
  }

  /** Ends the exchange without an outcome (its owner has one of its own): releases the timer and the signal. */
  dispose(): void {
    if (this.#done) return;
    this.#done = true;
    this.#release();
  }

  #timeout(): void {
    if (this.#done) return;
    const error = timeoutError(this.setup.what, this.setup.options.timeoutMs);
    if (this.setup.onTimeout === 'cancel') return this.#cancel(error);
    // Ask the key to stop so its late answer does not meet the next exchange.
    this.setup.sendCancel();
    this.fail(error);
  }

  #cancel(reason: DeviceError): void {
    if (this.#done || this.cancelling) return;
    this.#cancelReason = reason;
    // Bounded: a key that never answers the CANCEL still ends the exchange.
    this.#arm(this.setup.cancelGraceMs, () => {
      if (this.#done) return;
      this.#finish({ ok: false, error: reason });
      this.setup.onGraceExpired?.();
    });
    this.setup.sendCancel();
  }

  #arm(ms: number, onExpiry: () => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(onExpiry, ms);
  }

  #finish(outcome: ExchangeOutcome<T>): void {
    if (this.#done) return;
    this.#done = true;
    this.#release();
    this.setup.settle(outcome);
  }

  #release(): void {
    clearTimeout(this.#timer);
    this.setup.options.signal?.removeEventListener('abort', this.#onAbort);
  }
}
