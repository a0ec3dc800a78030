// The virtual keys as the companion's discoveries see them: the REAL HID discovery
// over a VirtualUsbBus, or the REAL BLE discovery over a noble on the virtual adapter.
import type { KeyDiscovery } from '../../device/key/key-connection';
import { openProtocolKeys } from '../../device/open-protocol/open-discovery';
import { createBleDiscovery } from '../../device/transport/ble/ble-discovery';
import { createHidDiscovery } from '../../device/transport/hid';
import { createVirtualNoble } from '../ble/virtual-noble';
import type { VirtualKey } from '../key/virtual-key';
import { VirtualUsbBus } from '../link/virtual-usb-bus';

export function virtualDiscoveries(
  keys: readonly VirtualKey[],
  link: 'usb' | 'ble',
): KeyDiscovery[] {
  if (link === 'usb') {
    const bus = new VirtualUsbBus(keys);
    return [openProtocolKeys(createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb }))];
  }
  const { noble, adapter } = createVirtualNoble();
  for (const key of keys) adapter.addPeripheral(key);
  return [openProtocolKeys(createBleDiscovery({ noble }))];
}
