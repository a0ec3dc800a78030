// Which HID interfaces are our keys: our vendor/product id on our vendor usage
// page. A key may expose other interfaces (a keyboard, FIDO): only the vendor
// one speaks our protocol.
import {
  HIDEEZ_HID_USAGE_PAGE,
  HIDEEZ_USB_PRODUCT_ID,
  HIDEEZ_USB_VENDOR_ID,
} from '../../protocol/usb-ids';
import type { TransportDescriptor } from '../transport';
import type { HidDeviceInfo, NodeHidLike } from './hid-device-like';

const DEFAULT_NAME = 'Hideez Key';

export function isHideezKeyInterface(row: HidDeviceInfo): boolean {
  if (row.vendorId !== HIDEEZ_USB_VENDOR_ID || row.productId !== HIDEEZ_USB_PRODUCT_ID)
    return false;
  // hidapi's libusb backend cannot read usage pages (they come from the report
  // descriptor): there, fall back to the first interface, as Ledger does on Linux.
  if (row.usagePage === undefined || row.usagePage === 0) return row.interface <= 0;
  return row.usagePage === HIDEEZ_HID_USAGE_PAGE;
}

/** The descriptor of a devicesAsync() row; the HID path is the id (stable while plugged in). */
export function hidDescriptor(row: HidDeviceInfo & { readonly path: string }): TransportDescriptor {
  const serial = row.serialNumber?.trim();
  return {
    id: row.path,
    link: 'usb',
    name: row.product?.trim() || DEFAULT_NAME,
    ...(serial ? { serialHint: serial } : {}),
  };
}

/** Our keys among node-hid's devices, one descriptor per HID path. */
export async function enumerateHidKeys(hid: NodeHidLike): Promise<TransportDescriptor[]> {
  const rows = await hid.devicesAsync();
  const byPath = new Map<string, TransportDescriptor>();
  for (const row of rows) {
    const { path } = row;
    // A row without a path cannot be opened.
    if (path === undefined || path === '' || !isHideezKeyInterface(row)) continue;
    byPath.set(path, hidDescriptor({ ...row, path }));
  }
  return [...byPath.values()];
}
