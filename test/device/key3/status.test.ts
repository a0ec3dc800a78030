import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Key3StatusFields,
  decodeStatus,
  decodeStatusPacket,
  encodeStatus,
} from '../../../device/key3/protocol/status';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { channel, decodesOrRefuses, mutate, refusal } from './helpers';

const fields: fc.Arbitrary<Key3StatusFields> = fc.record({
  battery: fc.integer({ min: -128, max: 127 }),
  rssi: fc.integer({ min: -128, max: 127 }),
  byte4: fc.nat(255),
  pinAttemptsRemain: fc.nat(255),
  storageUpdateCounter: fc.nat(63),
  otherConnections: fc.nat(3),
  buttonByte: fc.nat(255),
  accessLevels: fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }),
});

describe('Key 3 STATUS', () => {
  it('round-trips every field through the 20-byte packet', () => {
    fc.assert(
      fc.property(fields, channel, (f, ch) => {
        const packet = encodeStatus(f);
        expect(packet).toHaveLength(20);
        expect(decodeStatusPacket(packet)).toEqual({ ...f, button: f.buttonByte & 0x7f });
        const status = decodeStatus(packet, ch);
        expect(status.channel).toBe(ch);
        expect(status.accessLevel.raw).toBe(f.accessLevels[ch - 1]);
        expect(status.accessLevel.locked).toBe(((f.accessLevels[ch - 1] ?? 0) & 0x80) !== 0);
      }),
    );
  });

  it('reads the access level of the channel asked for (byte 8 + ch - 1)', () => {
    const packet = encodeStatus({
      battery: 1,
      rssi: -1,
      pinAttemptsRemain: 0,
      storageUpdateCounter: 0,
      otherConnections: 0,
      buttonByte: 0x91,
      accessLevels: [0x01, 0x02, 0x04, 0x08, 0x10, 0x80],
    });
    expect(decodeStatus(packet, 1).accessLevel.linkRequired).toBe(true);
    expect(decodeStatus(packet, 2).accessLevel.newPinRequired).toBe(true);
    expect(decodeStatus(packet, 3).accessLevel.masterKeyRequired).toBe(true);
    expect(decodeStatus(packet, 4).accessLevel.pinRequired).toBe(true);
    expect(decodeStatus(packet, 5).accessLevel.buttonRequired).toBe(true);
    expect(decodeStatus(packet, 6).accessLevel).toMatchObject({ locked: true, raw: 0x80 });
    expect(decodeStatus(packet, 6).button).toBe(0x11);
  });

  it('refuses short, long, non-STATUS packets, bad channels and out-of-range fields', () => {
    const ok = encodeStatus({
      battery: 0,
      rssi: 0,
      pinAttemptsRemain: 0,
      storageUpdateCounter: 0,
      otherConnections: 0,
      buttonByte: 0,
      accessLevels: [],
    });
    refusal(() => decodeStatus(ok.subarray(0, 13), 1), ProtocolErrorCode.Truncated);
    expect(decodeStatus(ok.subarray(0, 14), 6).accessLevel.raw).toBe(0);
    refusal(() => decodeStatusPacket(new Uint8Array(21).fill(0x16)), ProtocolErrorCode.Overlong);
    refusal(
      () => decodeStatusPacket(Uint8Array.of(0, 0x17, ...new Uint8Array(18))),
      ProtocolErrorCode.BadField,
    );
    refusal(() => decodeStatus(ok, 0), ProtocolErrorCode.BadChannel);
    refusal(() => decodeStatus(ok, 7), ProtocolErrorCode.BadChannel);
    const base = {
      battery: 0,
      rssi: 0,
      pinAttemptsRemain: 0,
      storageUpdateCounter: 0,
      otherConnections: 0,
      buttonByte: 0,
      accessLevels: [],
    };
    refusal(() => encodeStatus({ ...base, battery: 128 }), ProtocolErrorCode.BadField);
    refusal(() => encodeStatus({ ...base, storageUpdateCounter: 64 }), ProtocolErrorCode.BadField);
    refusal(() => encodeStatus({ ...base, otherConnections: 4 }), ProtocolErrorCode.BadField);
    refusal(
      () => encodeStatus({ ...base, accessLevels: [0, 0, 0, 0, 0, 0, 0] }),
      ProtocolErrorCode.BadField,
    );
    refusal(() => encodeStatus({ ...base, accessLevels: [256] }), ProtocolErrorCode.BadField);
  });

  it('random and mutated packets decode or throw ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.integer({ min: -1, max: 8 }), (bytes, ch) =>
        decodesOrRefuses(() => decodeStatus(bytes, ch)),
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fields.chain((f) => mutate(encodeStatus(f))),
        channel,
        (bytes, ch) => decodesOrRefuses(() => decodeStatus(bytes, ch)),
      ),
    );
  });
});
