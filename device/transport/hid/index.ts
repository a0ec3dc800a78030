// The USB HID transport's public surface.
export { createHidDiscovery, type HidDiscovery, type HidDiscoveryOptions } from './hid-discovery';
export { openHidTransport, type HidTransport, type HidTransportOptions } from './hid-transport';
export type {
  HidDeviceInfo,
  HidDeviceLike,
  HidNodeEventsLike,
  NodeHidLike,
  UsbEventsLike,
} from './hid-device-like';
export { USB_EVENT_RETRY_MS } from './hot-plug-watcher';
export { enumerateHidKeys, isHideezKeyInterface } from './hid-enumeration';
export type { HotPlugMode } from './hot-plug-watcher';
