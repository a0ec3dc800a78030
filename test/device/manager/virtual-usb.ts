// Test wiring: virtual keys on the emulator's USB bus (emulator/link), found
// and opened by the REAL HID discovery (device/transport/hid: hot-plug watcher,
// enumeration, CTAPHID transport). Two thin additions, both on the node-hid
// side the host code talks to: every opened device is wrapped in a TappedCable
// so a fault test can act on an exact report (pull the plug, drop, garble,
// inject), and a key's USB cable can come out on its own while the key keeps
// its power and its BLE link (VirtualUsbBus.unplug powers the whole key off).
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type HidDeviceLike,
  type HidDiscovery,
  type HidDiscoveryOptions,
  type NodeHidLike,
  type UsbEventsLike,
  createHidDiscovery,
} from '../../../device/transport/hid';
import { hidDescriptor } from '../../../device/transport/hid/hid-enumeration';
import type { Transport, TransportDescriptor } from '../../../device/transport/transport';
import { type ProvisioningRecord, provisionKeys } from '../../../emulator/key/provision';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { VirtualUsbBus as EmulatorUsbBus } from '../../../emulator/link/virtual-usb-bus';

export const TEST_HASH_COST = 16;

/** CTAPHID command byte of a report's init packet (bit 7 set), or undefined for a continuation. */
export const initCommand = (report: Uint8Array): number | undefined => {
  const byte = report[4] ?? 0;
  return byte & 0x80 ? byte & 0x7f : undefined;
};

/** What a test may do to the reports on the cable. Each hook sees reports without the report id. */
export interface CableTaps {
  /** Before a host report reaches the key; return false to swallow it. */
  write?(report: Uint8Array): boolean | void;
  /** Before a key report reaches the host; return the report to deliver (or undefined to drop it). */
  read?(report: Uint8Array): Uint8Array | undefined;
}

/** Wraps one opened node-hid device (the bus's HidLink): the transport talks through it. */
export class TappedCable extends EventEmitter implements HidDeviceLike {
  taps: CableTaps = {};
  #pulled = false;
  readonly #onData = (report: Buffer): void => {
    if (this.#pulled) return;
    const out = this.taps.read ? this.taps.read(new Uint8Array(report)) : report;
    if (out) this.emit('data', Buffer.from(out));
  };
  readonly #onError = (error: Error): void => this.#pull(error);

  constructor(readonly device: HidDeviceLike) {
    super();
    device.on('data', this.#onData);
    device.on('error', this.#onError);
  }

  async write(data: Buffer): Promise<number> {
    if (this.#pulled) throw new Error('Cannot write to hid device');
    if (this.taps.write?.(new Uint8Array(data).subarray(1)) === false) return data.length;
    if (this.#pulled) throw new Error('Cannot write to hid device'); // a tap pulled the plug
    return this.device.write(data);
  }

  close(): Promise<void> {
    this.#pulled = true;
    this.device.off('data', this.#onData);
    this.device.off('error', this.#onError);
    return this.device.close();
  }

  /** Delivers a report to the host as if the key had sent it. */
  inject(report: Uint8Array): void {
    const padded = new Uint8Array(64);
    padded.set(report.subarray(0, 64));
    setImmediate(() => {
      if (!this.#pulled) this.emit('data', Buffer.from(padded));
    });
  }

  /** node-hid's view of a pulled cable: a read error, then nothing. */
  pull(): void {
    this.#pull(new Error('could not read from HID device'));
  }

  #pull(error: Error): void {
    if (this.#pulled) return;
    this.#pulled = true;
    this.emit('error', error);
  }
}

/** The bus's `usb` events, telling the test when the hot-plug watcher listens. */
class ObservedUsbEvents implements UsbEventsLike {
  #listeners = 0;
  #waiting: (() => void)[] = [];

  constructor(private readonly usb: UsbEventsLike) {}

  addEventListener(type: 'connect' | 'disconnect', listener: () => void): void {
    this.usb.addEventListener(type, listener);
    if (type !== 'disconnect') return;
    this.#listeners += 1;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  removeEventListener(type: 'connect' | 'disconnect', listener: () => void): void {
    this.usb.removeEventListener(type, listener);
    if (type === 'disconnect') this.#listeners -= 1;
  }

  getDevices(): Promise<readonly unknown[]> {
    return this.usb.getDevices();
  }

  listening(): Promise<void> {
    if (this.#listeners > 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/**
 * The keys on a VirtualUsbBus, the real HID discovery over it (`discovery`),
 * and the test's hands on the cables.
 */
export class TappedUsbBus {
  readonly bus: EmulatorUsbBus;
  readonly discovery: HidDiscovery;
  /** The last cable opened to each key, by serial number. */
  readonly cables = new Map<string, TappedCable>();
  /** Taps every cable opened from now on starts with (e.g. to watch a reopened link). */
  taps: CableTaps = {};
  readonly #usb: ObservedUsbEvents;
  /** HID paths whose cable is out (the key itself stays powered). */
  readonly #pulled = new Set<string>();

  constructor(
    readonly keys: readonly VirtualKey[],
    options: Omit<HidDiscoveryOptions, 'hid' | 'usb'> = {},
  ) {
    this.bus = new EmulatorUsbBus(keys);
    this.#usb = new ObservedUsbEvents(this.bus.usb);
    this.discovery = createHidDiscovery({
      hid: this.nodeHid,
      usb: this.#usb,
      transport: { cancelGraceMs: 200 },
      ...options,
    });
  }

  /** The bus's node-hid, with the cables tapped and pulled cables hidden. */
  readonly nodeHid: NodeHidLike = {
    devicesAsync: async () =>
      (await this.bus.nodeHid.devicesAsync()).filter((row) => !this.#pulled.has(row.path ?? '')),
    HIDAsync: {
      open: async (path: string) => {
        if (this.#pulled.has(path)) throw new Error(`could not open HID device ${path}`);
        const cable = new TappedCable(await this.bus.nodeHid.HIDAsync.open(path));
        cable.taps = this.taps;
        const key = this.keys.find((k) => k.plugged && k.hid.path === path);
        if (key) this.cables.set(key.serialNo, cable);
        return cable;
      },
    },
  };

  /** Resolves once the discovery's hot-plug watcher listens to the bus's usb events. */
  hotPlugReady(): Promise<void> {
    return this.#usb.listening();
  }

  descriptor(key: VirtualKey): TransportDescriptor {
    return hidDescriptor(key.hid.deviceInfo());
  }

  /** Opens a key through the real discovery's open (no watching needed). */
  open(descriptor: TransportDescriptor): Promise<Transport> {
    return this.discovery.open(descriptor);
  }

  cable(key: VirtualKey): TappedCable {
    const cable = this.cables.get(key.serialNo);
    if (!cable) throw new Error('key never opened');
    return cable;
  }

  /** Cuts the key's power (both its links) and fires the usb 'disconnect' event. */
  unplug(key: VirtualKey): void {
    this.bus.unplug(key);
  }

  /** Powers the key up and fires the usb 'connect' event. */
  plug(key: VirtualKey): Promise<void> {
    return this.bus.plug(key);
  }

  /** Only the USB cable comes out: the key keeps its power and its BLE link. */
  pullCable(key: VirtualKey): void {
    this.#pulled.add(key.hid.path);
    this.cables.get(key.serialNo)?.pull();
    this.bus.usb.fire('disconnect');
  }

  /** The cable goes back in (the key was powered all along). */
  pushCable(key: VirtualKey): void {
    this.#pulled.delete(key.hid.path);
    this.bus.usb.fire('connect');
  }
}

// The name test/device/open-protocol/key-client.test.ts (not ours to edit) still imports;
// TappedUsbBus keeps the constructor, open, descriptor and cable it uses.

/** `count` provisioned, plugged virtual keys in a temp folder. */
export async function virtualKeys(count: number): Promise<{
  keys: VirtualKey[];
  records: ProvisioningRecord[];
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'device-manager-'));
  const records = await provisionKeys(dir, count);
  const keys = await VirtualKey.openFolder(dir, { hashCost: TEST_HASH_COST });
  return {
    keys,
    records,
    cleanup: async () => {
      for (const key of keys) key.unplug();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
