import { ecb } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToCounter,
  counterLow16,
  initialCounterBlock,
  resyncCounter,
  updateCounter16,
} from '../../../device/key3/crypto/counter';
import { aesCtr } from '../../../device/key3/crypto/primitives';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { fromHex, hex, refusal } from './helpers';

const block = fc.uint8Array({ minLength: 16, maxLength: 16 });
const asBig = (b: Uint8Array): bigint => BigInt(`0x${hex(b)}`);
const MOD = 1n << 128n;

describe('Key 3 counter block', () => {
  it('adds as one 128-bit big-endian integer, wrapping at 2^128', () => {
    fc.assert(
      fc.property(block, fc.nat(0xffffff), (b, n) => {
        expect(asBig(addToCounter(b, n))).toBe((asBig(b) + BigInt(n)) % MOD);
      }),
    );
    expect(hex(addToCounter(fromHex('00ffffffffffffffffffffffffffffff'), 1))).toBe(
      '01000000000000000000000000000000',
    );
    expect(hex(addToCounter(new Uint8Array(16).fill(0xff), 2))).toBe(
      '00000000000000000000000000000001',
    );
  });

  it('the vendor update rule: set the low 16 bits, carrying one into byte 13 when going backwards', () => {
    const b = fromHex('10101010101010100000000000001018');
    expect(hex(updateCounter16(b, 0x0005))).toBe('10101010101010100000000000010005');
    expect(hex(updateCounter16(b, 0x2000))).toBe('10101010101010100000000000002000');
    expect(hex(updateCounter16(b, 0x1018))).toBe(hex(b));
    expect(hex(updateCounter16(fromHex('000000000000000000000000ffff0010'), 0x0001))).toBe(
      '00000000000000000000000100000001',
    );
    fc.assert(
      fc.property(block, fc.nat(0xffff), (before, v) => {
        const after = updateCounter16(before, v);
        expect(counterLow16(after)).toBe(v);
        const step = asBig(after) - asBig(before);
        // Never backwards, and less than 2^16 ahead (mod 2^128).
        expect(((step % MOD) + MOD) % MOD < 0x10000n).toBe(true);
      }),
    );
  });

  it('the resync jump adds 0x1000 to the low 16 bits, carrying on wrap', () => {
    expect(hex(resyncCounter(fromHex('10101010101010100000000000000018')))).toBe(
      '10101010101010100000000000001018',
    );
    expect(hex(resyncCounter(fromHex('1010101010101010000000000000f800')))).toBe(
      '10101010101010100000000000010800',
    );
  });

  it('starts at (hNonce XOR kNonce) ‖ 00…01', () => {
    expect(hex(initialCounterBlock(fromHex('a1a2a3a4a5a6a7a8'), fromHex('b1b2b3b4b5b6b7b8')))).toBe(
      '10101010101010100000000000000001',
    );
    refusal(
      () => initialCounterBlock(new Uint8Array(7), new Uint8Array(8)),
      ProtocolErrorCode.BadField,
    );
    refusal(() => updateCounter16(new Uint8Array(16), 0x10000), ProtocolErrorCode.BadField);
    refusal(() => counterLow16(new Uint8Array(15)), ProtocolErrorCode.BadField);
  });

  it('CTR keystream is AES of each counter block, the carry running into the upper bytes', () => {
    const key = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
    const start = fromHex('0102030405ffffffffffffffffffffff');
    const { output, counterAfter } = aesCtr(key, start, new Uint8Array(48));
    const expected = [0, 1, 2]
      .map((i) => hex(ecb(key, { disablePadding: true }).encrypt(addToCounter(start, i))))
      .join('');
    expect(hex(output)).toBe(expected);
    expect(hex(counterAfter)).toBe('01020304060000000000000000000002');
  });
});
