import { describe, expect, it } from 'vitest';
import { HwVaultConnectionState } from '../../../shared/hes/dto';
import { accessFlagsFromBits, CodeLockReason, type KeyInfo } from '../../../shared/key/key-info';
import { buildVaultDto, toVersionString } from '../../../main/hes/vault-dto';

const info: KeyInfo = {
  serialNo: 'ST10101190400001',
  mac: 'AA:BB:CC:DD:EE:01',
  model: 'Hideez Key 4',
  firmwareVersion: '1.4.0',
  bootloaderVersion: '1.0.2',
  bootloaderMode: false,
  battery: 87,
  storageTotalSize: 65_536,
  storageFreeSize: 60_000,
  storageTimestamp: 1_700_000_123,
  access: accessFlagsFromBits(0x01 | 0x08 | 0x80),
  lockedByCode: true,
  lockedByPin: false,
  canUnlock: true,
  unlockAttemptsRemain: 3,
  pinAttemptsRemain: 10,
  minPinLength: 4,
  codeLockReason: CodeLockReason.FirstActivation,
  maxMessageSize: 1024,
};

describe('the vault DTO sent to HES', () => {
  it('carries every field of §4.6, in the server types', () => {
    const dto = buildVaultDto(
      info,
      HwVaultConnectionState.Initializing,
      new Date('2025-01-02T03:04:05Z'),
    );
    expect(dto).toEqual({
      version: '1.0.0.0',
      vaultSerialNo: 'ST10101190400001',
      battery: 87,
      firmwareVersion: '1.4.0.0',
      isLocked: true,
      isLockedByPin: false,
      isLockedByCode: true,
      isCanUnlock: true,
      isLinkRequired: true,
      isNewPinRequired: false,
      isMasterKeyRequired: false,
      isPinRequired: true,
      isButtonRequired: false,
      mac: 'AA:BB:CC:DD:EE:01',
      storageTotalSize: 65_536,
      storageFreeSize: 60_000,
      bootloaderVersion: null,
      storageTimestamp: 1_700_000_123,
      unlockAttemptsRemain: 3,
      minPinLength: 4,
      pinAttemptsRemain: 10,
      deviceTime: '2025-01-02T03:04:05.000Z',
      maxMessageSize: 1024,
      connectionState: 1,
    });
    // Every key present, even those the server ignores; bootloaderVersion is never a string.
    expect(Object.keys(dto)).toHaveLength(24);
    expect(
      (JSON.parse(JSON.stringify(dto)) as Record<string, unknown>)['bootloaderVersion'],
    ).toBeNull();
  });

  it('counts a PIN lock as locked too', () => {
    const dto = buildVaultDto(
      { ...info, lockedByCode: false, lockedByPin: true, canUnlock: false },
      3,
    );
    expect(dto.isLocked).toBe(true);
    expect(dto.isLockedByPin).toBe(true);
    expect(dto.connectionState).toBe(3);
  });

  it('writes the firmware as System.Version text', () => {
    expect(toVersionString('3.5.2')).toBe('3.5.2.0');
    expect(toVersionString('1.4')).toBe('1.4.0.0');
    expect(toVersionString('01.2.3.4')).toBe('1.2.3.4');
    expect(toVersionString('1.2.3-beta')).toBe('0.0.0.0');
    expect(toVersionString('')).toBe('0.0.0.0');
  });

  it('keeps numbers in the ranges the server reads (sbyte, byte, ushort)', () => {
    const dto = buildVaultDto(
      { ...info, battery: 300, pinAttemptsRemain: -1, maxMessageSize: 1e6 },
      0,
    );
    expect(dto.battery).toBe(127);
    expect(dto.pinAttemptsRemain).toBe(0);
    expect(dto.maxMessageSize).toBe(0xffff);
  });
});
