// One exchange in flight on a CTAPHID channel: its time limit (restarted by
// every KEEPALIVE), its cancellation, and the frames it is waiting for. The
// transport feeds it every frame on the channel it waits on; the exchange
// settles exactly once, and a disconnect can fail it at any moment.
import {
  CtapHidCommand,
  KeepaliveStatus as CtapKeepalive,
  type CtapHidFrame,
} from '../../protocol/ctaphid';
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type { ExchangeOptions, KeepaliveStatus } from '../transport';

interface Waiter {
  readonly match: (frame: CtapHidFrame) => boolean;
  /** Frames that do not match are ignored (an INIT wait) rather than a protocol error. */
  readonly lenient: boolean;
  readonly resolve: (frame: CtapHidFrame) => void;
}

export interface PendingExchangeHooks {
  /** Tells the key to stop (CTAPHID CANCEL); best effort. */
  sendCancel(): void;
  /** How long to wait for the key's answer to a CANCEL before giving up on it. */
  readonly cancelGraceMs: number;
  /** The transport-level label for errors (e.g. 'exchange', 'ping'). */
  readonly what: string;
}

export class PendingExchange {
  #waiter: Waiter | undefined;
  #reject: ((error: DeviceError) => void) | undefined;
  #failure: DeviceError | undefined;
  #timer: NodeJS.Timeout | undefined;
  #cancelling = false;
  #lastStatus: KeepaliveStatus | undefined;
  /** True when the key ended its part: an answer, an ERROR, or its reply to our CANCEL. */
  keyAnswered = false;

  readonly #onAbort = (): void => this.#cancel();

  constructor(
    private readonly options: ExchangeOptions,
    private readonly hooks: PendingExchangeHooks,
  ) {
    this.#arm(options.timeoutMs, () => this.#timeout());
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Throws (failing the exchange as Cancelled if needed) once it must not send more. */
  throwIfStopping(): void {
    if (this.#cancelling) this.fail(this.#cancelled());
    if (this.#failure) throw this.#failure;
  }

  /** Waits for the next frame accepted by `match`; rejects once the exchange has failed. */
  next(match: (frame: CtapHidFrame) => boolean, lenient = false): Promise<CtapHidFrame> {
    if (this.#failure) return Promise.reject(this.#failure);
    this.keyAnswered = false;
    return new Promise<CtapHidFrame>((resolve, reject) => {
      this.#reject = reject;
      this.#waiter = {
        match,
        lenient,
        resolve: (frame) => {
          this.#waiter = undefined;
          this.#reject = undefined;
          resolve(frame);
        },
      };
    });
  }

  /** A frame on the channel this exchange uses. */
  offer(frame: CtapHidFrame): void {
    if (this.#failure) return;
    if (frame.cmd === CtapHidCommand.Keepalive) return this.#keepalive(frame);
    if (this.#cancelling) {
      // Whatever the key says now ends the cancelled request: the link is clean.
      this.keyAnswered = true;
      return this.fail(this.#cancelled());
    }
    const waiter = this.#waiter;
    if (waiter?.match(frame)) {
      this.keyAnswered = true;
      return waiter.resolve(frame);
    }
    if (waiter?.lenient) return;
    this.fail(
      new DeviceError(
        DeviceErrorKind.Protocol,
        `Unexpected CTAPHID frame during ${this.hooks.what}`,
        {
          cmd: frame.cmd,
        },
      ),
    );
  }

  /** Ends the exchange with `error` (idempotent: the first failure wins). */
  fail(error: DeviceError): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#stop();
    const reject = this.#reject;
    this.#waiter = undefined;
    this.#reject = undefined;
    reject?.(error);
  }

  /** Releases the timer and the abort listener once the exchange is over. */
  dispose(): void {
    this.#stop();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.options.signal?.removeEventListener('abort', this.#onAbort);
  }

  #arm(ms: number, onExpiry: () => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(onExpiry, ms);
  }

  #keepalive(frame: CtapHidFrame): void {
    // A key that is still working (or waiting for its button) is not timed out.
    if (!this.#cancelling) this.#arm(this.options.timeoutMs, () => this.#timeout());
    const status: KeepaliveStatus =
      frame.payload[0] === CtapKeepalive.UpNeeded ? 'upNeeded' : 'processing';
    if (status === this.#lastStatus) return;
    this.#lastStatus = status;
    try {
      this.options.onKeepalive?.(status);
    } catch {
      // A listener's bug must not break the exchange.
    }
  }

  #timeout(): void {
    if (this.#failure) return;
    // Ask the key to stop so its late answer does not meet the next exchange.
    this.hooks.sendCancel();
    this.fail(
      new DeviceError(
        DeviceErrorKind.Timeout,
        `The key did not answer the ${this.hooks.what} in time`,
        {
          timeoutMs: this.options.timeoutMs,
        },
      ),
    );
  }

  #cancel(): void {
    if (this.#failure || this.#cancelling) return;
    this.#cancelling = true;
    this.hooks.sendCancel();
    // Bounded: a key that never answers the CANCEL still ends the exchange.
    this.#arm(this.hooks.cancelGraceMs, () => this.fail(this.#cancelled()));
  }

  #cancelled(): DeviceError {
    return new DeviceError(DeviceErrorKind.Cancelled, `The ${this.hooks.what} was cancelled`);
  }
}
