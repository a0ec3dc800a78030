// The USB bus the virtual keys sit on, as the host's native libraries see it:
// node-hid's enumeration and open (each open a HidLink with the bus's link
// model), the `usb` package's connect/disconnect events and Linux's hidraw node
// events. Plugging a key in or out here powers it and fires both, like a real
// cable; the host code under test is the real discovery and transport.
import type {
  HidDeviceInfo,
  HidNodeEventsLike,
  NodeHidLike,
  UsbEventsLike,
} from '../../device/transport/hid';
import type { VirtualKey } from '../key/virtual-key';
import { HidLink, type HidLinkModel } from './hid-link';

/** `usb`'s event side: connect/disconnect, and getDevices() as the support probe. */
export class VirtualUsbEvents extends EventTarget implements UsbEventsLike {
  override addEventListener(type: 'connect' | 'disconnect', listener: () => void): void {
    super.addEventListener(type, listener);
  }

  override removeEventListener(type: 'connect' | 'disconnect', listener: () => void): void {
    super.removeEventListener(type, listener);
  }

  getDevices(): Promise<readonly unknown[]> {
    return Promise.resolve([]);
  }

  fire(type: 'connect' | 'disconnect'): void {
    this.dispatchEvent(new Event(type));
  }
}

/** The bus's hidraw nodes as an inotify watch of /dev would report them. */
export class VirtualHidNodes implements HidNodeEventsLike {
  readonly #listeners = new Set<(name: string) => void>();

  watch(listener: (name: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  fire(name: string): void {
    for (const listener of [...this.#listeners]) listener(name);
  }
}

export class VirtualUsbBus {
  readonly usb = new VirtualUsbEvents();
  readonly hidNodes = new VirtualHidNodes();
  readonly #keys = new Set<VirtualKey>();
  /** Every handle opened so far (tests reach the link model through them). */
  readonly links: HidLink[] = [];

  constructor(
    keys: Iterable<VirtualKey> = [],
    public linkModel: Partial<HidLinkModel> = {},
  ) {
    for (const key of keys) this.#keys.add(key);
  }

  /** node-hid as the host sees this bus. */
  readonly nodeHid: NodeHidLike = {
    devicesAsync: () => Promise.resolve(this.#rows()),
    HIDAsync: {
      open: (path: string) => {
        const key = [...this.#keys].find((k) => k.plugged && k.hasUsb && k.hid.path === path);
        if (!key) return Promise.reject(new Error(`could not open HID device ${path}`));
        const link = new HidLink(key.hid, this.linkModel);
        this.links.push(link);
        return Promise.resolve(link);
      },
    },
  };

  /** Puts a key on the bus (powering it up) and fires 'connect' and its node's arrival. */
  async plug(key: VirtualKey): Promise<void> {
    this.#keys.add(key);
    await key.plug();
    this.usb.fire('connect');
    this.hidNodes.fire(this.#nodeName(key));
  }

  /** Pulls a key's cable and fires 'disconnect' and its node's removal. */
  unplug(key: VirtualKey): void {
    key.unplug();
    this.usb.fire('disconnect');
    this.hidNodes.fire(this.#nodeName(key));
  }

  /** A stable hidraw name per key, as the kernel would number its node. */
  #nodeName(key: VirtualKey): string {
    return `hidraw${[...this.#keys].indexOf(key)}`;
  }

  #rows(): HidDeviceInfo[] {
    return [...this.#keys].filter((k) => k.plugged && k.hasUsb).map((k) => k.hid.deviceInfo());
  }
}
