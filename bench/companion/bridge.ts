// The companion's side of the key links (its process): node-hid, the `usb` events
// and noble's bindings, each forwarding to the orchestrator, where the virtual keys,
// their USB bus and their Bluetooth adapter live with the link models. The companion's
// real discoveries and transports run on top, unchanged.
import { EventEmitter } from 'node:events';
import type {
  HidDeviceInfo,
  HidDeviceLike,
  NodeHidLike,
  UsbEventsLike,
} from '../../device/transport/hid';
import { VirtualHidNodes } from '../../emulator/link/virtual-usb-bus';
import { BLE_METHODS, type BleAdapter, type FromHost, type ToHost } from './protocol';

type Send = (message: FromHost) => void;

interface Waiting {
  resolve(message: ToHost): void;
  reject(error: Error): void;
}

const asBuffer = (value: unknown): unknown =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;

class RemoteHidDevice extends EventEmitter implements HidDeviceLike {
  constructor(
    private readonly bridge: HidBridge,
    readonly handle: number,
  ) {
    super();
  }

  write(data: Buffer): Promise<number> {
    return this.bridge.write(this.handle, data);
  }

  close(): Promise<void> {
    this.bridge.close(this.handle);
    this.removeAllListeners();
    return Promise.resolve();
  }
}

class UsbEvents extends EventTarget implements UsbEventsLike {
  override addEventListener(type: 'connect' | 'disconnect', listener: () => void): void {
    super.addEventListener(type, listener);
  }

  override removeEventListener(type: 'connect' | 'disconnect', listener: () => void): void {
    super.removeEventListener(type, listener);
  }

  getDevices(): Promise<readonly unknown[]> {
    return Promise.resolve([]);
  }
}

/** node-hid, the `usb` events and the hidraw node events of the orchestrator's virtual USB bus. */
export class HidBridge {
  readonly usb = new UsbEvents();
  /** The bus's hidraw node events, as the product's /dev watch would report them. */
  readonly hidNodes = new VirtualHidNodes();
  readonly #waiting = new Map<number, Waiting>();
  readonly #devices = new Map<number, RemoteHidDevice>();
  #next = 0;

  constructor(private readonly send: Send) {}

  readonly nodeHid: NodeHidLike = {
    devicesAsync: async () => {
      const reply = await this.#ask((req) => ({ t: 'hid.devices', req }));
      return reply.t === 'hid.rows' ? reply.rows : ([] as HidDeviceInfo[]);
    },
    HIDAsync: {
      open: async (path: string) => {
        const reply = await this.#ask((req) => ({ t: 'hid.open', req, path }));
        if (reply.t !== 'hid.opened') throw new Error(`could not open HID device ${path}`);
        const device = new RemoteHidDevice(this, reply.handle);
        this.#devices.set(reply.handle, device);
        return device;
      },
    },
  };

  async write(handle: number, data: Buffer): Promise<number> {
    const reply = await this.#ask((req) => ({
      t: 'hid.write',
      req,
      handle,
      data: new Uint8Array(data),
    }));
    return reply.t === 'hid.written' ? reply.bytes : 0;
  }

  close(handle: number): void {
    this.#devices.delete(handle);
    this.send({ t: 'hid.close', handle });
  }

  /** Handles a message from the orchestrator; false if it is not for the USB side. */
  receive(message: ToHost): boolean {
    switch (message.t) {
      case 'hid.rows':
      case 'hid.opened':
      case 'hid.written':
      case 'hid.failed': {
        const waiting = this.#waiting.get(message.req);
        this.#waiting.delete(message.req);
        if (message.t === 'hid.failed') waiting?.reject(new Error(message.message));
        else waiting?.resolve(message);
        return true;
      }
      case 'hid.data':
        this.#devices.get(message.handle)?.emit('data', asBuffer(message.report));
        return true;
      case 'hid.error': {
        const device = this.#devices.get(message.handle);
        this.#devices.delete(message.handle);
        device?.emit('error', new Error(message.message));
        return true;
      }
      case 'usb.event':
        this.usb.dispatchEvent(new Event(message.type));
        return true;
      case 'hid.node':
        this.hidNodes.fire(message.name);
        return true;
      default:
        return false;
    }
  }

  #ask(build: (req: number) => FromHost): Promise<ToHost> {
    const req = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#waiting.set(req, { resolve, reject });
      this.send(build(req));
    });
  }
}

/**
 * noble bindings whose every method is carried out by one of the orchestrator's
 * virtual adapters, and whose events are that adapter's events. noble's own Noble,
 * Peripheral and Characteristic classes run over it here, as over a real HCI socket.
 */
export class BleBridge extends EventEmitter {
  constructor(
    send: Send,
    readonly adapter: BleAdapter,
  ) {
    super();
    for (const method of BLE_METHODS) {
      Object.defineProperty(this, method, {
        value: (...args: unknown[]): void => send({ t: 'ble.call', adapter, method, args }),
      });
    }
  }

  receive(message: ToHost): boolean {
    if (message.t !== 'ble.event' || message.adapter !== this.adapter) return false;
    this.emit(message.name, ...message.args.map(asBuffer));
    return true;
  }
}
