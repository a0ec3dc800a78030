// A Key 3's GETINFO info block as the one key-state model (shared KeyInfo). The key
// does not say why it is locked by code (first activation or suspension: the view
// takes that from the server's status), and its identity before GETINFO is its
// BLE address (reference §1.1), which is also what a key in its bootloader is
// known by: the bootloader answers no GETINFO.
import { accessFlagsFromBits, CodeLockReason, type KeyInfo } from '../../../shared/key/key-info';
import type { Key3InfoBlock } from '../protocol/info-block';

export const KEY3_MODEL = 'Hideez Key 3';
/** What our KeyInfo model requires at least (one HID report); a Key 3 reports 1024. */
const MIN_MAX_MESSAGE_SIZE = 64;
const MAX_MAX_MESSAGE_SIZE = 7609;

const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, value));

/** "AA:BB:CC:DD:EE:FF" from noble's address or id (any case, with or without colons). */
export function macOf(address: string): string {
  const digits = address.replaceAll(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (digits.length !== 12) return '00:00:00:00:00:00';
  return digits.match(/../g)?.join(':') ?? '00:00:00:00:00:00';
}

/** Versions as our model writes them: "major.minor.patch", each part 0..65535. */
const version3 = (text: string): string => {
  const parts = text.split('.').map((p) => clamp(Number.parseInt(p, 10) || 0, 0, 0xffff));
  while (parts.length < 3) parts.push(0);
  return parts.slice(0, 3).join('.');
};

/** A printable serial (our model's rule); a key that sends none is named by its address. */
const serialOf = (block: Key3InfoBlock, mac: string): string => {
  const printable = block.serialNumber
    .replaceAll(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 64);
  return printable.length > 0 ? printable : mac;
};

export function keyInfoFromBlock(block: Key3InfoBlock, mac: string): KeyInfo {
  const access = accessFlagsFromBits(block.accessLevel ?? 0);
  const lockedByCode = block.isLockedByCode ?? false;
  const lockedByPin = block.isLockedByPin ?? false;
  const total = block.storageTotalSize ?? 0;
  return {
    serialNo: serialOf(block, mac),
    mac,
    model: KEY3_MODEL,
    firmwareVersion: version3(block.firmwareVersion),
    bootloaderVersion: version3(block.bootloaderVersion),
    bootloaderMode: false,
    battery: clamp(block.battery ?? 0, 0, 100),
    storageTotalSize: total,
    storageFreeSize: clamp(block.storageFreeSize ?? 0, 0, total),
    storageTimestamp: block.storageTimestamp ?? 0,
    access,
    lockedByCode,
    lockedByPin,
    canUnlock: lockedByCode && (block.isCanUnlock ?? false),
    unlockAttemptsRemain: block.unlockAttemptsRemain ?? 0,
    pinAttemptsRemain: block.pinAttemptsRemain ?? 0,
    minPinLength: block.minPinLength ?? 0,
    // The key does not tell why it is locked by code: the view asks the server.
    codeLockReason: CodeLockReason.None,
    maxMessageSize: clamp(block.maxMessageSize ?? 1024, MIN_MAX_MESSAGE_SIZE, MAX_MAX_MESSAGE_SIZE),
  };
}

/** A key in its bootloader: known by its address; nothing else is asked of it. */
export function bootloaderKeyInfo(mac: string): KeyInfo {
  return {
    serialNo: mac,
    mac,
    model: KEY3_MODEL,
    firmwareVersion: '0.0.0',
    bootloaderVersion: '0.0.0',
    bootloaderMode: true,
    battery: 0,
    storageTotalSize: 0,
    storageFreeSize: 0,
    storageTimestamp: 0,
    access: accessFlagsFromBits(0),
    lockedByCode: false,
    lockedByPin: false,
    canUnlock: false,
    unlockAttemptsRemain: 0,
    pinAttemptsRemain: 0,
    minPinLength: 0,
    codeLockReason: CodeLockReason.None,
    maxMessageSize: 1024,
  };
}
