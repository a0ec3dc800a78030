// The orchestrator's side of the key links: the emulator's virtual USB bus (each open
// a HidLink with the bus's link model) and virtual Bluetooth adapters (with their link
// model; one per key family, see BLE_ADAPTERS), driven by the companion's process
// through companion/bridge.ts. It also
// counts what crosses: link packets (HID reports, GATT fragments) and bridge messages
// (to estimate the bridge's own share of the companion's CPU).
import { VirtualBleBindings } from '../../emulator/ble/virtual-ble-bindings';
import type { HidDeviceLike } from '../../device/transport/hid';
import { VirtualUsbBus } from '../../emulator/link/virtual-usb-bus';
import { nowMs } from '../clock';
import { ADVERTISING_INTERVAL_MS } from '../link-profiles';
import {
  BLE_ADAPTERS,
  BLE_EVENTS,
  type BleAdapter,
  type FromHost,
  type ToHost,
} from '../companion/protocol';

export interface LinkCounters {
  /** Host → key: HID output reports, GATT writes. */
  packetsUp: number;
  /** Key → host: HID input reports, GATT notifications. */
  packetsDown: number;
  /** Messages between the companion's process and this one (both ways). */
  bridgeMessages: number;
}

export class KeyLinks {
  readonly bus = new VirtualUsbBus([]);
  /** Open-protocol keys' adapter. */
  readonly adapter = new VirtualBleBindings({ advertisingIntervalMs: ADVERTISING_INTERVAL_MS });
  /** Hideez Key 3s' adapter. */
  readonly key3Adapter = new VirtualBleBindings({
    advertisingIntervalMs: ADVERTISING_INTERVAL_MS,
  });
  readonly counters: LinkCounters = { packetsUp: 0, packetsDown: 0, bridgeMessages: 0 };
  #send: ((message: ToHost) => void) | undefined;
  readonly #handles = new Map<number, HidDeviceLike>();
  #nextHandle = 0;
  #lastActivity = nowMs();

  constructor() {
    const usbEvent = (type: 'connect' | 'disconnect') => (): void =>
      this.#post({ t: 'usb.event', type });
    this.bus.usb.addEventListener('connect', usbEvent('connect'));
    this.bus.usb.addEventListener('disconnect', usbEvent('disconnect'));
    // The hidraw node's arrival or removal: what the product's hot-plug watch opens on.
    this.bus.hidNodes.watch((name) => this.#post({ t: 'hid.node', name }));
    for (const adapter of BLE_ADAPTERS) {
      for (const name of BLE_EVENTS) {
        this.bleAdapter(adapter).on(name, (...args: unknown[]) => {
          // Advertisements go on while a key waits to be connected; they are not link traffic.
          if (name !== 'discover') this.#lastActivity = nowMs();
          if (name === 'read' && args[4] === true) this.counters.packetsDown += 1;
          this.#post({ t: 'ble.event', adapter, name, args });
        });
      }
    }
  }

  bleAdapter(adapter: BleAdapter): VirtualBleBindings {
    return adapter === 'key3' ? this.key3Adapter : this.adapter;
  }

  /** nowMs() of the last packet or GATT operation on any link. */
  get lastActivity(): number {
    return this.#lastActivity;
  }

  attach(send: (message: ToHost) => void): void {
    this.#send = send;
  }

  /** The companion's process is gone: close what it had open. */
  detach(): void {
    this.#send = undefined;
    for (const device of this.#handles.values()) void device.close();
    this.#handles.clear();
  }

  /** Handles a bridge message from the companion; false if it is not one. */
  receive(message: FromHost): boolean {
    switch (message.t) {
      case 'hid.devices':
        this.counters.bridgeMessages += 1;
        void this.bus.nodeHid
          .devicesAsync()
          .then((rows) => this.#post({ t: 'hid.rows', req: message.req, rows }));
        return true;
      case 'hid.open':
        this.counters.bridgeMessages += 1;
        this.bus.nodeHid.HIDAsync.open(message.path).then(
          (device) => this.#opened(message.req, device),
          (error: unknown) => this.#fail(message.req, error),
        );
        return true;
      case 'hid.write': {
        this.counters.bridgeMessages += 1;
        this.counters.packetsUp += 1;
        this.#lastActivity = nowMs();
        const device = this.#handles.get(message.handle);
        if (!device) {
          this.#fail(message.req, new Error('Cannot write to HID device: it is closed'));
          return true;
        }
        device.write(Buffer.from(message.data)).then(
          (bytes) => this.#post({ t: 'hid.written', req: message.req, bytes }),
          (error: unknown) => this.#fail(message.req, error),
        );
        return true;
      }
      case 'hid.close':
        this.counters.bridgeMessages += 1;
        void this.#handles.get(message.handle)?.close();
        this.#handles.delete(message.handle);
        return true;
      case 'ble.call': {
        this.counters.bridgeMessages += 1;
        this.#lastActivity = nowMs();
        if (message.method === 'write') this.counters.packetsUp += 1;
        const adapter = this.bleAdapter(message.adapter);
        const method: unknown = Reflect.get(adapter, message.method);
        if (typeof method === 'function') Reflect.apply(method, adapter, [...message.args]);
        return true;
      }
      default:
        return false;
    }
  }

  #opened(req: number, device: HidDeviceLike): void {
    const handle = ++this.#nextHandle;
    this.#handles.set(handle, device);
    device.on('data', (report: Buffer) => {
      this.counters.packetsDown += 1;
      this.#lastActivity = nowMs();
      this.#post({ t: 'hid.data', handle, report: new Uint8Array(report) });
    });
    device.on('error', (error: Error) => {
      this.#handles.delete(handle);
      this.#post({ t: 'hid.error', handle, message: error.message });
    });
    this.#post({ t: 'hid.opened', req, handle });
  }

  #fail(req: number, error: unknown): void {
    this.#post({
      t: 'hid.failed',
      req,
      message: error instanceof Error ? error.message : String(error),
    });
  }

  #post(message: ToHost): void {
    if (!this.#send) return;
    this.counters.bridgeMessages += 1;
    this.#send(message);
  }
}
