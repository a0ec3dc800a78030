// A Transport over one key's GATT session: messages travel as FIDO-BLE-style
// fragments (device/protocol/ble-fragments.ts), written with response to the
// control point; answers, keepalives, errors and events come back as status
// notifications. One exchange at a time; a lost link fails it at once.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import {
  BleCommand,
  BleKeepaliveStatus,
  BleReassembler,
  encodeFragments,
  type BleFrame,
} from '../../protocol/ble-fragments';
import { isProtocolError } from '../../protocol/protocol-error';
import type { ExchangeOptions, Transport, TransportDescriptor } from '../transport';
import { disconnectedError } from './noble-call';
import type { BleLog } from './ble-scanner';
import type { GattSession } from './gatt-session';
import { cancelledError, PendingExchange } from '../pending-exchange';

/** How long the key may take to answer a CANCEL before the link is closed as unusable. */
export const CANCEL_GRACE_MS = 2000;

export type { BleLog } from './ble-scanner';

export interface BleTransportOptions {
  readonly cancelGraceMs?: number;
  readonly log?: BleLog;
}

export function openBleTransport(
  session: GattSession,
  descriptor: TransportDescriptor,
  options: BleTransportOptions = {},
): Transport {
  return new BleTransport(session, descriptor, options);
}

class BleTransport implements Transport {
  readonly #reassembler: BleReassembler;
  #pending: PendingExchange<Uint8Array> | undefined;
  /** The command the pending exchange's answer comes as (the request's own). */
  #answerCmd = 0;
  #closedBy: DeviceError | undefined;
  readonly #eventListeners = new Set<(message: Uint8Array) => void>();
  readonly #disconnectListeners = new Set<(reason: DeviceError) => void>();
  readonly #log: BleLog;

  constructor(
    private readonly session: GattSession,
    readonly descriptor: TransportDescriptor,
    private readonly options: BleTransportOptions,
  ) {
    this.#reassembler = new BleReassembler(session.keyFragmentSize);
    this.#log = options.log ?? (() => undefined);
    session.onFragment((fragment) => this.#onFragment(fragment));
    session.onLinkLoss(() => this.#gone(disconnectedError('link lost')));
  }

  get isOpen(): boolean {
    return this.#closedBy === undefined && this.session.connected;
  }

  exchange(message: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
    return this.#run({ cmd: BleCommand.Msg, payload: message }, options, 'exchange');
  }

  ping(data: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
    return this.#run({ cmd: BleCommand.Ping, payload: data }, options, 'ping');
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
    if (this.#closedBy) return;
    this.#gone(disconnectedError('closed'));
    await this.session.disconnect();
  }

  #run(frame: BleFrame, options: ExchangeOptions, what: string): Promise<Uint8Array> {
    if (!this.isOpen) return Promise.reject(this.#closedBy ?? disconnectedError('link lost'));
    if (this.#pending) {
      return Promise.reject(
        new DeviceError(DeviceErrorKind.Busy, 'Another exchange is in progress on this link'),
      );
    }
    if (options.signal?.aborted) return Promise.reject(cancelledError(what));
    let fragments: Uint8Array[];
    try {
      fragments = encodeFragments(frame, this.session.writeFragmentSize);
    } catch (error) {
      return Promise.reject(protocolFailure(error, 'The message does not fit the Bluetooth link'));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      const pending = new PendingExchange<Uint8Array>({
        options,
        what,
        cancelGraceMs: this.options.cancelGraceMs ?? CANCEL_GRACE_MS,
        // No channel to resynchronise: a timed-out request is cancelled and its answer awaited.
        onTimeout: 'cancel',
        sendCancel: () => this.#sendCancel(),
        onGraceExpired: () => {
          this.#log('BLE_CANCEL_UNANSWERED', { id: this.descriptor.id });
          void this.close();
        },
        settle: (outcome) => {
          if (this.#pending === pending) this.#pending = undefined;
          if (outcome.ok) resolve(outcome.value);
          else reject(outcome.error);
        },
      });
      this.#pending = pending;
      this.#answerCmd = frame.cmd;
      void this.#send(pending, fragments);
    });
  }

  async #send(
    pending: PendingExchange<Uint8Array>,
    fragments: readonly Uint8Array[],
  ): Promise<void> {
    try {
      for (const fragment of fragments) {
        // A cancel mid-message stops here; the key drops the half message when CANCEL arrives.
        if (pending.done || pending.cancelling) return;
        await this.session.write(fragment);
      }
    } catch (error) {
      this.#writeFailed(pending, error);
    }
  }

  #sendCancel(): void {
    const [cancel] = encodeFragments(
      { cmd: BleCommand.Cancel, payload: new Uint8Array(0) },
      this.session.writeFragmentSize,
    );
    if (!cancel) return;
    this.session.write(cancel).catch((error: unknown) => {
      const pending = this.#pending;
      if (pending) this.#writeFailed(pending, error);
    });
  }

  #writeFailed(pending: PendingExchange<Uint8Array>, error: unknown): void {
    if (pending.done) return;
    if (error instanceof DeviceError && error.code === DeviceErrorKind.Disconnected) {
      pending.disconnected(error);
      return;
    }
    pending.fail(
      new DeviceError(
        DeviceErrorKind.LinkError,
        'Writing to the key failed',
        { reason: 'write' },
        { cause: error },
      ),
    );
  }

  #onFragment(fragment: Uint8Array): void {
    let frame: BleFrame | undefined;
    try {
      frame = this.#reassembler.push(fragment);
    } catch (error) {
      const pending = this.#pending;
      if (pending) pending.fail(protocolFailure(error, 'The key sent a malformed fragment'));
      else
        this.#log('BLE_STRAY_FRAGMENT', { code: isProtocolError(error) ? error.code : 'unknown' });
      return;
    }
    if (frame) this.#onFrame(frame);
  }

  #onFrame(frame: BleFrame): void {
    if (frame.cmd === BleCommand.Event) {
      for (const listener of [...this.#eventListeners]) listener(frame.payload);
      return;
    }
    const pending = this.#pending;
    if (!pending) {
      this.#log('BLE_UNSOLICITED_FRAME', { cmd: frame.cmd });
      return;
    }
    switch (frame.cmd) {
      case BleCommand.Keepalive:
        return pending.keepalive(
          frame.payload[0] === BleKeepaliveStatus.UpNeeded ? 'upNeeded' : 'processing',
        );
      case BleCommand.Error:
        return pending.fail(
          new DeviceError(DeviceErrorKind.LinkError, 'The key refused the message', {
            bleError: frame.payload[0] ?? -1,
          }),
        );
      case this.#answerCmd:
        return pending.answer(frame.payload);
      default:
        if (pending.cancelling) return;
        return pending.fail(
          new DeviceError(DeviceErrorKind.Protocol, 'The key answered with an unexpected frame', {
            cmd: frame.cmd,
          }),
        );
    }
  }

  #gone(reason: DeviceError): void {
    if (this.#closedBy) return;
    this.#closedBy = reason;
    this.#reassembler.reset();
    this.#pending?.disconnected(reason);
    this.#pending = undefined;
    const listeners = [...this.#disconnectListeners];
    this.#disconnectListeners.clear();
    for (const listener of listeners) listener(reason);
  }
}

function protocolFailure(error: unknown, message: string): DeviceError {
  return new DeviceError(
    DeviceErrorKind.Protocol,
    message,
    isProtocolError(error) ? { protocolError: error.code } : undefined,
    { cause: error },
  );
}
