// What the renderer may ask Chromium for. The companion's page needs no browser
// permission at all: devices are opened by main (node-hid, usb, noble), and OS
// notifications are shown by main. So every permission request and check is denied,
// and so is every WebHID/WebUSB/Web Bluetooth/serial device. The list stays here,
// empty, so adding one is a reviewed change with a test. No electron import.

/** Permissions the app's own page may use. Empty on purpose. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/** Whether a page at `requestingUrl` gets `permission`: only listed ones, only for our page. */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  isAppPage: (url: string) => boolean,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppPage(requestingUrl);
}
