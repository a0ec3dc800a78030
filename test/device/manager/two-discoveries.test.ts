// End to end: the device manager with both real discoveries, as the app runs
// it. USB is the real HID discovery (hot-plug watcher, enumeration, CTAPHID
// transport) over the emulator's USB bus; BLE is the real BLE discovery over a
// real noble on the virtual adapter. One virtual key sits on both.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { CtapHidCommand } from '../../../device/protocol/ctaphid';
import { createBleDiscovery } from '../../../device/transport/ble/ble-discovery';
import type { LinkAvailability } from '../../../device/transport/transport';
import type { VirtualBleBindings } from '../../../emulator/ble/virtual-ble-bindings';
import { createVirtualNoble } from '../../../emulator/ble/virtual-noble';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { getInfo, keyWhere, linkState, startManager, waitButton } from './manager-harness';
import { TappedUsbBus, initCommand, virtualKeys } from './virtual-usb';

describe('DeviceManager with the real USB and BLE discoveries', () => {
  let key: VirtualKey;
  let serialNo: string;
  let bus: TappedUsbBus;
  let adapter: VirtualBleBindings;
  let bleId: string;
  let manager: DeviceManager;
  let cleanup: () => Promise<void>;
  /** Requests sent over USB (HideezMessage init reports, on every cable opened). */
  let usbRequests: number;

  const links = (): string =>
    manager
      .key(serialNo)
      ?.links.map((l) => l.link)
      .join('+') ?? 'none';

  /**
   * GetInfo, then WaitButton answered by a press (a quick job and a long one);
   * resolves with how many of the two requests went over USB.
   */
  async function bothJobsWork(): Promise<number> {
    const before = usbRequests;
    const info = await getInfo(manager, serialNo);
    expect(info).toMatchObject({ status: DeviceErrorCode.OK, info: { serialNo } });
    const job = waitButton(manager, serialNo);
    await job.waiting;
    key.pressButton();
    await expect(job.answer).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    return usbRequests - before;
  }

  beforeEach(async () => {
    const folder = await virtualKeys(1);
    cleanup = folder.cleanup;
    key = folder.keys[0]!;
    serialNo = key.serialNo;
    bus = new TappedUsbBus(folder.keys);
    const virtual = createVirtualNoble({ advertisingIntervalMs: 5 });
    adapter = virtual.adapter;
    bleId = adapter.addPeripheral(key);
    const ble = createBleDiscovery({ noble: virtual.noble, connectTimeoutsMs: [2_000, 1_000] });
    manager = startManager([bus.discovery, ble]);
    await keyWhere(manager, serialNo, (k) => k.links.length === 2);
    await bus.hotPlugReady();
    usbRequests = 0;
    bus.taps = {
      write: (report) => {
        if (initCommand(report) === CtapHidCommand.HideezMessage) usbRequests += 1;
      },
    };
    bus.cable(key).taps = bus.taps;
  });

  afterEach(async () => {
    await manager.stop();
    await cleanup();
  });

  it('one key, two links: works over USB, then BLE alone, then USB alone, and reports Bluetooth going off', async () => {
    const availability: LinkAvailability[] = [];
    manager.on('availability', (state) => availability.push(state));

    // Found on both links: one key, exchanging over USB.
    expect(manager.keys()).toHaveLength(1);
    expect(manager.key(serialNo)).toMatchObject({ state: 'connected', activeLink: 'usb' });
    expect(links()).toBe('usb+ble');
    expect(manager.availability()).toEqual(
      expect.arrayContaining([
        { link: 'usb', state: 'ready' },
        { link: 'ble', state: 'ready' },
      ]),
    );
    expect(await bothJobsWork()).toBe(2);

    // The USB cable comes out: the key stays connected and works over BLE.
    bus.pullCable(key);
    await keyWhere(manager, serialNo, (k) => k.state === 'connected' && links() === 'ble');
    expect(manager.key(serialNo)?.activeLink).toBe('ble');
    expect(await bothJobsWork()).toBe(0);

    // The cable goes back in: USB is used again.
    bus.pushCable(key);
    await keyWhere(manager, serialNo, (k) => k.activeLink === 'usb' && links() === 'usb+ble');
    expect(await bothJobsWork()).toBe(2);

    // The BLE link is lost: USB carries on, and BLE comes back on its own.
    adapter.loseLink(bleId);
    await keyWhere(manager, serialNo, () => links() === 'usb');
    expect(await bothJobsWork()).toBe(2);
    await keyWhere(manager, serialNo, () => links() === 'usb+ble');

    // Bluetooth is turned off: the UI is told, the BLE link goes, USB keeps working.
    adapter.setAdapterState('poweredOff');
    await linkState(manager, 'ble', 'poweredOff');
    expect(availability).toEqual([
      { link: 'ble', state: 'poweredOff', detail: expect.any(String) as string },
    ]);
    await keyWhere(manager, serialNo, (k) => k.state === 'connected' && links() === 'usb');
    expect(await bothJobsWork()).toBe(2);
    expect(manager.availability()).toEqual(
      expect.arrayContaining([{ link: 'usb', state: 'ready' }]),
    );

    // Back on: ready again, and the key gets its BLE link back.
    adapter.setAdapterState('poweredOn');
    await linkState(manager, 'ble', 'ready');
    await keyWhere(manager, serialNo, () => links() === 'usb+ble');
    expect(availability.map((a) => a.state)).toEqual(['poweredOff', 'ready']);
    expect(manager.keys()).toHaveLength(1);
  });
});
