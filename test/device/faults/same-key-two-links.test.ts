// The same key over USB and Bluetooth at once: one key with two links, USB
// used while it is up, BLE keeping the key connected when the cable comes out.
// Real HID discovery and transport (over the emulator's USB bus) and real noble
// classes (over the virtual adapter).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../../../device/errors/device-error';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { createBleDiscovery } from '../../../device/transport/ble/ble-discovery';
import type { VirtualBleBindings } from '../../../emulator/ble/virtual-ble-bindings';
import { createVirtualNoble } from '../../../emulator/ble/virtual-noble';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { KeyOp } from '../../../device/key/key-operations';
import { CtapHidCommand } from '../../../device/protocol/ctaphid';

import {
  OPTS,
  getInfo,
  gone,
  keyWhere,
  startManager,
  waitButton,
} from '../manager/manager-harness';
import { TappedUsbBus, initCommand, virtualKeys } from '../manager/virtual-usb';

const linksOf = (manager: DeviceManager, serialNo: string): string[] =>
  manager.key(serialNo)?.links.map((l) => l.link) ?? [];

describe('the same key on USB and BLE', () => {
  let key: VirtualKey;
  let serialNo: string;
  let bus: TappedUsbBus;
  let adapter: VirtualBleBindings;
  let bleId: string;
  let manager: DeviceManager;
  let cleanup: () => Promise<void>;

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
  });

  afterEach(async () => {
    await manager.stop();
    await cleanup();
  });

  it('is one key with two links, exchanging over USB', async () => {
    expect(manager.keys()).toHaveLength(1);
    const record = manager.key(serialNo)!;
    expect(record).toMatchObject({ state: 'connected', activeLink: 'usb' });
    expect(record.links.map((l) => l.link)).toEqual(['usb', 'ble']);
    expect(typeof record.rssi).toBe('number');
    expect(manager.availability()).toEqual(
      expect.arrayContaining([
        { link: 'usb', state: 'ready' },
        { link: 'ble', state: 'ready' },
      ]),
    );
    await expect(getInfo(manager, serialNo)).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('the cable comes out as a job starts: that job fails, the key stays connected over BLE and works; the cable goes back and USB is used again', async () => {
    // Pulled as the request goes out (the virtual key cannot notice a pulled
    // cable mid-request, so it would keep that request's place in its queue).
    bus.cable(key).taps = {
      write: (report) => {
        if (initCommand(report) === CtapHidCommand.HideezMessage) bus.pullCable(key);
      },
    };
    const job = manager.request(serialNo, { op: KeyOp.WaitButton, timeoutMs: 60_000 }, OPTS);
    await expect(job).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await keyWhere(manager, serialNo, (k) => k.activeLink === 'ble');
    expect(manager.key(serialNo)?.state).toBe('connected');
    await expect(getInfo(manager, serialNo)).resolves.toMatchObject({ status: DeviceErrorCode.OK });

    bus.pushCable(key);
    await keyWhere(manager, serialNo, (k) => k.activeLink === 'usb' && k.links.length === 2);
    await expect(getInfo(manager, serialNo)).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('the BLE link is lost: USB carries on and BLE comes back', async () => {
    adapter.loseLink(bleId);
    await keyWhere(manager, serialNo, (k) => linksOf(manager, k.serialNo).join() === 'usb');
    await expect(getInfo(manager, serialNo)).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    await keyWhere(manager, serialNo, (k) => k.links.length === 2);
  });

  it('unplugged (both links gone) mid-job: Disconnected, removed once; plugged again, one key again', async () => {
    const removed: string[] = [];
    manager.on('removed', (s) => removed.push(s));
    const job = waitButton(manager, serialNo);
    await job.waiting;
    bus.unplug(key);
    await expect(job.answer).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await gone(manager, serialNo);
    await bus.plug(key);
    await keyWhere(manager, serialNo, (k) => k.links.length === 2);
    expect(manager.keys()).toHaveLength(1);
    expect(removed).toEqual([serialNo]);
    await expect(getInfo(manager, serialNo)).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });
});
