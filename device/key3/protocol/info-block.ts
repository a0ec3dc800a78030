// The GETINFO info block (INFO payload, reference §3.2). Older firmware sends a
// shorter block, so every field after the serial number is read only when the
// block is long enough for it, as the vendor host does; an absent field is left
// out (reads as undefined). Encoded as a full 64-byte block for the virtual key.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { checkInteger, readI8, readU16LE, readU32LE, writeU16LE, writeU32LE } from './bytes';

export const INFO_BLOCK_BYTES = 64;
/** Up to the end of the serial number: shorter is Truncated. */
export const INFO_BLOCK_MIN_BYTES = 36;
const SERIAL_OFFSET = 16;
const SERIAL_BYTES = 20;

const LOCKED_BY_CODE = 0x40;
const CAN_UNLOCK = 0x20;
const LOCKED_BY_PIN = 0x10;

export interface Key3InfoBlock {
  readonly layoutVersion: number;
  readonly sizeOfInfoStructure: number;
  readonly firmwareDeviceType: number;
  /** "major.minor.build" */
  readonly firmwareVersion: string;
  readonly bootloaderDeviceType: number;
  readonly bootloaderVersion: string;
  /** "major.minor" */
  readonly softDeviceVersion: string;
  readonly serialNumber: string;
  /** Length ≥ 44. */
  readonly storageTotalSize?: number;
  readonly storageFreeSize?: number;
  /** Access-level bits (status.ts), length ≥ 45. */
  readonly accessLevel?: number;
  /** Byte 45 flags, length ≥ 46. */
  readonly isLockedByCode?: boolean;
  readonly isLockedByPin?: boolean;
  readonly isCanUnlock?: boolean;
  /** Activation-code attempts left (byte 45 low nibble): read only when length ≥ 60, as the vendor host does. */
  readonly unlockAttemptsRemain?: number;
  /** Byte 46, length ≥ 47. */
  readonly minPinLength?: number;
  readonly pinAttemptsRemain?: number;
  /** Percent, signed; length ≥ 48. */
  readonly battery?: number;
  /** The key's clock, Unix seconds; length ≥ 52. */
  readonly deviceTimeUnix?: number;
  /** Length ≥ 54. */
  readonly maxMessageSize?: number;
  /** 2 bytes LE at 54; read when length ≥ 56 (the reference's "≥ 55" gate would read past a 55-byte block). */
  readonly licenseInfo?: number;
  /** Length ≥ 64. */
  readonly storageTimestamp?: number;
}

const version = (bytes: Uint8Array, at: number): string =>
  `${bytes[at] ?? 0}.${bytes[at + 1] ?? 0}.${bytes[at + 2] ?? 0}`;

/** UTF-8, NUL as space, trimmed. */
function serialNumber(field: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(field);
  return text.replaceAll('\u0000', ' ').trim();
}

export function decodeInfoBlock(block: Uint8Array): Key3InfoBlock {
  if (block.length < INFO_BLOCK_MIN_BYTES) {
    throw protocolError(
      ProtocolErrorCode.Truncated,
      'an info block shorter than its serial number',
      {
        length: block.length,
        need: INFO_BLOCK_MIN_BYTES,
      },
    );
  }
  const n = block.length;
  const lockByte = block[45] ?? 0;
  const pinByte = block[46] ?? 0;
  return {
    layoutVersion: readU16LE(block, 0),
    sizeOfInfoStructure: readU16LE(block, 2),
    firmwareDeviceType: block[4] ?? 0,
    firmwareVersion: version(block, 5),
    bootloaderDeviceType: block[8] ?? 0,
    bootloaderVersion: version(block, 9),
    softDeviceVersion: `${readU16LE(block, 12)}.${readU16LE(block, 14)}`,
    serialNumber: serialNumber(block.subarray(SERIAL_OFFSET, SERIAL_OFFSET + SERIAL_BYTES)),
    ...(n >= 44
      ? { storageTotalSize: readU32LE(block, 36), storageFreeSize: readU32LE(block, 40) }
      : {}),
    ...(n >= 45 ? { accessLevel: block[44] ?? 0 } : {}),
    ...(n >= 46
      ? {
          isLockedByCode: (lockByte & LOCKED_BY_CODE) !== 0,
          isLockedByPin: (lockByte & LOCKED_BY_PIN) !== 0,
          isCanUnlock: (lockByte & CAN_UNLOCK) !== 0,
        }
      : {}),
    ...(n >= 60 ? { unlockAttemptsRemain: lockByte & 0x0f } : {}),
    ...(n >= 47 ? { minPinLength: pinByte >> 4, pinAttemptsRemain: pinByte & 0x0f } : {}),
    ...(n >= 48 ? { battery: readI8(block, 47) } : {}),
    ...(n >= 52 ? { deviceTimeUnix: readU32LE(block, 48) } : {}),
    ...(n >= 54 ? { maxMessageSize: readU16LE(block, 52) } : {}),
    ...(n >= 56 ? { licenseInfo: readU16LE(block, 54) } : {}),
    ...(n >= 64 ? { storageTimestamp: readU32LE(block, 60) } : {}),
  };
}

/** Every field, for a full block. */
export type Key3InfoBlockFields = Required<Key3InfoBlock>;

function parseVersion(field: string, text: string, parts: number, max: number): number[] {
  const values = text.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (values.length !== parts || values.some((v) => !(v >= 0 && v <= max))) {
    throw protocolError(ProtocolErrorCode.BadField, `${field} must be ${parts} numbers 0..${max}`, {
      field,
    });
  }
  return values;
}

/** A full 64-byte block (bytes 56–59 zero). The serial must be ≤ 20 UTF-8 bytes. */
export function encodeInfoBlock(fields: Key3InfoBlockFields): Uint8Array {
  const out = new Uint8Array(INFO_BLOCK_BYTES);
  const u8 = (field: keyof Key3InfoBlockFields, at: number, value: number): void => {
    checkInteger(field, value, 0, 0xff);
    out[at] = value;
  };
  const u16 = (field: keyof Key3InfoBlockFields, at: number, value: number): void => {
    checkInteger(field, value, 0, 0xffff);
    writeU16LE(out, at, value);
  };
  const u32 = (field: keyof Key3InfoBlockFields, at: number, value: number): void => {
    checkInteger(field, value, 0, 0xffffffff);
    writeU32LE(out, at, value);
  };
  u16('layoutVersion', 0, fields.layoutVersion);
  u16('sizeOfInfoStructure', 2, fields.sizeOfInfoStructure);
  u8('firmwareDeviceType', 4, fields.firmwareDeviceType);
  out.set(parseVersion('firmwareVersion', fields.firmwareVersion, 3, 0xff), 5);
  u8('bootloaderDeviceType', 8, fields.bootloaderDeviceType);
  out.set(parseVersion('bootloaderVersion', fields.bootloaderVersion, 3, 0xff), 9);
  const [sdMajor = 0, sdMinor = 0] = parseVersion(
    'softDeviceVersion',
    fields.softDeviceVersion,
    2,
    0xffff,
  );
  writeU16LE(out, 12, sdMajor);
  writeU16LE(out, 14, sdMinor);
  const serial = new TextEncoder().encode(fields.serialNumber);
  if (serial.length > SERIAL_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'the serial number is longer than 20 bytes', {
      field: 'serialNumber',
      length: serial.length,
    });
  }
  out.set(serial, SERIAL_OFFSET);
  u32('storageTotalSize', 36, fields.storageTotalSize);
  u32('storageFreeSize', 40, fields.storageFreeSize);
  u8('accessLevel', 44, fields.accessLevel);
  checkInteger('unlockAttemptsRemain', fields.unlockAttemptsRemain, 0, 0x0f);
  out[45] =
    (fields.isLockedByCode ? LOCKED_BY_CODE : 0) |
    (fields.isCanUnlock ? CAN_UNLOCK : 0) |
    (fields.isLockedByPin ? LOCKED_BY_PIN : 0) |
    fields.unlockAttemptsRemain;
  checkInteger('minPinLength', fields.minPinLength, 0, 0x0f);
  checkInteger('pinAttemptsRemain', fields.pinAttemptsRemain, 0, 0x0f);
  out[46] = (fields.minPinLength << 4) | fields.pinAttemptsRemain;
  checkInteger('battery', fields.battery, -128, 127);
  out[47] = fields.battery & 0xff;
  u32('deviceTimeUnix', 48, fields.deviceTimeUnix);
  u16('maxMessageSize', 52, fields.maxMessageSize);
  u16('licenseInfo', 54, fields.licenseInfo);
  u32('storageTimestamp', 60, fields.storageTimestamp);
  return out;
}
