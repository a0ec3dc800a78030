// KeyInfo as a CBOR map with integer keys (docs/protocol.md §5.1): the body of a
// GetInfo response and of a remote channel OK reply.
import {
  ACCESS_FLAG_MASK,
  CodeLockReason,
  type KeyInfo,
  accessFlagsFromBits,
  accessFlagsToBits,
} from '../../shared/key/key-info';
import {
  type CborMap,
  UINT32_MAX,
  asCborMap,
  check,
  readBool,
  readBytes,
  readText,
  readUint,
} from './cbor-map';
import { MAX_MESSAGE_SIZE } from './ctaphid';
import { ProtocolErrorCode, protocolError } from './protocol-error';

/** The CBOR key of each KeyInfo field. Unlisted keys are ignored (forward compatibility). */
export const KeyInfoKey = {
  serialNo: 1,
  mac: 2,
  model: 3,
  firmwareVersion: 4,
  bootloaderVersion: 5,
  bootloaderMode: 6,
  battery: 7,
  storageTotalSize: 8,
  storageFreeSize: 9,
  storageTimestamp: 10,
  accessBits: 11,
  lockedByCode: 12,
  lockedByPin: 13,
  canUnlock: 14,
  unlockAttemptsRemain: 15,
  pinAttemptsRemain: 16,
  minPinLength: 17,
  codeLockReason: 18,
  maxMessageSize: 19,
  /** Optional: a key that leaves it out does not say whether it holds a PIN. */
  pinSet: 20,
} as const;

/** Printable ASCII, 1..64 characters (serial number, model). */
export const NAME_PATTERN = /^[\x20-\x7e]{1,64}$/;
export const NAME_MAX_LENGTH = 64;
/** "major.minor.patch", each 0..65535 written without leading zeros. */
export const VERSION_PATTERN = /^(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})$/;
export const VERSION_MAX_LENGTH = 17;
export const MAC_PATTERN = /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/;
export const MAC_BYTES = 6;
export const MAX_PIN_LENGTH_POLICY = 64;
/** The smallest buffer a key may report: one HID report. */
export const MIN_MAX_MESSAGE_SIZE = 64;

export const CODE_LOCK_REASONS: ReadonlySet<number> = new Set(Object.values(CodeLockReason));
const WHAT = 'KeyInfo';

const versionInRange = (version: string): boolean =>
  version.split('.').every((part) => Number(part) <= 0xffff);

function macToBytes(mac: string): Uint8Array {
  check.text(mac, WHAT, 'mac', MAC_PATTERN, 17);
  return Uint8Array.from(mac.split(':').map((part) => parseInt(part, 16)));
}

const macFromBytes = (bytes: Uint8Array): string =>
  [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');

function checkVersion(version: string, field: string): string {
  check.text(version, WHAT, field, VERSION_PATTERN, VERSION_MAX_LENGTH);
  if (!versionInRange(version)) {
    throw protocolError(ProtocolErrorCode.BadField, `${WHAT}: ${field} has a bad format`, {
      field,
    });
  }
  return version;
}

/** The CBOR value (a Map with integer keys) for a KeyInfo. Throws BadField on an out-of-range value. */
export function encodeKeyInfo(info: KeyInfo): Map<number, unknown> {
  const k = KeyInfoKey;
  if (info.storageFreeSize > info.storageTotalSize) {
    throw protocolError(
      ProtocolErrorCode.BadField,
      `${WHAT}: storageFreeSize exceeds storageTotalSize`,
      {
        field: 'storageFreeSize',
      },
    );
  }
  if (!CODE_LOCK_REASONS.has(info.codeLockReason)) {
    throw protocolError(ProtocolErrorCode.BadField, `${WHAT}: codeLockReason is unknown`, {
      field: 'codeLockReason',
    });
  }
  const map = new Map<number, unknown>([
    [k.serialNo, check.text(info.serialNo, WHAT, 'serialNo', NAME_PATTERN, NAME_MAX_LENGTH)],
    [k.mac, macToBytes(info.mac)],
    [k.model, check.text(info.model, WHAT, 'model', NAME_PATTERN, NAME_MAX_LENGTH)],
    [k.firmwareVersion, checkVersion(info.firmwareVersion, 'firmwareVersion')],
    [k.bootloaderVersion, checkVersion(info.bootloaderVersion, 'bootloaderVersion')],
    [k.bootloaderMode, check.bool(info.bootloaderMode, WHAT, 'bootloaderMode')],
    [k.battery, check.uint(info.battery, WHAT, 'battery', 0, 100)],
    [
      k.storageTotalSize,
      check.uint(info.storageTotalSize, WHAT, 'storageTotalSize', 0, UINT32_MAX),
    ],
    [k.storageFreeSize, check.uint(info.storageFreeSize, WHAT, 'storageFreeSize', 0, UINT32_MAX)],
    [
      k.storageTimestamp,
      check.uint(info.storageTimestamp, WHAT, 'storageTimestamp', 0, UINT32_MAX),
    ],
    [k.accessBits, accessFlagsToBits(info.access)],
    [k.lockedByCode, check.bool(info.lockedByCode, WHAT, 'lockedByCode')],
    [k.lockedByPin, check.bool(info.lockedByPin, WHAT, 'lockedByPin')],
    [k.canUnlock, check.bool(info.canUnlock, WHAT, 'canUnlock')],
    [
      k.unlockAttemptsRemain,
      check.uint(info.unlockAttemptsRemain, WHAT, 'unlockAttemptsRemain', 0, 255),
    ],
    [k.pinAttemptsRemain, check.uint(info.pinAttemptsRemain, WHAT, 'pinAttemptsRemain', 0, 255)],
    [k.minPinLength, check.uint(info.minPinLength, WHAT, 'minPinLength', 0, MAX_PIN_LENGTH_POLICY)],
    [k.codeLockReason, info.codeLockReason],
    [
      k.maxMessageSize,
      check.uint(
        info.maxMessageSize,
        WHAT,
        'maxMessageSize',
        MIN_MAX_MESSAGE_SIZE,
        MAX_MESSAGE_SIZE,
      ),
    ],
  ]);
  if (info.pinSet !== undefined) map.set(k.pinSet, check.bool(info.pinSet, WHAT, 'pinSet'));
  return map;
}

/** Decodes and validates a KeyInfo map (a decoded CBOR value). Throws ProtocolError BadCbor/BadField. */
export function decodeKeyInfo(value: unknown): KeyInfo {
  const map: CborMap = asCborMap(value, WHAT);
  const ref = (field: keyof typeof KeyInfoKey) => ({ what: WHAT, key: KeyInfoKey[field], field });
  const serialNo = readText(map, ref('serialNo'), NAME_PATTERN, NAME_MAX_LENGTH);
  const mac = macFromBytes(readBytes(map, ref('mac'), MAC_BYTES, MAC_BYTES));
  const model = readText(map, ref('model'), NAME_PATTERN, NAME_MAX_LENGTH);
  const firmwareVersion = readText(
    map,
    ref('firmwareVersion'),
    VERSION_PATTERN,
    VERSION_MAX_LENGTH,
  );
  const bootloaderVersion = readText(
    map,
    ref('bootloaderVersion'),
    VERSION_PATTERN,
    VERSION_MAX_LENGTH,
  );
  checkVersion(firmwareVersion, 'firmwareVersion');
  checkVersion(bootloaderVersion, 'bootloaderVersion');
  const storageTotalSize = readUint(map, ref('storageTotalSize'), 0, UINT32_MAX);
  const storageFreeSize = readUint(map, ref('storageFreeSize'), 0, storageTotalSize);
  // Bits this version does not know are ignored: a newer key may report more.
  const accessBits = readUint(map, ref('accessBits'), 0, 0xff) & ACCESS_FLAG_MASK;
  const codeLockReason = readUint(map, ref('codeLockReason'), 0, 0xff);
  if (!CODE_LOCK_REASONS.has(codeLockReason)) {
    throw protocolError(ProtocolErrorCode.BadField, `${WHAT}: codeLockReason is unknown`, {
      field: 'codeLockReason',
    });
  }
  return {
    serialNo,
    mac,
    model,
    firmwareVersion,
    bootloaderVersion,
    bootloaderMode: readBool(map, ref('bootloaderMode')),
    battery: readUint(map, ref('battery'), 0, 100),
    storageTotalSize,
    storageFreeSize,
    storageTimestamp: readUint(map, ref('storageTimestamp'), 0, UINT32_MAX),
    access: accessFlagsFromBits(accessBits),
    lockedByCode: readBool(map, ref('lockedByCode')),
    lockedByPin: readBool(map, ref('lockedByPin')),
    canUnlock: readBool(map, ref('canUnlock')),
    unlockAttemptsRemain: readUint(map, ref('unlockAttemptsRemain'), 0, 255),
    pinAttemptsRemain: readUint(map, ref('pinAttemptsRemain'), 0, 255),
    minPinLength: readUint(map, ref('minPinLength'), 0, MAX_PIN_LENGTH_POLICY),
    codeLockReason: codeLockReason as CodeLockReason,
    maxMessageSize: readUint(map, ref('maxMessageSize'), MIN_MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE),
    ...(map.has(KeyInfoKey.pinSet) ? { pinSet: readBool(map, ref('pinSet')) } : {}),
  };
}
