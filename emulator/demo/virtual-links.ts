// The virtual keys as the companion's discoveries see them: the REAL HID discovery
// over a VirtualUsbBus, or the REAL BLE discovery over a noble on the virtual adapter.
import { createBleDiscovery } from '../../device/transport/ble/ble-discovery';
import { createHidDiscovery } from '../../device/transport/hid';
import type { TransportDiscovery } from '../../device/transport/transport';
import { createVirtualNoble } from '../ble/virtual-noble';
import type { VirtualKey } from '../key/virtual-key';
import { VirtualUsbBus } from '../link/virtual-usb-bus';

export function virtualDiscoveries(
  keys: readonly VirtualKey[],
  link: 'usb' | 'ble',
): TransportDiscovery[] {
  if (link === 'usb') {
    const bus = new VirtualUsbBus(keys);
    return [createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb })];
  }
  const { noble, adapter } = createVirtualNoble();
  for (const key of keys) adapter.addPeripheral(key);
  return [createBleDiscovery({ noble })];
}
