// A USB link between the host and the virtual key, with a settable link model:
// what a real full-speed interrupt endpoint adds (one report per polling
// interval, some latency). It looks like node-hid's HIDAsync to the transport
// and wraps the key's VirtualHidDevice, so tests and benchmarks run the real
// transport over a realistic (or a deliberately broken) cable.
import { EventEmitter } from 'node:events';
import type { VirtualHidDevice } from '../key/hid-device';

export interface HidLinkModel {
  /** Added to every report, each direction (ms). */
  readonly latencyMs: number;
  /** Minimum spacing of reports in one direction (ms): 1 for a full-speed interrupt endpoint. */
  readonly packetIntervalMs: number;
  /** The key "stops answering": its input reports are lost on the way. */
  readonly dropInput: boolean;
}

export const IDEAL_HID_LINK: HidLinkModel = { latencyMs: 0, packetIntervalMs: 0, dropInput: false };
/** A USB full-speed HID interrupt endpoint polled every 1 ms. */
export const FULL_SPEED_HID_LINK: HidLinkModel = {
  latencyMs: 1,
  packetIntervalMs: 1,
  dropInput: false,
};

/** One direction of the cable: reports leave in order, spaced and delayed by the model. */
class Lane {
  #nextSlot = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly model: () => HidLinkModel) {}

  /** Runs `deliver` when the report arrives at the far end. */
  carry(deliver: () => void): Promise<void> {
    const { latencyMs, packetIntervalMs } = this.model();
    if (latencyMs === 0 && packetIntervalMs === 0) {
      deliver();
      return Promise.resolve();
    }
    const now = performance.now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + packetIntervalMs;
    const arrival = slot + latencyMs;
    // Chained so reports arrive in order; each waits only for its own arrival time.
    const done = this.#queue.then(() => delay(arrival - performance.now())).then(deliver);
    this.#queue = done.catch(() => undefined);
    return done;
  }
}

export class HidLink extends EventEmitter {
  #model: HidLinkModel;
  #closed = false;
  readonly #out = new Lane(() => this.#model);
  readonly #in = new Lane(() => this.#model);
  readonly #onData = (report: Buffer): void => {
    if (this.#model.dropInput) return;
    void this.#in.carry(() => {
      if (!this.#closed) this.emit('data', report);
    });
  };
  readonly #onError = (error: Error): void => {
    // Unplugging is physical: the host learns at once, whatever the latency.
    if (!this.#closed && this.listenerCount('error') > 0) this.emit('error', error);
  };

  constructor(
    readonly device: VirtualHidDevice,
    model: Partial<HidLinkModel> = {},
  ) {
    super();
    this.#model = { ...IDEAL_HID_LINK, ...model };
    device.on('data', this.#onData);
    device.on('error', this.#onError);
  }

  get model(): HidLinkModel {
    return this.#model;
  }

  /** Changes the model for reports sent from now on. */
  setModel(model: Partial<HidLinkModel>): void {
    this.#model = { ...this.#model, ...model };
  }

  /** node-hid's write: resolves when the key has the report (bytes written). */
  write(data: Buffer | readonly number[]): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('Cannot write to HID device: it is closed'));
    let written: Promise<number> = Promise.resolve(0);
    const carried = this.#out.carry(() => {
      written = this.#closed
        ? Promise.reject(new Error('Cannot write to HID device: it is closed'))
        : this.device.write(data);
    });
    return carried.then(() => written);
  }

  /**
   * Closes this host's handle, as node-hid's close() does: the key itself stays
   * plugged in and can be opened again (closing the VirtualHidDevice would power
   * its USB side down).
   */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.device.off('data', this.#onData);
    this.device.off('error', this.#onError);
    this.removeAllListeners();
    return Promise.resolve();
  }
}

const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
