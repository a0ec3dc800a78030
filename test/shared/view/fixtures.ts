// Key reports for the view and lifecycle tests: an unlocked, ready key unless told otherwise.
import { CodeLockReason, type AccessFlags, type KeyInfo } from '../../../shared/key/key-info';

export const NO_FLAGS: AccessFlags = {
  linkRequired: false,
  newPinRequired: false,
  masterKeyRequired: false,
  pinRequired: false,
  buttonRequired: false,
  locked: false,
};

type KeyOverrides = Partial<Omit<KeyInfo, 'access'>> & { access?: Partial<AccessFlags> };

export function keyInfo(overrides: KeyOverrides = {}): KeyInfo {
  const { access, ...rest } = overrides;
  return {
    serialNo: 'ST10000000000001',
    mac: 'AA:BB:CC:DD:EE:01',
    model: 'Hideez Key 4 (virtual)',
    firmwareVersion: '1.0.0',
    bootloaderVersion: '1.0.0',
    bootloaderMode: false,
    battery: 90,
    storageTotalSize: 32768,
    storageFreeSize: 30000,
    storageTimestamp: 0,
    lockedByCode: false,
    lockedByPin: false,
    canUnlock: false,
    unlockAttemptsRemain: 0,
    pinAttemptsRemain: 3,
    minPinLength: 4,
    codeLockReason: CodeLockReason.None,
    maxMessageSize: 7609,
    ...rest,
    access: { ...NO_FLAGS, ...access },
  };
}

/** A key linked by the server and waiting for its first activation code. */
export const awaitingCode = (attempts = 3): KeyInfo =>
  keyInfo({
    access: { locked: true },
    lockedByCode: true,
    canUnlock: attempts > 0,
    unlockAttemptsRemain: attempts,
    codeLockReason: CodeLockReason.FirstActivation,
  });
