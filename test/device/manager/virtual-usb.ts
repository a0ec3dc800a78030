// Test wiring: virtual keys on a USB bus, reached through the REAL HID transport
// (device/transport/hid). The cable between transport and key is node-hid
// shaped and can be tampered with at any report, which is how the fault tests
// pull the plug at an exact step of an exchange or send garbage.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceError, DeviceErrorKind } from '../../../device/errors/device-error';
import { openHidTransport } from '../../../device/transport/hid/hid-transport';
import type {
  DiscoveryObserver,
  Transport,
  TransportDescriptor,
  TransportDiscovery,
} from '../../../device/transport/transport';
import type { VirtualHidDevice } from '../../../emulator/key/hid-device';
import { type ProvisioningRecord, provisionKeys } from '../../../emulator/key/provision';
import { VirtualKey } from '../../../emulator/key/virtual-key';

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

/** A node-hid HIDAsync look-alike between the transport and the virtual key's HID device. */
export class TappedCable extends EventEmitter {
  taps: CableTaps = {};
  #pulled = false;

  constructor(readonly device: VirtualHidDevice) {
    super();
    device.on('data', (report: Buffer) => {
      if (this.#pulled) return;
      const out = this.taps.read ? this.taps.read(new Uint8Array(report)) : report;
      if (out) this.emit('data', Buffer.from(out));
    });
    device.on('error', (error: Error) => this.#pull(error));
  }

  async write(data: Buffer): Promise<number> {
    if (this.#pulled) throw new Error('Cannot write to hid device');
    if (this.taps.write?.(new Uint8Array(data).subarray(1)) === false) return data.length;
    if (this.#pulled) throw new Error('Cannot write to hid device'); // a tap pulled the plug
    return this.device.write(data);
  }

  close(): Promise<void> {
    this.#pulled = true;
    return Promise.resolve();
  }

  /** Only the USB cable is pulled: the key keeps its power (and its BLE link). */
  pull(): void {
    this.#pull(new Error('could not read from HID device'));
  }

  /** Delivers a report to the host as if the key had sent it. */
  inject(report: Uint8Array): void {
    const padded = new Uint8Array(64);
    padded.set(report.subarray(0, 64));
    setImmediate(() => this.emit('data', Buffer.from(padded)));
  }

  #pull(error: Error): void {
    if (this.#pulled) return;
    this.#pulled = true;
    this.emit('error', error);
  }
}

/**
 * A TransportDiscovery over virtual keys, handing out the real HID transport.
 * plug/unplug act on the key's power and tell the observer, as the `usb`
 * hot-plug watcher would.
 */
export class VirtualUsbBus implements TransportDiscovery {
  readonly link = 'usb' as const;
  readonly cables = new Map<string, TappedCable>();
  /** Applied to every new cable (e.g. faults for the next connection). */
  taps: CableTaps = {};
  #observer: DiscoveryObserver | undefined;

  constructor(readonly keys: readonly VirtualKey[]) {}

  descriptor(key: VirtualKey): TransportDescriptor {
    return {
      id: `virtual-hid:${key.serialNo}`,
      link: 'usb',
      name: 'Hideez Key (virtual)',
      serialHint: key.serialNo,
    };
  }

  watch(observer: DiscoveryObserver): () => void {
    this.#observer = observer;
    for (const key of this.keys) if (key.plugged) observer.added(this.descriptor(key));
    return () => (this.#observer = undefined);
  }

  async open(descriptor: TransportDescriptor): Promise<Transport> {
    const key = this.keys.find((k) => k.plugged && this.descriptor(k).id === descriptor.id);
    if (!key) throw new DeviceError(DeviceErrorKind.OpenFailed, 'No such device');
    const cable = new TappedCable(key.hid);
    cable.taps = this.taps;
    this.cables.set(key.serialNo, cable);
    return openHidTransport(cable, descriptor, { cancelGraceMs: 200 });
  }

  cable(key: VirtualKey): TappedCable {
    const cable = this.cables.get(key.serialNo);
    if (!cable) throw new Error('key never opened');
    return cable;
  }

  unplug(key: VirtualKey): void {
    const id = this.descriptor(key).id;
    key.unplug();
    this.#observer?.removed(id);
  }

  /** Only the USB cable comes out: the key keeps its power and its BLE link. */
  pullCable(key: VirtualKey): void {
    this.cable(key).pull();
    this.#observer?.removed(this.descriptor(key).id);
  }

  /** The cable goes back in (the key was powered all along). */
  pushCable(key: VirtualKey): void {
    this.#observer?.added(this.descriptor(key));
  }

  async plug(key: VirtualKey): Promise<void> {
    await key.plug();
    this.#observer?.added(this.descriptor(key));
  }
}

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
