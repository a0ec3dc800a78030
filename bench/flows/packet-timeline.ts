// A packet link as time arithmetic, to price a sequence of Key 3 steps on the link
// model itself: the rule of the virtual adapter's PacketPacer (emulator/ble/link-model.ts),
// one packet per interval per link whichever way it goes, each delivered no sooner
// than the latency after it was queued. A packet queued while the link is busy waits
// for its slot, so the packets a step leaves behind (the key's STATUS, the host's
// COMMIT) delay the next step's first packet when it follows at once, and not when a
// server round trip lies between: a sum of fixed step costs would miss both.
import type { BleLinkModel } from '../../emulator/ble/link-model';
import type { Key3Message } from './key3-messages';

export type PacketLinkModel = Pick<BleLinkModel, 'latencyMs' | 'packetIntervalMs'>;

export class PacketTimeline {
  /** The time the sequence has reached (ms from its start). */
  now = 0;
  #lastDue = Number.NEGATIVE_INFINITY;

  constructor(private readonly model: PacketLinkModel) {}

  /** A packet queued at `at`: when it is delivered. */
  #slot(at: number): number {
    const due = Math.max(at + this.model.latencyMs, this.#lastDue + this.model.packetIntervalMs);
    this.#lastDue = due;
    return due;
  }

  wait(ms: number): void {
    this.now += ms;
  }

  /** GATT requests one after another, each answered within one slot. */
  gatt(requests: number): void {
    for (let i = 0; i < requests; i++) this.now = this.#slot(this.now);
  }

  /** Packets the key sends now that nobody waits for (STATUS): they only take slots. */
  keySends(count: number): void {
    for (let i = 0; i < count; i++) this.#slot(this.now);
  }

  /**
   * One request and its reply: the host's control packets and request packets, each
   * written once the one before has gone out; the key's COMMIT, reply and STATUS,
   * queued together once the request is whole; the host's COMMIT once the reply is.
   * The sequence goes on when the reply is whole.
   */
  exchange(message: Key3Message): void {
    for (let i = 0; i < message.before + message.up; i++) this.now = this.#slot(this.now);
    const received = this.now;
    this.#slot(received); // the key's COMMIT
    let replied = received;
    for (let i = 0; i < message.down; i++) replied = this.#slot(received);
    if (message.status) this.#slot(received);
    this.now = replied;
    this.#slot(replied); // the host's COMMIT
  }
}
