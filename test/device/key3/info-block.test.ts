import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INFO_BLOCK_BYTES,
  type Key3InfoBlockFields,
  decodeInfoBlock,
  encodeInfoBlock,
} from '../../../device/key3/protocol/info-block';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { bytesOf, decodesOrRefuses, loadVectors, mutate, refusal, vector } from './helpers';

const u8 = fc.nat(255);
const u16 = fc.nat(0xffff);
const u32 = fc.nat(0xffffffff);
const nibble = fc.nat(15);
const serial = fc.stringMatching(/^[A-Z0-9][A-Z0-9 -]{0,18}[A-Z0-9]$|^[A-Z0-9]$/);

const fields: fc.Arbitrary<Key3InfoBlockFields> = fc.record({
  layoutVersion: u16,
  sizeOfInfoStructure: u16,
  firmwareDeviceType: u8,
  firmwareVersion: fc.tuple(u8, u8, u8).map((v) => v.join('.')),
  bootloaderDeviceType: u8,
  bootloaderVersion: fc.tuple(u8, u8, u8).map((v) => v.join('.')),
  softDeviceVersion: fc.tuple(u16, u16).map((v) => v.join('.')),
  serialNumber: serial,
  storageTotalSize: u32,
  storageFreeSize: u32,
  accessLevel: u8,
  isLockedByCode: fc.boolean(),
  isLockedByPin: fc.boolean(),
  isCanUnlock: fc.boolean(),
  unlockAttemptsRemain: nibble,
  minPinLength: nibble,
  pinAttemptsRemain: nibble,
  battery: fc.integer({ min: -128, max: 127 }),
  deviceTimeUnix: u32,
  maxMessageSize: u16,
  licenseInfo: u16,
  storageTimestamp: u32,
});

const sample = (): Uint8Array =>
  bytesOf(vector(loadVectors(), 'getinfo-encrypted').inputs, 'infoBlock');

describe('Key 3 info block', () => {
  it('round-trips every field through a 64-byte block', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const block = encodeInfoBlock(f);
        expect(block).toHaveLength(INFO_BLOCK_BYTES);
        expect(decodeInfoBlock(block)).toEqual(f);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes the vendor sample and re-encodes it byte for byte', () => {
    const block = sample();
    const info = decodeInfoBlock(block);
    expect(info).toMatchObject({
      serialNumber: 'ST10301190500001',
      firmwareVersion: '3.5.2',
      isLockedByCode: true,
      unlockAttemptsRemain: 3,
    });
    expect(encodeInfoBlock(info as Key3InfoBlockFields)).toEqual(block);
  });

  it('reads each later field only when the block is long enough for it', () => {
    const block = sample();
    const keysAt = (n: number): string[] => Object.keys(decodeInfoBlock(block.subarray(0, n)));
    expect(keysAt(36)).toHaveLength(8);
    expect(keysAt(43)).toHaveLength(8);
    expect(keysAt(44)).toContain('storageFreeSize');
    expect(keysAt(44)).not.toContain('accessLevel');
    expect(keysAt(45)).toContain('accessLevel');
    expect(keysAt(46)).toContain('isLockedByCode');
    expect(keysAt(59)).not.toContain('unlockAttemptsRemain');
    expect(keysAt(60)).toContain('unlockAttemptsRemain');
    expect(keysAt(47)).toContain('minPinLength');
    expect(keysAt(48)).toContain('battery');
    expect(keysAt(52)).toContain('deviceTimeUnix');
    expect(keysAt(54)).toContain('maxMessageSize');
    expect(keysAt(55)).not.toContain('licenseInfo');
    expect(keysAt(56)).toContain('licenseInfo');
    expect(keysAt(63)).not.toContain('storageTimestamp');
    expect(keysAt(64)).toContain('storageTimestamp');
    expect(decodeInfoBlock(block.subarray(0, 47)).unlockAttemptsRemain).toBeUndefined();
  });

  it('serial: UTF-8, NUL as space, trimmed', () => {
    const block = sample();
    block.fill(0, 16, 36);
    block.set(new TextEncoder().encode('\u0000AB\u0000C\u0000'), 16);
    expect(decodeInfoBlock(block).serialNumber).toBe('AB C');
    block.set(new TextEncoder().encode('ключ-1'), 16);
    expect(decodeInfoBlock(block).serialNumber).toBe('ключ-1');
  });

  it('refuses a block shorter than the serial number, and out-of-range fields', () => {
    refusal(() => decodeInfoBlock(sample().subarray(0, 35)), ProtocolErrorCode.Truncated);
    const f = decodeInfoBlock(sample()) as Key3InfoBlockFields;
    refusal(
      () => encodeInfoBlock({ ...f, serialNumber: 'X'.repeat(21) }),
      ProtocolErrorCode.BadField,
    );
    refusal(() => encodeInfoBlock({ ...f, firmwareVersion: '3.5' }), ProtocolErrorCode.BadField);
    refusal(
      () => encodeInfoBlock({ ...f, firmwareVersion: '3.5.256' }),
      ProtocolErrorCode.BadField,
    );
    refusal(() => encodeInfoBlock({ ...f, unlockAttemptsRemain: 16 }), ProtocolErrorCode.BadField);
    refusal(() => encodeInfoBlock({ ...f, battery: -129 }), ProtocolErrorCode.BadField);
  });

  it('random and mutated blocks decode or throw ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) =>
        decodesOrRefuses(() => decodeInfoBlock(b)),
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(mutate(sample()), (b) => decodesOrRefuses(() => decodeInfoBlock(b))),
      { numRuns: 500 },
    );
  });
});
