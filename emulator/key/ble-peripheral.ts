// The virtual key's Bluetooth side at the GATT level (docs/protocol.md §3): it
// advertises our service; after connect(mtu) a host reads the control point
// length (ATT MTU − 3, 20..512), writes request fragments to the control point
// and receives response, keepalive, error and event fragments as notifications
// on the status characteristic. One request at a time per link, as in FIDO BLE.
import { EventEmitter } from 'node:events';
import {
  BleCommand,
  BleError,
  bleErrorFor,
  bleErrorFrame,
  BleReassembler,
  encodeFragments,
  type BleFrame,
} from '../../device/protocol/ble-fragments';
import {
  ATT_HEADER_BYTES,
  CONTROL_POINT_LENGTH_UUID,
  CONTROL_POINT_UUID,
  encodeControlPointLength,
  HIDEEZ_SERVICE_UUID,
  MAX_FRAGMENT_SIZE,
  MIN_FRAGMENT_SIZE,
  STATUS_UUID,
} from '../../device/protocol/gatt';
import { encodeEvent } from '../../device/protocol/message-codec';
import { isProtocolError } from '../../device/protocol/protocol-error';
import { CompanionError } from '../../shared/errors/companion-error';
import type { GattCharacteristicSpec, VirtualGattPeripheral } from '../ble/gatt-peripheral';
import type { KeyFirmware } from './firmware';
import { REASSEMBLY_TIMEOUT_MS, startKeepalive } from './keepalive';
import { busyAnswer, exchangeMessage } from './message-exchange';

/** The default ATT MTU before any exchange: 23, i.e. 20-byte fragments. */
export const DEFAULT_ATT_MTU = 23;

export interface BleAdvertisement {
  readonly localName: string;
  readonly serviceUuids: readonly string[];
}

export type StatusListener = (fragment: Uint8Array) => void;

export type BleLinkErrorCode =
  | 'BLE_NOT_CONNECTED'
  | 'BLE_ALREADY_CONNECTED'
  | 'BLE_UNAVAILABLE'
  | 'BLE_BAD_MTU'
  | 'BLE_NOT_PERMITTED';

export class BleLinkError extends CompanionError<BleLinkErrorCode> {
  override readonly name = 'BleLinkError';
}

interface Link {
  readonly fragmentSize: number;
  readonly reassembler: BleReassembler;
  readonly listeners: Set<StatusListener>;
  transaction: AbortController | undefined;
  partial: boolean;
  reassemblyTimer: NodeJS.Timeout | undefined;
}

const CHARACTERISTICS: readonly GattCharacteristicSpec[] = [
  { uuid: CONTROL_POINT_UUID, properties: ['write'] },
  { uuid: STATUS_UUID, properties: ['notify'] },
  { uuid: CONTROL_POINT_LENGTH_UUID, properties: ['read'] },
];

export class VirtualBlePeripheral extends EventEmitter implements VirtualGattPeripheral {
  /** noble-style address: lowercase MAC. */
  readonly address: string;
  readonly id: string;
  readonly advertisement: BleAdvertisement;
  readonly service = HIDEEZ_SERVICE_UUID;
  readonly characteristics = CHARACTERISTICS;
  rssi = -50;

  private link: Link | undefined;
  private available = true;
  private readonly detachEvents: () => void;

  constructor(private readonly firmware: KeyFirmware) {
    super();
    const { mac, serialNo } = firmware.state.provisioning;
    this.address = mac.toLowerCase();
    this.id = this.address.replaceAll(':', '');
    this.advertisement = { localName: `Hideez ${serialNo}`, serviceUuids: [HIDEEZ_SERVICE_UUID] };
    this.detachEvents = firmware.onEvent((event) => {
      this.notify({ cmd: BleCommand.Event, payload: encodeEvent(event) });
    });
  }

  get connected(): boolean {
    return this.link !== undefined;
  }

  /** Whether the key advertises (powered and in range). */
  get advertising(): boolean {
    return this.available && this.link === undefined;
  }

  /** The host connects and negotiates an ATT MTU (23..515). */
  connect(mtu = DEFAULT_ATT_MTU): Promise<void> {
    if (!this.available)
      return Promise.reject(new BleLinkError('BLE_UNAVAILABLE', 'The key is not in range'));
    if (this.link)
      return Promise.reject(new BleLinkError('BLE_ALREADY_CONNECTED', 'Already connected'));
    if (!Number.isInteger(mtu) || mtu < MIN_FRAGMENT_SIZE + ATT_HEADER_BYTES) {
      return Promise.reject(
        new BleLinkError('BLE_BAD_MTU', 'ATT MTU must be an integer of at least 23'),
      );
    }
    const fragmentSize = Math.min(MAX_FRAGMENT_SIZE, mtu - ATT_HEADER_BYTES);
    this.link = {
      fragmentSize,
      reassembler: new BleReassembler(fragmentSize),
      listeners: new Set(),
      transaction: undefined,
      partial: false,
      reassemblyTimer: undefined,
    };
    return Promise.resolve();
  }

  /** The host disconnects. */
  disconnect(): Promise<void> {
    this.dropLink();
    return Promise.resolve();
  }

  /** The key goes out of range or off: the link drops and the host sees 'disconnect'. */
  simulateLinkLoss(): void {
    const had = this.link !== undefined;
    this.dropLink();
    if (had) this.emit('disconnect');
  }

  /** Power off for good (VirtualKey.unplug): link loss, no more advertising. */
  powerOff(): void {
    this.available = false;
    this.simulateLinkLoss();
    this.detachEvents();
  }

  read(characteristic: string): Promise<Uint8Array> {
    if (characteristic !== CONTROL_POINT_LENGTH_UUID) return Promise.reject(this.notPermitted());
    return this.readControlPointLength();
  }

  write(characteristic: string, data: Uint8Array): Promise<void> {
    if (characteristic !== CONTROL_POINT_UUID) return Promise.reject(this.notPermitted());
    return this.writeControlPoint(data);
  }

  subscribe(characteristic: string, listener: (data: Uint8Array) => void): () => void {
    if (characteristic !== STATUS_UUID) throw this.notPermitted();
    return this.subscribeStatus(listener);
  }

  readControlPointLength(): Promise<Uint8Array> {
    const link = this.link;
    if (!link) return Promise.reject(this.notConnected());
    return Promise.resolve(encodeControlPointLength(link.fragmentSize));
  }

  /** Subscribes to status notifications; returns the unsubscribe function. */
  subscribeStatus(listener: StatusListener): () => void {
    const link = this.link;
    if (!link) throw this.notConnected();
    link.listeners.add(listener);
    return () => link.listeners.delete(listener);
  }

  /** A write to the control point (write with response: resolves once the key took it). */
  writeControlPoint(fragment: Uint8Array): Promise<void> {
    const link = this.link;
    if (!link) return Promise.reject(this.notConnected());
    let frame: BleFrame | undefined;
    try {
      frame = link.reassembler.push(Uint8Array.from(fragment));
      // Neither complete nor refused: a message is half-way.
      link.partial = frame === undefined;
    } catch (e) {
      // The reassembler drops the partial message on any error.
      link.partial = false;
      this.notify(bleErrorFrame(isProtocolError(e) ? bleErrorFor(e) : BleError.Other));
      return Promise.resolve();
    } finally {
      this.armReassemblyTimer(link);
    }
    if (frame) this.onFrame(link, frame);
    return Promise.resolve();
  }

  /** A host that stops mid-message must not leave the link half-way forever. */
  private armReassemblyTimer(link: Link): void {
    clearTimeout(link.reassemblyTimer);
    if (!link.partial) return;
    link.reassemblyTimer = setTimeout(() => {
      if (this.link !== link || !link.partial) return;
      link.partial = false;
      link.reassembler.reset();
      this.notify(bleErrorFrame(BleError.ReqTimeout));
    }, REASSEMBLY_TIMEOUT_MS);
  }

  private onFrame(link: Link, frame: BleFrame): void {
    switch (frame.cmd) {
      case BleCommand.Ping:
        return this.notify(frame);
      case BleCommand.Cancel:
        link.transaction?.abort();
        return;
      case BleCommand.Msg:
        if (link.transaction)
          return this.notify({ cmd: BleCommand.Msg, payload: busyAnswer(frame.payload) });
        return this.startTransaction(link, frame.payload);
      default:
        // Keepalive, Event and Error only travel key -> host.
        return this.notify(bleErrorFrame(BleError.InvalidCmd));
    }
  }

  private startTransaction(link: Link, payload: Uint8Array): void {
    const abort = new AbortController();
    link.transaction = abort;
    const stopKeepalive = startKeepalive(
      () => this.firmware.waitingForButton,
      (status) => this.notify({ cmd: BleCommand.Keepalive, payload: Uint8Array.of(status) }),
    );
    void exchangeMessage(this.firmware, payload, abort.signal)
      .then(
        (answer) => {
          if (this.link === link) this.notify({ cmd: BleCommand.Msg, payload: answer });
        },
        () => {
          // Power lost: nothing is sent.
        },
      )
      .finally(() => {
        stopKeepalive();
        if (link.transaction === abort) link.transaction = undefined;
      });
  }

  private dropLink(): void {
    const link = this.link;
    if (!link) return;
    this.link = undefined;
    link.transaction?.abort();
    clearTimeout(link.reassemblyTimer);
    link.listeners.clear();
  }

  private notify(frame: BleFrame): void {
    const link = this.link;
    if (!link) return;
    const fragments = encodeFragments(frame, link.fragmentSize);
    setImmediate(() => {
      if (this.link !== link) return;
      for (const fragment of fragments) {
        for (const listener of link.listeners) listener(fragment.slice());
      }
    });
  }

  private notPermitted(): BleLinkError {
    return new BleLinkError('BLE_NOT_PERMITTED', 'The characteristic does not allow that');
  }

  private notConnected(): BleLinkError {
    return new BleLinkError('BLE_NOT_CONNECTED', 'Not connected');
  }
}
