// A settable model of the radio link between the virtual adapter and a key:
// the ATT MTU negotiated at connect, a latency added to every packet (a write
// and its response, a notification), and a minimum interval between packets
// (the BLE connection interval). Tests and benchmarks change it at will.

export interface BleLinkModel {
  /** ATT MTU negotiated at connect: 23 (20-byte fragments) up to 515. */
  readonly mtu: number;
  /** Added to every packet, in ms. */
  readonly latencyMs: number;
  /** At least this many ms between two packets on one link. */
  readonly packetIntervalMs: number;
}

export const DEFAULT_LINK_MODEL: BleLinkModel = { mtu: 23, latencyMs: 0, packetIntervalMs: 0 };

/**
 * Delivers packets of one link in order, each no earlier than its latency and
 * the packet interval allow. One queue per link keeps writes and notifications
 * in the order they were sent, as one radio connection does.
 */
export class PacketPacer {
  #queue: { due: number; run: () => void }[] = [];
  #lastDue = 0;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #stopped = false;

  constructor(private readonly model: () => BleLinkModel) {}

  push(run: () => void): void {
    if (this.#stopped) return;
    const { latencyMs, packetIntervalMs } = this.model();
    const now = Date.now();
    const due = Math.max(now + latencyMs, this.#lastDue + packetIntervalMs);
    this.#lastDue = due;
    this.#queue.push({ due, run });
    this.#schedule();
  }

  /** Drops what is still in the air (the link is gone). */
  stop(): void {
    this.#stopped = true;
    this.#queue = [];
    clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
  }

  #schedule(): void {
    if (this.#timer || this.#immediate) return;
    const next = this.#queue[0];
    if (!next) return;
    const wait = next.due - Date.now();
    if (wait <= 0) {
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#drain();
      });
    } else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#drain();
      }, wait);
    }
  }

  #drain(): void {
    const now = Date.now();
    while (!this.#stopped && this.#queue.length > 0 && (this.#queue[0]?.due ?? 0) <= now) {
      this.#queue.shift()?.run();
    }
    this.#schedule();
  }
}
