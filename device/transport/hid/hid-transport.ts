// The USB HID Transport: CTAPHID (docs/protocol.md §2) over an open node-hid
// device. Opening allocates our own channel with INIT and a random nonce, so
// other applications using the key at the same time keep theirs. Requests go as
// HideezMessage frames, one at a time; keepalives extend the time limit; abort
// sends CANCEL and waits (bounded) for the key's answer. After a timeout or
// garbage the channel is resynchronised with INIT before the next exchange, so
// a late answer to an old request is never taken for the new one.
import { randomFillSync } from 'node:crypto';
import {
  CTAPHID_BROADCAST_CID,
  CtapHidCommand,
  CtapHidError,
  decodeInitResponse,
  encodeInitRequest,
  INIT_NONCE_BYTES,
  MAX_MESSAGE_SIZE,
  type CtapHidFrame,
} from '../../protocol/ctaphid';
import type { ProtocolError } from '../../protocol/protocol-error';
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type { ExchangeOptions, Transport, TransportDescriptor } from '../transport';
import { CtapHidIo } from './ctaphid-io';
import type { HidDeviceLike } from './hid-device-like';
import { cancelledError } from '../pending-exchange';
import { CtapHidExchange } from './ctaphid-exchange';
import { ctapHidErrorToDeviceError, disconnected, framingError } from './hid-errors';

export interface HidTransportOptions {
  /** Time limit for the INIT handshake when opening (default 3000 ms). */
  readonly initTimeoutMs?: number;
  /** How long a cancelled exchange waits for the key's answer to CANCEL (default 1000 ms). */
  readonly cancelGraceMs?: number;
  /** Reports or frames dropped while idle (by code, for logs; never their bytes). */
  readonly onDropped?: (reason: { readonly code: string; readonly cmd?: number }) => void;
}

/** A Transport over CTAPHID; `channel` is the CID the key allocated (for diagnostics and tests). */
export interface HidTransport extends Transport {
  readonly channel: number;
}

const DEFAULT_INIT_TIMEOUT_MS = 3_000;
const DEFAULT_CANCEL_GRACE_MS = 1_000;

/**
 * Opens the HID transport on an already-open node-hid-compatible device. The
 * transport owns the device from then on: it closes it on close(), on unplug,
 * and when the handshake fails (DeviceError OpenFailed).
 */
export async function openHidTransport(
  device: HidDeviceLike,
  descriptor: TransportDescriptor,
  options: HidTransportOptions = {},
): Promise<HidTransport> {
  const transport = new CtapHidTransport(device, descriptor, options);
  try {
    await transport.allocateChannel(options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS);
  } catch (e) {
    await transport.close();
    throw new DeviceError(
      DeviceErrorKind.OpenFailed,
      'The key did not complete the CTAPHID INIT handshake',
      { reason: e instanceof DeviceError ? e.code : 'error' },
      { cause: e },
    );
  }
  return transport;
}

class CtapHidTransport implements HidTransport {
  readonly #io: CtapHidIo;
  readonly #cancelGraceMs: number;
  readonly #onDropped: NonNullable<HidTransportOptions['onDropped']>;
  readonly #eventListeners = new Set<(message: Uint8Array) => void>();
  readonly #disconnectListeners = new Set<(reason: DeviceError) => void>();
  #open = true;
  #pending: CtapHidExchange | undefined;
  /** The channel the pending exchange listens on (broadcast while allocating one). */
  #listenCid = CTAPHID_BROADCAST_CID;
  /** Set when the key may still answer an old request: INIT on our channel first. */
  #needsResync = false;

  constructor(
    device: HidDeviceLike,
    readonly descriptor: TransportDescriptor,
    options: HidTransportOptions,
  ) {
    this.#cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    this.#onDropped = options.onDropped ?? (() => undefined);
    this.#io = new CtapHidIo(device, {
      frame: (frame) => this.#onFrame(frame),
      garbage: (error, cid) => this.#onGarbage(error, cid),
      gone: (error) => void this.#gone(disconnected('The key was unplugged', error)),
    });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** The allocated CTAPHID channel (for diagnostics and tests). */
  get channel(): number {
    return this.#io.cid;
  }

  exchange(message: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
    return this.#transact(CtapHidCommand.HideezMessage, message, options, 'exchange');
  }

  ping(data: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
    return this.#transact(CtapHidCommand.Ping, data, options, 'ping');
  }

  onEvent(listener: (message: Uint8Array) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onDisconnect(listener: (reason: DeviceError) => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.#gone(disconnected('The link was closed'));
  }

  /** INIT on the broadcast channel: the key hands us a channel of our own. */
  async allocateChannel(timeoutMs: number): Promise<void> {
    await this.#run({ timeoutMs }, 'channel allocation', (pending) => this.#allocate(pending));
  }

  // ---- exchanges ---------------------------------------------------------------

  async #transact(
    cmd: number,
    payload: Uint8Array,
    options: ExchangeOptions,
    what: string,
  ): Promise<Uint8Array> {
    if (payload.length > MAX_MESSAGE_SIZE) {
      throw new DeviceError(DeviceErrorKind.Protocol, `The ${what} is longer than 7609 bytes`, {
        length: payload.length,
        max: MAX_MESSAGE_SIZE,
      });
    }
    return this.#run(options, what, async (pending) => {
      if (this.#needsResync) await this.#initOn(this.#io.cid, pending);
      let answer = await this.#request(pending, cmd, payload);
      if (isError(answer, CtapHidError.InvalidChannel)) {
        // The key forgot our channel (it rebooted, or dropped it): one fresh INIT, one retry.
        await this.#allocate(pending);
        answer = await this.#request(pending, cmd, payload);
      }
      if (answer.cmd === CtapHidCommand.Error) throw ctapHidErrorToDeviceError(answer.payload[0]);
      return answer.payload;
    });
  }

  /** Runs one exchange: refuses a second, and leaves the channel clean or marked for resync. */
  async #run<T>(
    options: ExchangeOptions,
    what: string,
    body: (pending: CtapHidExchange) => Promise<T>,
  ): Promise<T> {
    if (!this.#open) throw disconnected('The link is closed');
    if (this.#pending) {
      throw new DeviceError(DeviceErrorKind.Busy, 'Another exchange is in progress on this link');
    }
    if (options.signal?.aborted) throw cancelledError(what);
    const pending = new CtapHidExchange({
      options,
      what,
      cancelGraceMs: this.#cancelGraceMs,
      sendCancel: () => this.#sendCancel(),
    });
    this.#pending = pending;
    this.#io.resetReassembly();
    let clean = false;
    try {
      const result = await body(pending);
      clean = true;
      return result;
    } catch (e) {
      // An ERROR frame or the key's answer to CANCEL ends its part cleanly too.
      clean = pending.keyAnswered && !this.#needsResync;
      throw e;
    } finally {
      pending.dispose();
      this.#pending = undefined;
      this.#listenCid = this.#io.cid;
      if (!clean) this.#needsResync = true;
    }
  }

  /** Sends one frame on our channel and waits for its answer (or an ERROR). */
  async #request(
    pending: CtapHidExchange,
    cmd: number,
    payload: Uint8Array,
  ): Promise<CtapHidFrame> {
    this.#listenCid = this.#io.cid;
    const answer = pending.next((f) => f.cmd === cmd || f.cmd === CtapHidCommand.Error);
    answer.catch(ignore); // if the write fails, its error is the one thrown
    await this.#write(pending, { cid: this.#io.cid, cmd, payload });
    return answer;
  }

  async #allocate(pending: CtapHidExchange): Promise<void> {
    await this.#initOn(CTAPHID_BROADCAST_CID, pending);
  }

  /**
   * INIT on `cid` with a fresh random nonce, and from then on use the channel the
   * key answers (on the broadcast channel a new one; on ours, ours again, with
   * any old request abandoned). Answers to other clients' INITs (another nonce)
   * are ignored, and so is anything the key still had to say about an abandoned
   * request. A key that no longer knows our channel gets a broadcast INIT.
   */
  async #initOn(cid: number, pending: CtapHidExchange): Promise<void> {
    const nonce = randomFillSync(new Uint8Array(INIT_NONCE_BYTES));
    this.#listenCid = cid;
    let allocated: number | undefined;
    const answer = pending.next((frame) => {
      if (frame.cid !== cid) return false;
      if (cid !== CTAPHID_BROADCAST_CID && isError(frame, CtapHidError.InvalidChannel)) return true;
      if (frame.cmd !== CtapHidCommand.Init) return false;
      try {
        const init = decodeInitResponse(frame.payload);
        if (!sameBytes(init.nonce, nonce)) return false;
        allocated = init.cid;
        return true;
      } catch {
        return false;
      }
    }, true);
    answer.catch(ignore); // if the write fails, its error is the one thrown
    await this.#write(pending, {
      cid,
      cmd: CtapHidCommand.Init,
      payload: encodeInitRequest(nonce),
    });
    await answer;
    if (allocated === undefined) return this.#initOn(CTAPHID_BROADCAST_CID, pending);
    this.#io.cid = allocated;
    this.#listenCid = allocated;
    this.#needsResync = false;
  }

  async #write(pending: CtapHidExchange, frame: CtapHidFrame): Promise<void> {
    // Nothing new goes out once the caller has cancelled (or the exchange failed).
    pending.throwIfStopping();
    try {
      await this.#io.writeFrame(frame);
    } catch (e) {
      // A refused write means the device is gone (node-hid: "Cannot write to hid device").
      const error = disconnected('The key went away while writing to it', e);
      pending.disconnected(error);
      void this.#gone(error);
      throw error;
    }
  }

  #sendCancel(): void {
    const cid = this.#io.cid;
    if (!this.#open || cid === CTAPHID_BROADCAST_CID) return;
    this.#io
      .writeFrame({ cid, cmd: CtapHidCommand.Cancel, payload: new Uint8Array(0) })
      .catch(() => undefined); // unplugged meanwhile: the 'error' event reports it
  }

  // ---- input ---------------------------------------------------------------------

  #onFrame(frame: CtapHidFrame): void {
    if (frame.cmd === CtapHidCommand.HideezEvent && frame.cid === this.#io.cid) {
      for (const listener of [...this.#eventListeners]) {
        try {
          listener(frame.payload);
        } catch {
          // A listener's bug must not break the link.
        }
      }
      return;
    }
    if (this.#pending && frame.cid === this.#listenCid) return this.#pending.offer(frame);
    // Other clients' broadcast traffic is normal; anything else on our channel is stale.
    if (frame.cid !== CTAPHID_BROADCAST_CID)
      this.#onDropped({ code: 'UNEXPECTED_FRAME', cmd: frame.cmd });
  }

  #onGarbage(error: ProtocolError, cid: number | undefined): void {
    if (this.#pending && (cid === undefined || cid === this.#listenCid)) {
      this.#pending.fail(framingError(error));
      return;
    }
    this.#onDropped({ code: error.code });
  }

  async #gone(reason: DeviceError): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#pending?.disconnected(reason);
    this.#io.detach();
    for (const listener of [...this.#disconnectListeners]) {
      try {
        listener(reason);
      } catch {
        // A listener's bug must not stop the others.
      }
    }
    this.#disconnectListeners.clear();
    this.#eventListeners.clear();
    try {
      await this.#io.device.close();
    } catch {
      // Already gone (unplugged): nothing left to release.
    }
  }
}

const isError = (frame: CtapHidFrame, code: number): boolean =>
  frame.cmd === CtapHidCommand.Error && frame.payload[0] === code;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const ignore = (): void => undefined;
