// What the UI learns when a kind of link or a key cannot be used: Bluetooth
// unavailable (noble fails to load, as on this machine) next to working USB,
// and a key seen on USB that cannot be opened.
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../../../device/errors/device-error';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { createBleDiscovery } from '../../../device/transport/ble/ble-discovery';
import { createHidDiscovery } from '../../../device/transport/hid';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { VirtualUsbBus } from '../../../emulator/link/virtual-usb-bus';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { connected, getInfo, keyWhere, linkState, startManager } from './manager-harness';
import { TappedUsbBus, virtualKeys } from './virtual-usb';

/** The real HID discovery on a bus whose keys are listed but cannot be opened (no udev rule). */
function noPermissionDiscovery(keys: readonly VirtualKey[]): ReturnType<typeof createHidDiscovery> {
  const bus = new VirtualUsbBus(keys);
  return createHidDiscovery({
    hid: {
      devicesAsync: () => bus.nodeHid.devicesAsync(),
      HIDAsync: {
        open: (path) => Promise.reject(new Error(`cannot open device with path ${path}`)),
      },
    },
    usb: bus.usb,
  });
}

describe('DeviceManager: availability and keys that cannot be opened', () => {
  let manager: DeviceManager | undefined;
  let cleanup: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await manager?.stop();
    await cleanup?.();
  });

  it('Bluetooth unavailable is reported, and USB keys work regardless', async () => {
    const folder = await virtualKeys(1);
    cleanup = folder.cleanup;
    const serialNo = folder.keys[0]!.serialNo;
    const ble = createBleDiscovery({
      noble: () => Promise.reject(new Error('socket: EAFNOSUPPORT')),
    });
    manager = startManager([new TappedUsbBus(folder.keys).discovery, ble]);
    await connected(manager, serialNo);
    await linkState(manager, 'ble', 'unavailable');
    expect(manager.availability()).toEqual(
      expect.arrayContaining([
        { link: 'usb', state: 'ready' },
        expect.objectContaining({ link: 'ble', state: 'unavailable' }),
      ]),
    );
    await expect(getInfo(manager, serialNo)).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('a key seen on USB that cannot be opened shows as disconnected, with why', async () => {
    const folder = await virtualKeys(1);
    cleanup = folder.cleanup;
    const serialNo = folder.keys[0]!.serialNo;
    manager = startManager([noPermissionDiscovery(folder.keys)], { openAttempts: 2 });
    await keyWhere(manager, serialNo, (k) => k.state === 'disconnected');
    expect(manager.key(serialNo)).toMatchObject({
      state: 'disconnected',
      links: [],
      openError: { code: DeviceErrorKind.OpenFailed },
    });
    await expect(getInfo(manager, serialNo)).rejects.toMatchObject({
      code: DeviceErrorKind.Disconnected,
    });
  });
});
