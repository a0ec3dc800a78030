// The Key 3's error replies (reference §3.3): `E1 xx` from the firmware, `E2 xx`
// from its crypto library, and their mapping into the project's one status
// catalogue (shared/errors/device-error-code.ts) so the workflow handles a Key 3
// refusal exactly like any other key's. The virtual key maps back the other way.
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import type { ErrorReplySource } from './message';

/** `E1 xx`. */
export const Key3FirmwareError = {
  UnknownMessage: 0x01,
  NotInitialized: 0x02,
  AlreadyInitialized: 0x03,
  EncryptionRequired: 0x04,
  LockedByPin: 0x05,
  Unauthorized: 0x06,
  /** Also the answer to the last wrong activation code (no attempts left). */
  LockedByCode: 0x07,
  Unsupported: 0x09,
  MessageTooLong: 0x0a,
  NoEncryption: 0x0b,
  InvalidParameter: 0x0d,
  OperationCancelled: 0x0e,
  HardwareFault: 0x0f,
  PinTooShort: 0x11,
  WrongKey: 0x12,
  WrongPinOrCode: 0x13,
  ChannelBusy: 0x15,
  Timeout: 0x18,
  PinRequired: 0x19,
  ButtonRequired: 0x1a,
  PinNotSet: 0x1b,
  NoData: 0x1c,
  NoLicense: 0x1d,
  LicenseExpired: 0x1e,
  InvalidLicense: 0x1f,
} as const;
export type Key3FirmwareError = (typeof Key3FirmwareError)[keyof typeof Key3FirmwareError];

/** `E2 xx`. */
export const Key3CryptoError = {
  InvalidParams: 0x01,
  /** Data not whole 16-byte blocks, or a handshake reply shorter than 137 bytes. */
  InvalidLength: 0x02,
  InvalidPublicKey: 0x03,
  BufferTooSmall: 0x04,
  InvalidSo: 0x05,
  InvalidState: 0x06,
  InvalidPrivateKey: 0x07,
  InvalidSignature: 0x08,
  EcdhFailed: 0x09,
  NoRng: 0x0a,
} as const;
export type Key3CryptoError = (typeof Key3CryptoError)[keyof typeof Key3CryptoError];

const D = DeviceErrorCode;
type Failure = Exclude<DeviceErrorCode, typeof DeviceErrorCode.OK>;

/**
 * E1 → catalogue:
 *
 * | E1 | Key 3 name          | DeviceErrorCode           | why, where not the same name           |
 * |----|---------------------|---------------------------|----------------------------------------|
 * | 01 | unknown message     | ERR_UNKNOWN_MESSAGE       |                                        |
 * | 02 | not initialised     | ERR_NOT_INITIALIZED       |                                        |
 * | 03 | already initialised | ERR_ALREADY_INITIALIZED   |                                        |
 * | 04 | encryption required | ERR_BAD_SEAL              | the secure channel failed: re-handshake |
 * | 05 | locked by PIN       | ERR_DEVICE_LOCKED_BY_PIN  |                                        |
 * | 06 | unauthorised        | ERR_UNAUTHORIZED          |                                        |
 * | 07 | locked by code      | ERR_DEVICE_LOCKED_BY_CODE |                                        |
 * | 09 | unsupported         | ERR_UNSUPPORTED           |                                        |
 * | 0A | message too long    | ERR_MESSAGE_TOO_LONG      |                                        |
 * | 0B | no encryption       | ERR_BAD_SEAL              | as 04                                  |
 * | 0D | invalid parameter   | ERR_INVALID_PARAMETER     |                                        |
 * | 0E | operation cancelled | ERR_OPERATION_CANCELED    |                                        |
 * | 0F | hardware fault      | ERR_HARDWARE_FAULT        |                                        |
 * | 11 | PIN too short       | ERR_PIN_TOO_SHORT         |                                        |
 * | 12 | wrong key           | ERR_KEY_WRONG             |                                        |
 * | 13 | wrong PIN / code    | ERR_PIN_WRONG             | one code for both, as in the catalogue |
 * | 15 | channel busy        | ERR_DEVICE_BUSY           |                                        |
 * | 18 | timeout             | ERR_TIMEOUT               |                                        |
 * | 19 | PIN required        | ERR_PIN_REQ               |                                        |
 * | 1A | button required     | ERR_BUTTON_REQ            |                                        |
 * | 1B | PIN not set         | ERR_PIN_NOT_SET           |                                        |
 * | 1C | no data             | ERR_INVALID_PARAMETER     | what was asked for is not there         |
 * | 1D | no licence          | ERR_UNAUTHORIZED          | the key lacks the right to do it        |
 * | 1E | licence expired     | ERR_UNAUTHORIZED          | as 1D                                  |
 * | 1F | invalid licence     | ERR_INVALID_PARAMETER     | the licence blob sent was refused       |
 * | ?? | anything else       | ERR_HARDWARE_FAULT        | see below                              |
 */
const FIRMWARE: ReadonlyMap<number, Failure> = new Map<number, Failure>([
  [Key3FirmwareError.UnknownMessage, D.ERR_UNKNOWN_MESSAGE],
  [Key3FirmwareError.NotInitialized, D.ERR_NOT_INITIALIZED],
  [Key3FirmwareError.AlreadyInitialized, D.ERR_ALREADY_INITIALIZED],
  [Key3FirmwareError.EncryptionRequired, D.ERR_BAD_SEAL],
  [Key3FirmwareError.LockedByPin, D.ERR_DEVICE_LOCKED_BY_PIN],
  [Key3FirmwareError.Unauthorized, D.ERR_UNAUTHORIZED],
  [Key3FirmwareError.LockedByCode, D.ERR_DEVICE_LOCKED_BY_CODE],
  [Key3FirmwareError.Unsupported, D.ERR_UNSUPPORTED],
  [Key3FirmwareError.MessageTooLong, D.ERR_MESSAGE_TOO_LONG],
  [Key3FirmwareError.NoEncryption, D.ERR_BAD_SEAL],
  [Key3FirmwareError.InvalidParameter, D.ERR_INVALID_PARAMETER],
  [Key3FirmwareError.OperationCancelled, D.ERR_OPERATION_CANCELED],
  [Key3FirmwareError.HardwareFault, D.ERR_HARDWARE_FAULT],
  [Key3FirmwareError.PinTooShort, D.ERR_PIN_TOO_SHORT],
  [Key3FirmwareError.WrongKey, D.ERR_KEY_WRONG],
  [Key3FirmwareError.WrongPinOrCode, D.ERR_PIN_WRONG],
  [Key3FirmwareError.ChannelBusy, D.ERR_DEVICE_BUSY],
  [Key3FirmwareError.Timeout, D.ERR_TIMEOUT],
  [Key3FirmwareError.PinRequired, D.ERR_PIN_REQ],
  [Key3FirmwareError.ButtonRequired, D.ERR_BUTTON_REQ],
  [Key3FirmwareError.PinNotSet, D.ERR_PIN_NOT_SET],
  [Key3FirmwareError.NoData, D.ERR_INVALID_PARAMETER],
  [Key3FirmwareError.NoLicense, D.ERR_UNAUTHORIZED],
  [Key3FirmwareError.LicenseExpired, D.ERR_UNAUTHORIZED],
  [Key3FirmwareError.InvalidLicense, D.ERR_INVALID_PARAMETER],
]);

/**
 * E2 → catalogue: a failure of the key's crypto on our message (bad length, no
 * session, MAC mismatch) means the secure channel is broken → ERR_BAD_SEAL (the
 * driver re-handshakes); bad arguments → ERR_INVALID_PARAMETER; an oversized
 * message → ERR_MESSAGE_TOO_LONG; the key's own crypto failing → ERR_HARDWARE_FAULT.
 */
const CRYPTO: ReadonlyMap<number, Failure> = new Map<number, Failure>([
  [Key3CryptoError.InvalidParams, D.ERR_INVALID_PARAMETER],
  [Key3CryptoError.InvalidLength, D.ERR_BAD_SEAL],
  [Key3CryptoError.InvalidPublicKey, D.ERR_INVALID_PARAMETER],
  [Key3CryptoError.BufferTooSmall, D.ERR_MESSAGE_TOO_LONG],
  [Key3CryptoError.InvalidSo, D.ERR_HARDWARE_FAULT],
  [Key3CryptoError.InvalidState, D.ERR_BAD_SEAL],
  [Key3CryptoError.InvalidPrivateKey, D.ERR_HARDWARE_FAULT],
  [Key3CryptoError.InvalidSignature, D.ERR_BAD_SEAL],
  [Key3CryptoError.EcdhFailed, D.ERR_HARDWARE_FAULT],
  [Key3CryptoError.NoRng, D.ERR_HARDWARE_FAULT],
]);

/**
 * Default for a code not in the tables: ERR_HARDWARE_FAULT. The key refused for a
 * reason we cannot interpret, so the answer must stop the operation without
 * implying anything: not ERR_PIN_WRONG (the user would be told their input was
 * wrong), not ERR_UNKNOWN_MESSAGE or ERR_UNSUPPORTED (a driver could take the
 * command as absent and skip a step), not a retryable busy/timeout.
 */
export const UNKNOWN_KEY3_ERROR: Failure = D.ERR_HARDWARE_FAULT;

export function toDeviceErrorCode(source: ErrorReplySource, error: number): Failure {
  return (source === 'firmware' ? FIRMWARE : CRYPTO).get(error) ?? UNKNOWN_KEY3_ERROR;
}

/**
 * What a Key 3 answers for a catalogue status (the virtual key). Every status
 * toDeviceErrorCode produces maps back to an error that produces it again; the
 * catalogue's other statuses get the nearest Key 3 answer (noted inline).
 */
const INVERSE: ReadonlyMap<Failure, { source: ErrorReplySource; error: number }> = new Map<
  Failure,
  { source: ErrorReplySource; error: number }
>([
  [D.ERR_UNKNOWN_MESSAGE, { source: 'firmware', error: Key3FirmwareError.UnknownMessage }],
  [D.ERR_INVALID_PARAMETER, { source: 'firmware', error: Key3FirmwareError.InvalidParameter }],
  [D.ERR_MESSAGE_TOO_LONG, { source: 'firmware', error: Key3FirmwareError.MessageTooLong }],
  [D.ERR_DEVICE_BUSY, { source: 'firmware', error: Key3FirmwareError.ChannelBusy }],
  [D.ERR_DEVICE_LOCKED_BY_PIN, { source: 'firmware', error: Key3FirmwareError.LockedByPin }],
  [D.ERR_UNAUTHORIZED, { source: 'firmware', error: Key3FirmwareError.Unauthorized }],
  [D.ERR_DEVICE_LOCKED_BY_CODE, { source: 'firmware', error: Key3FirmwareError.LockedByCode }],
  [D.ERR_KEY_WRONG, { source: 'firmware', error: Key3FirmwareError.WrongKey }],
  [D.ERR_ALREADY_INITIALIZED, { source: 'firmware', error: Key3FirmwareError.AlreadyInitialized }],
  [D.ERR_NOT_INITIALIZED, { source: 'firmware', error: Key3FirmwareError.NotInitialized }],
  [D.ERR_OPERATION_CANCELED, { source: 'firmware', error: Key3FirmwareError.OperationCancelled }],
  [D.ERR_TIMEOUT, { source: 'firmware', error: Key3FirmwareError.Timeout }],
  [D.ERR_BUTTON_REQ, { source: 'firmware', error: Key3FirmwareError.ButtonRequired }],
  [D.ERR_PIN_REQ, { source: 'firmware', error: Key3FirmwareError.PinRequired }],
  [D.ERR_PIN_NOT_SET, { source: 'firmware', error: Key3FirmwareError.PinNotSet }],
  /** The key's crypto refusing our message: its MAC did not verify. */
  [D.ERR_BAD_SEAL, { source: 'crypto', error: Key3CryptoError.InvalidSignature }],
  /** No replay error on a Key 3: a stale counter is a session-state failure. */
  [D.ERR_REPLAY, { source: 'crypto', error: Key3CryptoError.InvalidState }],
  /** No "not locked" error on a Key 3: the request does not apply. */
  [D.ERR_NOT_LOCKED, { source: 'firmware', error: Key3FirmwareError.InvalidParameter }],
  [D.ERR_PIN_WRONG, { source: 'firmware', error: Key3FirmwareError.WrongPinOrCode }],
  [D.ERR_PIN_TOO_SHORT, { source: 'firmware', error: Key3FirmwareError.PinTooShort }],
  /** The 8-byte PIN field cannot carry more: the builder refuses before sending. */
  [D.ERR_PIN_TOO_LONG, { source: 'firmware', error: Key3FirmwareError.InvalidParameter }],
  [D.ERR_HARDWARE_FAULT, { source: 'firmware', error: Key3FirmwareError.HardwareFault }],
  /** A key in its bootloader does not know application commands. */
  [D.ERR_BOOTLOADER_MODE, { source: 'firmware', error: Key3FirmwareError.UnknownMessage }],
  [D.ERR_UNSUPPORTED, { source: 'firmware', error: Key3FirmwareError.Unsupported }],
  /** No storage-full error on a Key 3: the key cannot do it. */
  [D.ERR_STORAGE_FULL, { source: 'firmware', error: Key3FirmwareError.HardwareFault }],
]);

export function fromDeviceErrorCode(code: DeviceErrorCode): {
  readonly source: ErrorReplySource;
  readonly error: number;
} {
  const found = INVERSE.get(code as Failure);
  if (found === undefined) {
    throw protocolError(ProtocolErrorCode.BadField, 'not a failure status', {
      field: 'status',
      value: code,
    });
  }
  return { ...found };
}
