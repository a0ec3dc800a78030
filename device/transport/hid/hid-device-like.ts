// The parts of node-hid (v3, async API) the HID transport and discovery use.
// Real node-hid satisfies these shapes, and so do the virtual key's
// VirtualHidDevice and the emulator's link-model wrapper: the transport runs
// the same code against both.

/** An open HID device, as node-hid's HIDAsync. */
export interface HidDeviceLike {
  /**
   * Writes one output report. node-hid wants the report-ID byte first (0x00 for
   * a device without numbered reports), then the 64 report bytes.
   */
  write(data: Buffer): Promise<number>;
  /** 'data': one input report (64 bytes, no report ID). 'error': the device is gone (read failed, unplugged). */
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'data', listener: (report: Buffer) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

/** One row of node-hid's devicesAsync(). */
export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly manufacturer?: string | undefined;
  readonly product?: string | undefined;
  readonly release: number;
  readonly interface: number;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
}

/** The node-hid module itself (enumerate, open by path). */
export interface NodeHidLike {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  readonly HIDAsync: { open(path: string): Promise<HidDeviceLike> };
}

/**
 * USB arrival/removal events, as the `usb` package (v3, WebUSB-style) exposes
 * them on its `usb` object. getDevices() doubles as a probe: where libusb/nusb
 * cannot see the bus (containers without /sys/bus/usb) it rejects, and hot-plug
 * is then unavailable.
 */
export interface UsbEventsLike {
  addEventListener(type: 'connect' | 'disconnect', listener: () => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: () => void): void;
  getDevices(): Promise<readonly unknown[]>;
}

/**
 * Device nodes appearing, changing (their permissions) or going: on Linux, an inotify
 * watch of /dev for hidraw nodes. `watch` calls the listener with the node's name (e.g.
 * `hidraw3`) and returns the function that stops watching; it throws when the nodes
 * cannot be watched here (no /dev, no inotify), and discovery falls back to `usb` events.
 */
export interface HidNodeEventsLike {
  watch(listener: (name: string) => void): () => void;
}
