// Messages over a Key 3's main characteristic (reference §2): a message goes out as
// 20-byte data packets on its channel, written without response; the reply comes
// back as notifications that are reassembled per channel, and the receiver of a
// message acknowledges it with COMMIT (its packet count). Control packets from the
// key are dispatched: STATUS to the state listeners, CANCEL (a long press) ends the
// exchange in flight, BUSY re-sends the request after min(1 s × attempt, 5 s) until
// the busy limit, COMMIT / PROGRESS / SHUTDOWN are recorded and otherwise ignored
// (as the vendor host does). Anything malformed is a typed ProtocolError: it fails
// the exchange waiting on that channel, or is recorded and dropped when nobody waits.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import { isProtocolError } from '../../protocol/protocol-error';
import { checkChannel } from '../protocol/channels';
import {
  classifyNotification,
  commitPacket,
  ControlCode,
  encodeMessagePackets,
  type Key3Notification,
} from '../protocol/packets';
import { PacketReassembler } from '../protocol/reassembler';
import type { Key3StatusPacket } from '../protocol/status';
import { hex, NO_TRACE, type Key3Trace } from '../trace/key3-trace';
import type { Key3GattSession } from './key3-gatt';
import { cancelled, controlName, flatten, keyCancelled, protocolFailure } from './link-errors';
import {
  BUSY_LIMIT_MS,
  BUSY_MAX_WAIT_MS,
  BUSY_STEP_MS,
  CONTROL_WRITE_TIMEOUT_MS,
  type ExchangeLimits,
  type Key3PacketLinkOptions,
} from './link-options';

export type { ExchangeLimits, Key3PacketLinkOptions } from './link-options';

interface Waiter {
  readonly channel: number;
  readonly message: Uint8Array;
  readonly reassembler: PacketReassembler;
  readonly resolve: (reply: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  readonly limits: ExchangeLimits;
  readonly startedAt: number;
  busyAttempts: number;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
}

export class Key3PacketLink {
  readonly #waiters = new Map<number, Waiter>();
  /** Reassembly of messages nobody waits for, so they are acknowledged and dropped whole. */
  readonly #strays = new Map<number, PacketReassembler>();
  readonly #statusListeners = new Set<(status: Key3StatusPacket) => void>();
  readonly #cancelListeners = new Set<() => void>();
  readonly #disconnectListeners = new Set<(reason: DeviceError) => void>();
  readonly #trace: Key3Trace;
  #closedBy: DeviceError | undefined;
  #lastStatus: Key3StatusPacket | undefined;

  constructor(
    private readonly session: Key3GattSession,
    private readonly options: Key3PacketLinkOptions = {},
  ) {
    this.#trace = options.trace ?? NO_TRACE;
    session.onNotification((bytes) => this.#onNotification(bytes));
    session.onLinkLoss(() =>
      this.#gone(
        new DeviceError(DeviceErrorKind.Disconnected, 'The Bluetooth link to the key was lost'),
      ),
    );
  }

  get isOpen(): boolean {
    return this.#closedBy === undefined && this.session.connected;
  }

  get trace(): Key3Trace {
    return this.#trace;
  }

  /**
   * The last STATUS the key sent, so a listener that comes late (the connection, made
   * after the set-up's last reply) still knows the key's state and button byte.
   */
  get lastStatus(): Key3StatusPacket | undefined {
    return this.#lastStatus;
  }

  /**
   * Sends one whole message on `channel` and resolves with the key's reply message
   * on that channel (reassembled, acknowledged). One exchange per channel at a time.
   */
  exchange(channel: number, message: Uint8Array, limits: ExchangeLimits): Promise<Uint8Array> {
    checkChannel(channel);
    if (!this.isOpen) return Promise.reject(this.#closedBy ?? this.#lost());
    if (this.#waiters.has(channel)) {
      return Promise.reject(
        new DeviceError(DeviceErrorKind.Busy, 'Another exchange is in progress on this channel', {
          channel,
        }),
      );
    }
    if (limits.signal?.aborted) return Promise.reject(cancelled());
    const packets = encodeMessagePackets(channel, message);
    return new Promise<Uint8Array>((resolve, reject) => {
      const onAbort = (): void => this.#settle(waiter, cancelled());
      const cleanup = (): void => limits.signal?.removeEventListener('abort', onAbort);
      const waiter: Waiter = {
        channel,
        message,
        reassembler: new PacketReassembler(channel, this.options.maxMessageBytes),
        resolve: (reply) => {
          cleanup();
          resolve(reply);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
        limits,
        startedAt: Date.now(),
        busyAttempts: 0,
        timer: undefined,
        done: false,
      };
      limits.signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.set(channel, waiter);
      // Armed now, not only once the packets are out: a write that never completes must not
      // hold the exchange past its time limit (the reply gets the whole limit again after).
      this.#armTimer(waiter);
      void this.#send(waiter, packets);
    });
  }

  /**
   * A control packet from the host (RESET, COMMIT, or one the server relays). Bounded like
   * any exchange: a write that never completes must not hold what comes after it.
   */
  async sendControl(packet: Uint8Array): Promise<void> {
    if (!this.isOpen) throw this.#closedBy ?? this.#lost();
    this.#trace.record({
      kind: 'control',
      dir: 'host→key',
      code: controlName(packet[1] ?? 0),
      packet: hex(packet),
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DeviceError(DeviceErrorKind.Timeout, 'A control packet could not be written', {
              timeoutMs: CONTROL_WRITE_TIMEOUT_MS,
            }),
          ),
        CONTROL_WRITE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.session.writePacket(packet), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  onStatus(listener: (status: Key3StatusPacket) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** The key's CANCEL (the user's long press). */
  onCancel(listener: () => void): () => void {
    this.#cancelListeners.add(listener);
    return () => this.#cancelListeners.delete(listener);
  }

  onDisconnect(listener: (reason: DeviceError) => void): () => void {
    if (this.#closedBy) {
      const reason = this.#closedBy;
      queueMicrotask(() => listener(reason));
      return () => undefined;
    }
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closedBy) return;
    this.#gone(
      new DeviceError(DeviceErrorKind.Disconnected, 'The link was closed', { reason: 'closed' }),
    );
    await this.session.disconnect();
  }

  async #send(waiter: Waiter, packets: readonly Uint8Array[]): Promise<void> {
    try {
      for (const packet of packets) {
        if (waiter.done) return;
        this.#trace.record({
          kind: 'data',
          dir: 'host→key',
          channel: waiter.channel,
          index: ((packet[1] ?? 0) & 0x07) * 256 + (packet[2] ?? 0),
          last: ((packet[1] ?? 0) & 0x08) !== 0,
          flag: ((packet[1] ?? 0) & 0x10) !== 0,
        });
        await this.session.writePacket(packet);
      }
      if (!waiter.done) this.#armTimer(waiter);
    } catch (error) {
      this.#settle(
        waiter,
        error instanceof DeviceError
          ? error
          : new DeviceError(
              DeviceErrorKind.LinkError,
              'Writing to the key failed',
              { reason: 'write' },
              { cause: error },
            ),
      );
    }
  }

  #armTimer(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const { timeoutMs } = waiter.limits;
    waiter.timer = setTimeout(() => {
      this.#settle(
        waiter,
        new DeviceError(DeviceErrorKind.Timeout, 'The key did not answer in time', { timeoutMs }),
      );
    }, timeoutMs);
  }

  #settle(waiter: Waiter, outcome: Uint8Array | Error): void {
    if (waiter.done) return;
    waiter.done = true;
    clearTimeout(waiter.timer);
    if (this.#waiters.get(waiter.channel) === waiter) this.#waiters.delete(waiter.channel);
    if (outcome instanceof Error) waiter.reject(outcome);
    else waiter.resolve(outcome);
  }

  #onNotification(bytes: Uint8Array): void {
    let notification: Key3Notification;
    try {
      notification = classifyNotification(bytes);
    } catch (error) {
      this.#refused(error, bytes);
      return;
    }
    switch (notification.kind) {
      case 'ignored':
        return;
      case 'data':
        return this.#onData(notification);
      case 'control':
        return this.#onControl(notification, bytes);
    }
  }

  #onData(packet: Extract<Key3Notification, { kind: 'data' }>): void {
    this.#trace.record({
      kind: 'data',
      dir: 'key→host',
      channel: packet.channel,
      index: packet.index,
      last: packet.last,
      flag: packet.flag,
    });
    const waiter = this.#waiters.get(packet.channel);
    const reassembler = waiter?.reassembler ?? this.#stray(packet.channel);
    let message: Uint8Array | undefined;
    try {
      message = reassembler.push(packet);
    } catch (error) {
      if (waiter) this.#settle(waiter, protocolFailure(error, 'The key sent a malformed packet'));
      else this.#refused(error);
      return;
    }
    if (message === undefined) return;
    // The receiver acknowledges the whole message (reference §2.2, vectors' *Commit).
    void this.sendControl(commitPacket(packet.channel, reassembler.packetCount)).catch(
      () => undefined,
    );
    if (waiter) this.#settle(waiter, message);
    else
      this.#trace.record({
        kind: 'refused',
        error: 'KEY3_UNSOLICITED_MESSAGE',
        details: { channel: packet.channel, bytes: message.length },
      });
  }

  #stray(channel: number): PacketReassembler {
    let reassembler = this.#strays.get(channel);
    if (!reassembler) {
      reassembler = new PacketReassembler(channel, this.options.maxMessageBytes);
      this.#strays.set(channel, reassembler);
    }
    return reassembler;
  }

  #onControl(
    notification: Extract<Key3Notification, { kind: 'control' }>,
    bytes: Uint8Array,
  ): void {
    this.#trace.record({
      kind: 'control',
      dir: 'key→host',
      code: controlName(notification.code),
      packet: hex(bytes),
    });
    switch (notification.code) {
      case ControlCode.STATUS:
        this.#lastStatus = notification.status;
        for (const listener of [...this.#statusListeners]) listener(notification.status);
        return;
      case ControlCode.CANCEL:
        for (const waiter of [...this.#waiters.values()]) this.#settle(waiter, keyCancelled());
        for (const listener of [...this.#cancelListeners]) listener();
        return;
      case ControlCode.BUSY:
        for (const waiter of [...this.#waiters.values()]) this.#busy(waiter);
        return;
      default:
        // COMMIT, PROGRESS, SHUTDOWN, WIPE, CONFIRM, DEBUG, RESET: recorded; the vendor host
        // acts on none of them (PROGRESS does not even extend a timeout).
        return;
    }
  }

  /** BUSY: stop waiting, re-send the same request after a back-off, until the busy limit. */
  #busy(waiter: Waiter): void {
    if (waiter.done) return;
    clearTimeout(waiter.timer);
    const limit = this.options.busyLimitMs ?? BUSY_LIMIT_MS;
    waiter.busyAttempts += 1;
    const wait =
      this.options.busyWaitMs?.(waiter.busyAttempts) ??
      Math.min(BUSY_STEP_MS * waiter.busyAttempts, BUSY_MAX_WAIT_MS);
    if (Date.now() + wait - waiter.startedAt > limit) {
      this.#settle(
        waiter,
        new DeviceError(
          DeviceErrorKind.Busy,
          'The key stayed busy (another computer is using it)',
          {
            attempts: waiter.busyAttempts,
          },
        ),
      );
      return;
    }
    waiter.reassembler.reset();
    waiter.timer = setTimeout(() => {
      if (waiter.done) return;
      this.#armTimer(waiter); // the re-sent writes are bounded as the first ones were
      void this.#send(waiter, encodeMessagePackets(waiter.channel, waiter.message));
    }, wait);
  }

  #refused(error: unknown, bytes?: Uint8Array): void {
    const code = isProtocolError(error) ? error.code : 'unknown';
    this.#trace.record({
      kind: 'refused',
      error: code,
      details: {
        ...(isProtocolError(error) ? flatten(error) : {}),
        ...(bytes && bytes.length > 0 && (bytes[1] ?? 0) < 0x20 ? { packet: hex(bytes) } : {}),
      },
    });
    // An unknown or malformed control packet while an exchange waits breaks that exchange.
    if (bytes !== undefined && (bytes[1] ?? 0) < 0x20) {
      for (const waiter of [...this.#waiters.values()]) {
        this.#settle(waiter, protocolFailure(error, 'The key sent a malformed control packet'));
      }
    }
  }

  #lost(): DeviceError {
    return new DeviceError(DeviceErrorKind.Disconnected, 'The Bluetooth link to the key was lost');
  }

  #gone(reason: DeviceError): void {
    if (this.#closedBy) return;
    this.#closedBy = reason;
    for (const waiter of [...this.#waiters.values()]) this.#settle(waiter, reason);
    const listeners = [...this.#disconnectListeners];
    this.#disconnectListeners.clear();
    for (const listener of listeners) listener(reason);
  }
}
