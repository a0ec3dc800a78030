// HwVaultInfoFromClientDto built from the key's own report, field by field as
// hes-contract.md §4.6 lists it. Every field is always present: the server ignores
// most of them, but the SDK sends them all and so do we.
import { HwVaultConnectionState, type HwVaultInfoFromClientDto } from '../../shared/hes/dto';
import type { KeyInfo } from '../../shared/key/key-info';

/** The DTO's class version, a constant the server ignores. */
export const VAULT_DTO_VERSION = '1.0.0.0';

/**
 * `System.Version.ToString()` of the firmware: "major.minor.patch" → "major.minor.patch.0".
 * Anything that is not 1–4 dot-separated numbers reads as "0.0.0.0" (the server
 * stores the text and nothing more).
 */
export function toVersionString(version: string): string {
  const parts = version.split('.');
  if (parts.length < 1 || parts.length > 4 || !parts.every((p) => /^\d{1,9}$/.test(p))) {
    return '0.0.0.0';
  }
  const numbers = parts.map((p) => String(Number(p)));
  while (numbers.length < 4) numbers.push('0');
  return numbers.join('.');
}

const clamp = (value: number, min: number, max: number): number =>
  Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;

export function buildVaultDto(
  info: KeyInfo,
  state: HwVaultConnectionState,
  now: Date = new Date(),
): HwVaultInfoFromClientDto {
  return {
    version: VAULT_DTO_VERSION,
    vaultSerialNo: info.serialNo,
    // sbyte, byte, uint and ushort on the server: out-of-range numbers fail its reader.
    battery: clamp(info.battery, -128, 127),
    firmwareVersion: toVersionString(info.firmwareVersion),
    isLocked: info.lockedByCode || info.lockedByPin,
    isLockedByPin: info.lockedByPin,
    isLockedByCode: info.lockedByCode,
    isCanUnlock: info.canUnlock,
    isLinkRequired: info.access.linkRequired,
    isNewPinRequired: info.access.newPinRequired,
    isMasterKeyRequired: info.access.masterKeyRequired,
    isPinRequired: info.access.pinRequired,
    isButtonRequired: info.access.buttonRequired,
    mac: info.mac,
    storageTotalSize: clamp(info.storageTotalSize, 0, 0xffff_ffff),
    storageFreeSize: clamp(info.storageFreeSize, 0, 0xffff_ffff),
    bootloaderVersion: null,
    storageTimestamp: clamp(info.storageTimestamp, 0, 0xffff_ffff),
    unlockAttemptsRemain: clamp(info.unlockAttemptsRemain, 0, 255),
    minPinLength: clamp(info.minPinLength, 0, 255),
    pinAttemptsRemain: clamp(info.pinAttemptsRemain, 0, 255),
    deviceTime: now.toISOString(),
    maxMessageSize: clamp(info.maxMessageSize, 0, 0xffff),
    connectionState: state,
  };
}

export { HwVaultConnectionState };
