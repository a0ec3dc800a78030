// The state of the one exchange a BLE transport has in flight: its time limit
// (restarted by every KEEPALIVE), the keepalive status last told to the caller,
// and the cancel phase: after an abort or a timeout we send CANCEL and give the
// key a bounded grace to answer, so its answer never lands on the next exchange.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type { ExchangeOptions, KeepaliveStatus } from '../transport';

export type ExchangePhase = 'sending' | 'waiting' | 'cancelling';

export interface PendingHooks {
  /** Send CANCEL (called once, when cancelling starts). */
  readonly sendCancel: () => void;
  /** The key did not answer within the grace: the link is in an unknown state. */
  readonly onGraceExpired: () => void;
  /** Called once with the outcome, after which this exchange is over. */
  readonly settle: (
    outcome: { ok: true; payload: Uint8Array } | { ok: false; error: Error },
  ) => void;
}

export class PendingExchange {
  phase: ExchangePhase = 'sending';
  #cancelReason: DeviceError | undefined;
  #timer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #keepalive: KeepaliveStatus | undefined;
  #done = false;

  constructor(
    readonly answerCmd: number,
    private readonly options: ExchangeOptions,
    private readonly graceMs: number,
    private readonly hooks: PendingHooks,
  ) {
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#armTimer();
  }

  get done(): boolean {
    return this.#done;
  }

  get cancelling(): boolean {
    return this.phase === 'cancelling';
  }

  keepalive(status: KeepaliveStatus): void {
    if (this.#done || this.cancelling) return;
    this.#armTimer();
    if (status !== this.#keepalive) {
      this.#keepalive = status;
      this.options.onKeepalive?.(status);
    }
  }

  /** The key's answer (or any answer that ends a cancelled exchange). */
  answer(payload: Uint8Array): void {
    if (this.#cancelReason) this.fail(this.#cancelReason);
    else this.#finish({ ok: true, payload });
  }

  /** A link ERROR frame, a protocol error, a failed write. While cancelling, the cancel reason wins. */
  fail(error: Error): void {
    this.#finish({ ok: false, error: this.#cancelReason ?? error });
  }

  /** The link went away: Disconnected at once, whatever else was going on. */
  disconnected(error: DeviceError): void {
    this.#finish({ ok: false, error });
  }

  cancel(reason: DeviceError): void {
    if (this.#done || this.cancelling) return;
    this.phase = 'cancelling';
    this.#cancelReason = reason;
    clearTimeout(this.#timer);
    this.#graceTimer = setTimeout(() => {
      if (this.#done) return;
      this.#finish({ ok: false, error: reason });
      this.hooks.onGraceExpired();
    }, this.graceMs);
    this.hooks.sendCancel();
  }

  #armTimer(): void {
    clearTimeout(this.#timer);
    const { timeoutMs } = this.options;
    this.#timer = setTimeout(() => {
      this.cancel(
        new DeviceError(DeviceErrorKind.Timeout, 'The key did not answer in time', { timeoutMs }),
      );
    }, timeoutMs);
  }

  readonly #onAbort = (): void => {
    this.cancel(new DeviceError(DeviceErrorKind.Cancelled, 'The request was cancelled'));
  };

  #finish(outcome: { ok: true; payload: Uint8Array } | { ok: false; error: Error }): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#graceTimer);
    this.options.signal?.removeEventListener('abort', this.#onAbort);
    this.hooks.settle(outcome);
  }
}
