// USB discovery: the real node-hid on this machine (it loads and enumerates;
// an empty list is fine), and hot-plug over a virtual USB bus whose keys are
// real virtual keys: node-hid's and usb's third-party surfaces are the only
// stand-ins, injected narrowly. Arrivals and removals are found by diffing
// enumerations, after a hidraw node event (a real inotify watch of a directory
// stands in for /dev), after a usb event, or by the fallback poll while enabled.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeRequest, decodeResponse } from '../../../../device/protocol/message-codec';
import { Command } from '../../../../device/protocol/messages';
import {
  HIDEEZ_HID_USAGE_PAGE,
  HIDEEZ_USB_PRODUCT_ID,
  HIDEEZ_USB_VENDOR_ID,
} from '../../../../device/protocol/usb-ids';
import { DeviceErrorKind, isDeviceError } from '../../../../device/errors/device-error';
import {
  createHidDiscovery,
  enumerateHidKeys,
  type HidDeviceInfo,
  type HidDiscovery,
  type HotPlugMode,
  type NodeHidLike,
} from '../../../../device/transport/hid';
import { devNodeEvents } from '../../../../device/transport/hid/dev-node-watch';
import type {
  DiscoveryObserver,
  LinkAvailability,
  TransportDescriptor,
} from '../../../../device/transport/transport';
import { VirtualKey } from '../../../../emulator/key/virtual-key';
import { VirtualUsbBus } from '../../../../emulator/link/virtual-usb-bus';
import { keyFolder, TEST_HASH_COST } from '../../../emulator/key/key-hosts';
import { EXCHANGE_MS } from './hid-fixtures';

/** Records what discovery says and lets the test wait for it. */
class Recorder implements DiscoveryObserver {
  readonly log: string[] = [];
  readonly present = new Map<string, TransportDescriptor>();
  availabilityState: LinkAvailability | undefined;
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  added(descriptor: TransportDescriptor): void {
    this.present.set(descriptor.id, descriptor);
    this.log.push(`+${descriptor.serialHint ?? descriptor.id}`);
    this.#wake();
  }

  removed(id: string): void {
    const d = this.present.get(id);
    this.present.delete(id);
    this.log.push(`-${d?.serialHint ?? id}`);
    this.#wake();
  }

  availability(state: LinkAvailability): void {
    this.availabilityState = state;
    this.#wake();
  }

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }

  serials(): string[] {
    return [...this.present.values()].map((d) => d.serialHint ?? '').sort();
  }

  #wake(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }
}

/** The bus's node-hid, counting its enumerations. */
function countingHid(bus: VirtualUsbBus): NodeHidLike & { enumerations: number } {
  const counted = {
    enumerations: 0,
    devicesAsync: () => {
      counted.enumerations++;
      return bus.nodeHid.devicesAsync();
    },
    HIDAsync: bus.nodeHid.HIDAsync,
  };
  return counted;
}

/** Waits (polling, no deadline but the test's) until the hot-plug watcher has started. */
const settled = (discovery: HidDiscovery, mode?: HotPlugMode): Promise<void> =>
  new Promise((resolve) => {
    const tick = setInterval(() => {
      if (discovery.hotPlugMode === 'starting' || (mode && discovery.hotPlugMode !== mode)) return;
      clearInterval(tick);
      resolve();
    }, 5);
  });

describe('node-hid on this machine', () => {
  it('loads and enumerates (an empty list is a pass)', async () => {
    const hid = await import('node-hid');
    const rows: HidDeviceInfo[] = await hid.devicesAsync();
    expect(Array.isArray(rows)).toBe(true);
    const keys = await enumerateHidKeys(hid);
    expect(keys.every((d) => d.link === 'usb' && d.id !== '')).toBe(true);
  });

  it('createHidDiscovery with the real node-hid and usb starts, reports USB ready, and stops cleanly', async () => {
    const discovery = createHidDiscovery();
    const recorder = new Recorder();
    const stop = discovery.watch(recorder);
    await recorder.until(() => recorder.availabilityState !== undefined);
    expect(recorder.availabilityState).toEqual({ link: 'usb', state: 'ready' });
    await discovery.rescan();
    // Whatever this machine's hot-plug support, the watcher settles in a mode.
    await settled(discovery);
    // Linux watches /dev for hidraw nodes; elsewhere usb events or the fallback poll.
    expect(
      process.platform === 'linux' ? ['hid-nodes'] : ['usb-events', 'polling-fallback'],
    ).toContain(discovery.hotPlugMode);
    discovery.setFallbackPolling(true);
    discovery.setFallbackPolling(false);
    stop();
    expect(discovery.hotPlugMode).toBe('stopped');
  });

  it('a node-hid that fails to load is USB "unavailable", not a crash', async () => {
    const discovery = createHidDiscovery({
      hid: async () => {
        // A real failing dynamic import, as a missing native addon gives.
        const missing = 'node-hid-not-installed';
        return (await import(/* @vite-ignore */ missing)) as never;
      },
    });
    const recorder = new Recorder();
    const stop = discovery.watch(recorder);
    await recorder.until(() => recorder.availabilityState !== undefined);
    expect(recorder.availabilityState).toMatchObject({ link: 'usb', state: 'unavailable' });
    expect(discovery.availability?.state).toBe('unavailable');
    await expect(discovery.open({ id: 'any', link: 'usb', name: 'Hideez Key' })).rejects.toSatisfy(
      (e) => isDeviceError(e, DeviceErrorKind.OpenFailed),
    );
    stop();
  });
});

describe('enumeration filter', () => {
  const row = (over: Partial<HidDeviceInfo>): HidDeviceInfo => ({
    vendorId: HIDEEZ_USB_VENDOR_ID,
    productId: HIDEEZ_USB_PRODUCT_ID,
    path: '/dev/hidraw0',
    serialNumber: 'HK0001',
    product: 'Hideez Key',
    release: 0x100,
    interface: 0,
    usagePage: HIDEEZ_HID_USAGE_PAGE,
    usage: 1,
    ...over,
  });

  it('keeps our vendor interface only, one descriptor per path', async () => {
    const rows = [
      row({}),
      row({}), // hidapi can list an interface twice (one row per top-level collection)
      row({ path: '/dev/hidraw1', usagePage: 0xf1d0 }), // a FIDO interface on the same key
      row({ path: '/dev/hidraw2', vendorId: 0x2c97 }), // someone else's device
      row({ path: undefined }), // cannot be opened
      row({ path: '/dev/hidraw3', usagePage: undefined, interface: 0, serialNumber: '' }), // libusb backend
    ];
    const keys = await enumerateHidKeys({
      devicesAsync: () => Promise.resolve(rows),
      HIDAsync: { open: () => Promise.reject(new Error('not used')) },
    });
    expect(keys).toEqual([
      { id: '/dev/hidraw0', link: 'usb', name: 'Hideez Key', serialHint: 'HK0001' },
      { id: '/dev/hidraw3', link: 'usb', name: 'Hideez Key' },
    ]);
  });
});

describe('hot-plug over a virtual USB bus', () => {
  let keys: VirtualKey[];
  let bus: VirtualUsbBus;
  let cleanup: () => Promise<void>;
  const stops: (() => void)[] = [];

  beforeEach(async () => {
    const folder = await keyFolder(2);
    keys = await VirtualKey.openFolder(folder.dir, { hashCost: TEST_HASH_COST });
    // Start with only the first key plugged in.
    keys[1]!.unplug();
    bus = new VirtualUsbBus(keys);
    cleanup = folder.cleanup;
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    for (const key of keys) key.unplug();
    await cleanup();
  });

  const watch = (discovery: HidDiscovery): Recorder => {
    const recorder = new Recorder();
    stops.push(discovery.watch(recorder));
    return recorder;
  };

  it('hidraw node events: arrivals and removals at once, usb events unused', async () => {
    let usbListeners = 0;
    const usb = {
      addEventListener: () => void usbListeners++,
      removeEventListener: () => undefined,
      getDevices: () => Promise.resolve([]),
    };
    const counted = countingHid(bus);
    const discovery = createHidDiscovery({ hid: counted, usb, hidNodes: bus.hidNodes });
    const recorder = watch(discovery);
    await recorder.until(() => recorder.present.size === 1);
    await settled(discovery, 'hid-nodes');
    const second = keys[1]!;
    const before = counted.enumerations;
    await bus.plug(second);
    await recorder.until(() => recorder.present.size === 2);
    // One enumeration per node event, nothing scheduled after it.
    expect(counted.enumerations - before).toBe(1);
    bus.unplug(keys[0]!);
    await recorder.until(() => recorder.present.size === 1);
    expect(recorder.serials()).toEqual([second.serialNo]);
    expect(usbListeners).toBe(0);
  });

  it('usb events: keys present at start, then arrivals and removals, by diffing', async () => {
    const discovery = createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb });
    const recorder = watch(discovery);
    const [first, second] = [keys[0]!, keys[1]!];
    const firstSerial = first.serialNo;
    await recorder.until(() => recorder.present.size === 1);
    expect(recorder.availabilityState).toEqual({ link: 'usb', state: 'ready' });
    await settled(discovery, 'usb-events');

    await bus.plug(second);
    await recorder.until(() => recorder.present.size === 2);
    expect(recorder.serials()).toEqual([firstSerial, second.serialNo].sort());

    bus.unplug(first);
    await recorder.until(() => recorder.present.size === 1);
    expect(recorder.serials()).toEqual([second.serialNo]);
    expect(recorder.log).toEqual([`+${firstSerial}`, `+${second.serialNo}`, `-${firstSerial}`]);
  });

  it('a key plugged in while discovery is still starting up is found', async () => {
    // usb's device check runs before the watcher subscribes: plug the key right
    // then, so its connect event reaches no listener. Only an enumeration made
    // after subscribing can see it (usb-events mode never polls).
    const second = keys[1]!;
    const racing = {
      addEventListener: bus.usb.addEventListener.bind(bus.usb),
      removeEventListener: bus.usb.removeEventListener.bind(bus.usb),
      getDevices: async () => {
        await bus.plug(second);
        return [];
      },
    };
    const discovery = createHidDiscovery({ hid: bus.nodeHid, usb: racing });
    const recorder = watch(discovery);
    await settled(discovery, 'usb-events');
    await recorder.until(() => recorder.present.size === 2);
    expect(recorder.serials()).toEqual([keys[0]!.serialNo, second.serialNo].sort());
  });

  it('after a usb event, rescans back off only until the key shows up', async () => {
    const counted = countingHid(bus);
    let plugAfter = -1;
    const devicesAsync = counted.devicesAsync;
    // The USB device is announced before its HID interface binds: the first rescan after
    // the event sees nothing, the interface appears right after it.
    counted.devicesAsync = async () => {
      const rows = await devicesAsync();
      if (counted.enumerations === plugAfter) await keys[1]!.plug();
      return rows;
    };
    const discovery = createHidDiscovery({ hid: counted, usb: bus.usb, usbRetryMs: [10, 10, 10] });
    const recorder = watch(discovery);
    await recorder.until(() => recorder.present.size === 1);
    await settled(discovery, 'usb-events');
    plugAfter = counted.enumerations + 1;
    bus.usb.fire('connect');
    await recorder.until(() => recorder.present.size === 2);
    expect(counted.enumerations).toBe(plugAfter + 1);
    // Found before the backoff ran out: no more rescans follow.
    await new Promise((r) => setTimeout(r, 60));
    expect(counted.enumerations).toBe(plugAfter + 1);
  });

  it('a burst of usb events gives no duplicate added/removed', async () => {
    const discovery = createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb });
    const recorder = watch(discovery);
    await recorder.until(() => recorder.present.size === 1);
    await settled(discovery, 'usb-events');
    for (let i = 0; i < 5; i++) bus.usb.fire('connect');
    await bus.plug(keys[1]!);
    await recorder.until(() => recorder.present.size === 2);
    await discovery.rescan();
    expect(recorder.log).toHaveLength(2);
  });

  it('usb that cannot see the bus (as in a container) falls back to polling', async () => {
    const blind = {
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      getDevices: () =>
        Promise.reject(new Error('getDevices error: /sys/bus/usb/devices/ not found')),
    };
    const discovery = createHidDiscovery({ hid: bus.nodeHid, usb: blind, pollMs: 20 });
    const recorder = watch(discovery);
    await settled(discovery);
    expect(discovery.hotPlugMode).toBe('polling-fallback');
    discovery.setFallbackPolling(true);
    await bus.plug(keys[1]!);
    await recorder.until(() => recorder.present.size === 2);
  });

  it('without usb events, the fallback poll finds arrivals only while it is enabled', async () => {
    const counted = countingHid(bus);
    const discovery = createHidDiscovery({ hid: counted, usb: null, pollMs: 20 });
    const recorder = watch(discovery);
    await recorder.until(() => recorder.present.size === 1);
    await settled(discovery, 'polling-fallback');
    // Polling off (no window open): nobody walks the bus, so the arrival goes unseen.
    const before = counted.enumerations;
    await keys[1]!.plug();
    await new Promise((r) => setTimeout(r, 100));
    expect(recorder.present.size).toBe(1);
    expect(counted.enumerations).toBe(before);
    // A window opens: the slow poll finds the key; it closes: polling stops.
    discovery.setFallbackPolling(true);
    await recorder.until(() => recorder.present.size === 2);
    discovery.setFallbackPolling(false);
    keys[0]!.unplug();
    await new Promise((r) => setTimeout(r, 100));
    expect(recorder.present.size).toBe(2);
    // An explicit rescan (the UI's refresh) still works.
    await discovery.rescan();
    expect(recorder.serials()).toEqual([keys[1]!.serialNo]);
  });

  it('opens a discovered key and talks to it; unplugging it ends the link and removes it', async () => {
    const discovery = createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb });
    const recorder = watch(discovery);
    await recorder.until(() => recorder.present.size === 1);
    const [descriptor] = [...recorder.present.values()];
    const transport = await discovery.open(descriptor!);
    const answer = await transport.exchange(encodeRequest({ command: Command.GetInfo }), {
      timeoutMs: EXCHANGE_MS,
    });
    const response = decodeResponse(Command.GetInfo, answer);
    expect('info' in response && response.info.serialNo).toBe(descriptor!.serialHint);

    const gone = new Promise<string>((resolve) => transport.onDisconnect((r) => resolve(r.code)));
    bus.unplug(keys[0]!);
    expect(await gone).toBe(DeviceErrorKind.Disconnected);
    await recorder.until(() => recorder.present.size === 0);
    await expect(discovery.open(descriptor!)).rejects.toSatisfy((e) =>
      isDeviceError(e, DeviceErrorKind.OpenFailed),
    );
  });

  it('a late watcher is told what is present; stopping the last watcher stops hot-plug', async () => {
    const discovery = createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb });
    const first = watch(discovery);
    await first.until(() => first.present.size === 1);
    const late = watch(discovery);
    expect(late.present.size).toBe(1);
    expect(late.availabilityState).toEqual({ link: 'usb', state: 'ready' });
    for (const stop of stops.splice(0)) stop();
    expect(discovery.hotPlugMode).toBe('stopped');
  });
});

describe('hidraw nodes on Linux', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hidraw-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const until = async (check: () => boolean): Promise<void> => {
    while (!check()) await new Promise((r) => setTimeout(r, 5));
  };

  it('an inotify watch reports hidraw nodes coming, changing and going, and nothing else', async () => {
    const names: string[] = [];
    const stop = devNodeEvents(dir).watch((name) => names.push(name));
    try {
      await writeFile(join(dir, 'tty5'), '');
      await writeFile(join(dir, 'hidraw7'), '');
      await until(() => names.length >= 1);
      await chmod(join(dir, 'hidraw7'), 0o600); // udev granting access is a change too
      await until(() => names.length >= 2);
      await rm(join(dir, 'hidraw7'));
      await until(() => names.length >= 3);
      expect(new Set(names)).toEqual(new Set(['hidraw7']));
    } finally {
      stop();
    }
  });

  it('watching a directory that does not exist throws, so discovery falls back', () => {
    expect(() => devNodeEvents(join(dir, 'missing')).watch(() => undefined)).toThrow();
  });

  /** node-hid listing one key whose path is a file in `dir`, whether or not it exists yet. */
  const listing = (path: string): Parameters<typeof createHidDiscovery>[0] => ({
    hid: {
      devicesAsync: () =>
        Promise.resolve([
          {
            vendorId: HIDEEZ_USB_VENDOR_ID,
            productId: HIDEEZ_USB_PRODUCT_ID,
            path,
            serialNumber: 'HK0042',
            release: 0x100,
            interface: 0,
            usagePage: HIDEEZ_HID_USAGE_PAGE,
          },
        ]),
      HIDAsync: { open: () => Promise.reject(new Error('not used')) },
    },
    hidNodes: devNodeEvents(dir),
    usb: null,
  });

  it('a node the user cannot open yet is reported once it can be, on its own event', async () => {
    const path = join(dir, 'hidraw3');
    const discovery = createHidDiscovery({ ...listing(path), accessGraceMs: 60_000 });
    const recorder = new Recorder();
    const stop = discovery.watch(recorder);
    try {
      await settled(discovery, 'hid-nodes');
      await discovery.rescan();
      expect(recorder.present.size).toBe(0);
      await writeFile(path, ''); // udev made it usable
      await recorder.until(() => recorder.present.size === 1);
      expect(recorder.serials()).toEqual(['HK0042']);
    } finally {
      stop();
    }
  });

  it('a node that never becomes usable is reported after the grace period, for its open to say why', async () => {
    const discovery = createHidDiscovery({
      ...listing(join(dir, 'hidraw4')),
      accessGraceMs: 30,
    });
    const recorder = new Recorder();
    const stop = discovery.watch(recorder);
    try {
      await settled(discovery, 'hid-nodes');
      await recorder.until(() => recorder.present.size === 1);
    } finally {
      stop();
    }
  });
});
