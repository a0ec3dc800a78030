// What the UI learns when a kind of link or a key cannot be used: Bluetooth
// unavailable (noble fails to load, as on this machine) next to working USB,
// and a key seen on USB that cannot be opened.
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceError, DeviceErrorKind } from '../../../device/errors/device-error';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { createBleDiscovery } from '../../../device/transport/ble/ble-discovery';
import type { Transport } from '../../../device/transport/transport';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { connected, getInfo, keyWhere, linkState, startManager } from './manager-harness';
import { VirtualUsbBus, virtualKeys } from './virtual-usb';

/** A bus whose links cannot be opened, as with a missing udev rule. */
class NoPermissionBus extends VirtualUsbBus {
  override open(): Promise<Transport> {
    return Promise.reject(
      new DeviceError(DeviceErrorKind.OpenFailed, 'Permission denied opening the HID device'),
    );
  }
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
    manager = startManager([new VirtualUsbBus(folder.keys), ble]);
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
    manager = startManager([new NoPermissionBus(folder.keys)], { openAttempts: 2 });
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
