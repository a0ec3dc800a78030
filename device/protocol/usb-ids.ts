// How our key shows itself on USB, shared by the host's HID enumeration, the
// virtual key and the udev rule (build/linux/70-hideez-key.rules must match).

/** pid.codes test VID/PID used by the project's udev rule (build/linux/70-hideez-key.rules). */
export const HIDEEZ_USB_VENDOR_ID = 0x1209;
export const HIDEEZ_USB_PRODUCT_ID = 0x4845;
/** A vendor-defined usage page, so OS FIDO stacks leave the key to us. */
export const HIDEEZ_HID_USAGE_PAGE = 0xff00;
export const HIDEEZ_HID_USAGE = 0x01;
