// Errors of the device layer (transports, the per-key job queue, the device
// manager). Stable codes; plain data across IPC via toJSON(). No secrets: the
// bytes of a message never go into a message or details.
import { CompanionError, type CompanionErrorJson } from '../../shared/errors/companion-error';

export const DeviceErrorKind = {
  /** The key went away (unplugged, link lost, closed) while a job needed it. */
  Disconnected: 'DEVICE_DISCONNECTED',
  /** The key did not answer within the job's time limit (keepalives extend it). */
  Timeout: 'DEVICE_TIMEOUT',
  /** The caller (or the user's long press) cancelled the job. */
  Cancelled: 'DEVICE_CANCELLED',
  /** The link is busy with another client's transaction (CTAPHID CHANNEL_BUSY). */
  Busy: 'DEVICE_BUSY',
  /** The key answered with a link-level error frame. */
  LinkError: 'DEVICE_LINK_ERROR',
  /** The link could not be opened. */
  OpenFailed: 'DEVICE_OPEN_FAILED',
  /** The key sent bytes that break the protocol (bad framing, bad CBOR, unexpected answer). */
  Protocol: 'DEVICE_PROTOCOL_ERROR',
  /** Bluetooth cannot be used on this machine (no adapter, no permission, off, library missing). */
  BluetoothUnavailable: 'BLUETOOTH_UNAVAILABLE',
  /** The key did not let this computer in over Bluetooth: it needs pairing (its button). */
  PairingRequired: 'DEVICE_PAIRING_REQUIRED',
  /** The key failed the vendor's authenticity check (certificate or channel signature): never used. */
  NotGenuine: 'DEVICE_NOT_GENUINE',
} as const;
export type DeviceErrorKind = (typeof DeviceErrorKind)[keyof typeof DeviceErrorKind];

export type DeviceErrorData = CompanionErrorJson<DeviceErrorKind, 'DeviceError'>;

export class DeviceError extends CompanionError<DeviceErrorKind> {
  override readonly name = 'DeviceError';
}

export const isDeviceError = (error: unknown, code?: DeviceErrorKind): error is DeviceError =>
  error instanceof DeviceError && (code === undefined || error.code === code);
