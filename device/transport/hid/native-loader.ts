// node-hid and usb are native addons: a machine where one fails to load (no
// prebuild for the platform, a missing libudev) must still start, with USB
// reported unavailable. Both are loaded on first use, never at import time.
import type { NodeHidLike, UsbEventsLike } from './hid-device-like';

export type Loaded<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string };

/** A short, non-secret reason for the UI and logs. */
const reason = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 200) ?? 'unknown error';

export async function loadNodeHid(): Promise<Loaded<NodeHidLike>> {
  try {
    const hid = await import('node-hid');
    // Touch the binding now: node-hid loads its .node file lazily on first call.
    hid.getHidapiVersion();
    return { ok: true, value: hid };
  } catch (e) {
    return { ok: false, detail: `node-hid could not be loaded: ${reason(e)}` };
  }
}

export async function loadUsbEvents(): Promise<Loaded<UsbEventsLike>> {
  try {
    const { usb } = await import('usb');
    return { ok: true, value: usb };
  } catch (e) {
    return { ok: false, detail: `usb could not be loaded: ${reason(e)}` };
  }
}
