// One exchange on a CTAPHID channel, over the shared PendingExchange
// (../pending-exchange.ts): the frames it waits for, one step at a time (an
// INIT, the request, its one retry), and whether the key ended its part, which
// tells the transport if the channel is clean or must be re-INITed. The
// transport feeds it every frame on the channel it waits on. A timeout fails
// at once: the re-INIT keeps a late answer off the next exchange.
import {
  CtapHidCommand,
  KeepaliveStatus as CtapKeepalive,
  type CtapHidFrame,
} from '../../protocol/ctaphid';
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import { cancelledError, PendingExchange } from '../pending-exchange';
import type { ExchangeOptions } from '../transport';

interface Waiter {
  readonly match: (frame: CtapHidFrame) => boolean;
  /** Frames that do not match are ignored (an INIT wait) rather than a protocol error. */
  readonly lenient: boolean;
  readonly resolve: (frame: CtapHidFrame) => void;
}

export interface CtapHidExchangeSetup {
  readonly options: ExchangeOptions;
  /** The transport-level label for errors (e.g. 'exchange', 'ping'). */
  readonly what: string;
  /** How long to wait for the key's answer to a CANCEL before giving up on it. */
  readonly cancelGraceMs: number;
  /** Tells the key to stop (CTAPHID CANCEL); best effort. */
  readonly sendCancel: () => void;
}

export class CtapHidExchange {
  readonly #pending: PendingExchange<never>;
  readonly #what: string;
  #waiter: Waiter | undefined;
  #reject: ((error: DeviceError) => void) | undefined;
  #failure: DeviceError | undefined;
  /** True when the key ended its part: an answer, an ERROR, or its reply to our CANCEL. */
  keyAnswered = false;

  constructor(setup: CtapHidExchangeSetup) {
    this.#what = setup.what;
    this.#pending = new PendingExchange<never>({
      ...setup,
      onTimeout: 'fail',
      settle: (outcome) => {
        if (!outcome.ok) this.#failed(outcome.error);
      },
    });
  }

  /** Throws (failing the exchange as Cancelled if needed) once it must not send more. */
  throwIfStopping(): void {
    if (this.#pending.cancelling) this.#pending.fail(cancelledError(this.#what));
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
    if (this.#pending.done) return;
    if (frame.cmd === CtapHidCommand.Keepalive) {
      return this.#pending.keepalive(
        frame.payload[0] === CtapKeepalive.UpNeeded ? 'upNeeded' : 'processing',
      );
    }
    if (this.#pending.cancelling) {
      // Whatever the key says now ends the cancelled request: the link is clean.
      this.keyAnswered = true;
      return this.#pending.fail(cancelledError(this.#what));
    }
    const waiter = this.#waiter;
    if (waiter?.match(frame)) {
      this.keyAnswered = true;
      return waiter.resolve(frame);
    }
    if (waiter?.lenient) return;
    this.#pending.fail(
      new DeviceError(DeviceErrorKind.Protocol, `Unexpected CTAPHID frame during ${this.#what}`, {
        cmd: frame.cmd,
      }),
    );
  }

  /** Ends the exchange with `error` (the first failure wins; while cancelling, Cancelled). */
  fail(error: DeviceError): void {
    this.#pending.fail(error);
  }

  /** The device went away: Disconnected at once, even while cancelling. */
  disconnected(error: DeviceError): void {
    this.#pending.disconnected(error);
  }

  /** Releases the timer and the abort listener once the exchange is over. */
  dispose(): void {
    this.#pending.dispose();
  }

  #failed(error: DeviceError): void {
    this.#failure = error;
    const reject = this.#reject;
    this.#waiter = undefined;
    this.#reject = undefined;
    reject?.(error);
  }
}
