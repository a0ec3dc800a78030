// The virtual keys as the companion's discoveries see them. Open-protocol keys: the REAL
// HID discovery over a VirtualUsbBus (--link usb), or the REAL BLE discovery over a noble on
// the virtual adapter (--link ble). Hideez Key 3s are Bluetooth-only: always on the virtual
// adapter, through the same BLE discovery the app uses, which accepts the TEST vendor key
// that certified them (the packaged app accepts the real vendor key alone).
import { createBleKeyDiscovery } from '../../device/discovery/ble-keys';
import type { KeyDiscovery } from '../../device/key/key-connection';
import type { Key3Trace } from '../../device/key3/trace/key3-trace';
import { openProtocolKeys } from '../../device/open-protocol/open-discovery';
import { createHidDiscovery } from '../../device/transport/hid';
import { createVirtualNoble } from '../ble/virtual-noble';
import type { VirtualKey } from '../key/virtual-key';
import { TEST_VENDOR_PUBLIC_KEY } from '../key3/test-vendor-key';
import { VirtualUsbBus } from '../link/virtual-usb-bus';

export function virtualDiscoveries(
  keys: readonly VirtualKey[],
  link: 'usb' | 'ble',
  options: { readonly trace?: Key3Trace } = {},
): KeyDiscovery[] {
  const key3s = keys.filter((k) => k.family === 'key3');
  const open = keys.filter((k) => k.family === 'open');
  const onUsb = link === 'usb' ? open : [];
  const onBle = [...(link === 'ble' ? open : []), ...key3s];
  const discoveries: KeyDiscovery[] = [];
  if (onUsb.length > 0 || link === 'usb') {
    const bus = new VirtualUsbBus(onUsb);
    discoveries.push(
      openProtocolKeys(
        createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb, hidNodes: bus.hidNodes }),
      ),
    );
  }
  if (onBle.length > 0 || link === 'ble') {
    const { noble, adapter } = createVirtualNoble();
    for (const key of onBle) adapter.addPeripheral(key);
    discoveries.push(
      createBleKeyDiscovery({
        noble,
        key3: {
          vendorPublicKey: TEST_VENDOR_PUBLIC_KEY,
          ...(options.trace ? { trace: options.trace } : {}),
        },
      }),
    );
  }
  return discoveries;
}
