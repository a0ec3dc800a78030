// The key's status codes: the first byte of every response message
// (docs/protocol.md §4). 5, 7 and 19 keep the numbers of the Hideez firmware's
// ERR_DEVICE_LOCKED_BY_PIN, ERR_DEVICE_LOCKED_BY_CODE and ERR_PIN_WRONG.

export const DeviceErrorCode = {
  OK: 0x00,
  ERR_UNKNOWN_MESSAGE: 0x01,
  ERR_INVALID_PARAMETER: 0x02,
  ERR_MESSAGE_TOO_LONG: 0x03,
  ERR_DEVICE_BUSY: 0x04,
  ERR_DEVICE_LOCKED_BY_PIN: 0x05,
  ERR_UNAUTHORIZED: 0x06,
  ERR_DEVICE_LOCKED_BY_CODE: 0x07,
  ERR_KEY_WRONG: 0x08,
  ERR_ALREADY_INITIALIZED: 0x09,
  ERR_NOT_INITIALIZED: 0x0a,
  ERR_OPERATION_CANCELED: 0x0b,
  ERR_TIMEOUT: 0x0c,
  ERR_BUTTON_REQ: 0x0d,
  ERR_PIN_REQ: 0x0e,
  ERR_PIN_NOT_SET: 0x0f,
  ERR_BAD_SEAL: 0x10,
  ERR_REPLAY: 0x11,
  ERR_NOT_LOCKED: 0x12,
  ERR_PIN_WRONG: 0x13,
  ERR_PIN_TOO_SHORT: 0x14,
  ERR_PIN_TOO_LONG: 0x15,
  ERR_HARDWARE_FAULT: 0x16,
  ERR_BOOTLOADER_MODE: 0x17,
  ERR_UNSUPPORTED: 0x18,
  ERR_STORAGE_FULL: 0x19,
} as const;
export type DeviceErrorCode = (typeof DeviceErrorCode)[keyof typeof DeviceErrorCode];
export type DeviceErrorCodeName = keyof typeof DeviceErrorCode;

const names = Object.fromEntries(
  Object.entries(DeviceErrorCode).map(([name, value]) => [value, name]),
) as Record<DeviceErrorCode, DeviceErrorCodeName>;

export const isDeviceErrorCode = (value: unknown): value is DeviceErrorCode =>
  typeof value === 'number' && Object.hasOwn(names, value);
export const deviceErrorCodeName = (code: DeviceErrorCode): DeviceErrorCodeName => names[code];
