import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ControlCode,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGE_PACKETS,
  WipeResult,
  busyPacket,
  cancelPacket,
  classifyNotification,
  commitPacket,
  encodeDataPacket,
  encodeMessagePackets,
  progressPacket,
  resetPacket,
  shutdownPacket,
  statusPacket,
  wipePacket,
} from '../../../device/key3/protocol/packets';
import { PacketReassembler } from '../../../device/key3/protocol/reassembler';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { blocks, channel, decodesOrRefuses, hex, refusal } from './helpers';

function reassemble(ch: number, packets: Uint8Array[]): Uint8Array[] {
  const r = new PacketReassembler(ch);
  const out: Uint8Array[] = [];
  for (const p of packets) {
    const n = classifyNotification(p);
    if (n.kind !== 'data') throw new Error('not a data packet');
    const message = r.push(n);
    if (message !== undefined) out.push(message);
  }
  return out;
}

describe('Key 3 data packets', () => {
  it('lay out 00 | ch<<5 F L idx>>8 | idx | 16 bytes | 00', () => {
    const body = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const p = encodeDataPacket({ channel: 2, flag: true, last: true, index: 0x234, body });
    expect(hex(p)).toBe(`00${(0x40 | 0x10 | 0x08 | 0x02).toString(16)}34${hex(body)}00`);
    expect(classifyNotification(p)).toEqual({
      kind: 'data',
      channel: 2,
      flag: true,
      last: true,
      index: 0x234,
      body,
    });
  });

  it('round-trip any channel 1..6, flag and message of whole blocks', () => {
    fc.assert(
      fc.property(channel, fc.boolean(), blocks(80), (ch, flag, message) => {
        const packets = encodeMessagePackets(ch, message, flag);
        expect(packets).toHaveLength(message.length / 16);
        expect(packets.every((p) => p.length === 20 && p[0] === 0 && p[19] === 0)).toBe(true);
        packets.forEach((p, i) => {
          const n = classifyNotification(p);
          expect(n).toMatchObject({
            kind: 'data',
            channel: ch,
            flag,
            index: i,
            last: i === packets.length - 1,
          });
        });
        expect(reassemble(ch, packets)).toEqual([message]);
      }),
      { numRuns: 200 },
    );
  });

  it('carry up to 2047 packets: the 11-bit index, and a count COMMIT can acknowledge', () => {
    const big = new Uint8Array(MAX_MESSAGE_BYTES).map((_, i) => i & 0xff);
    const packets = encodeMessagePackets(6, big);
    expect(packets).toHaveLength(MAX_MESSAGE_PACKETS);
    expect(hex(packets.at(-1)!.subarray(0, 3))).toBe('00cffe');
    expect(reassemble(6, packets)).toEqual([big]);
    refusal(
      () => encodeMessagePackets(1, new Uint8Array(MAX_MESSAGE_BYTES + 16)),
      ProtocolErrorCode.Overlong,
    );
  });

  it('refuse a bad channel, an empty or unaligned message', () => {
    refusal(() => encodeMessagePackets(0, new Uint8Array(16)), ProtocolErrorCode.BadChannel);
    refusal(() => encodeMessagePackets(7, new Uint8Array(16)), ProtocolErrorCode.BadChannel);
    refusal(() => encodeMessagePackets(1, new Uint8Array(0)), ProtocolErrorCode.BadField);
    refusal(() => encodeMessagePackets(1, new Uint8Array(17)), ProtocolErrorCode.BadField);
    refusal(
      () =>
        encodeDataPacket({
          channel: 1,
          flag: false,
          last: false,
          index: 2048,
          body: new Uint8Array(16),
        }),
      ProtocolErrorCode.BadField,
    );
  });
});

describe('Key 3 control packets', () => {
  it('COMMIT is 00 10 [ch<<5|18|cnt>>8] [cnt]', () => {
    expect(hex(commitPacket(1, 5))).toBe('0010380500000000000000000000000000000000');
    expect(hex(commitPacket(6, 0x123))).toBe(`0010d923${'00'.repeat(16)}`);
    expect(classifyNotification(commitPacket(4, 2047))).toEqual({
      kind: 'control',
      code: ControlCode.COMMIT,
      channel: 4,
      count: 2047,
    });
    refusal(() => commitPacket(1, 0), ProtocolErrorCode.BadField);
    refusal(() => commitPacket(1, 2048), ProtocolErrorCode.BadField);
  });

  it('RESET is 00 13 [1 << (ch-1)]; CANCEL 00 12', () => {
    expect(hex(resetPacket(1))).toBe('0013010000000000000000000000000000000000');
    expect(hex(resetPacket(6)).slice(0, 6)).toBe('001320');
    expect(classifyNotification(resetPacket(4))).toEqual({
      kind: 'control',
      code: ControlCode.RESET,
      channels: 0x08,
    });
    expect(hex(cancelPacket())).toBe(`0012${'00'.repeat(18)}`);
  });

  it('classifies every key-side control packet', () => {
    expect(classifyNotification(cancelPacket())).toEqual({
      kind: 'control',
      code: ControlCode.CANCEL,
    });
    expect(classifyNotification(busyPacket())).toEqual({ kind: 'control', code: ControlCode.BUSY });
    expect(classifyNotification(shutdownPacket())).toEqual({
      kind: 'control',
      code: ControlCode.SHUTDOWN,
    });
    expect(classifyNotification(progressPacket())).toMatchObject({
      kind: 'control',
      code: ControlCode.PROGRESS,
    });
    expect(classifyNotification(wipePacket(WipeResult.Timeout))).toEqual({
      kind: 'control',
      code: ControlCode.WIPE,
      result: 2,
    });
    expect(classifyNotification(Uint8Array.of(0, 0x15, 7))).toMatchObject({
      kind: 'control',
      code: ControlCode.CONFIRM,
    });
    expect(classifyNotification(Uint8Array.of(0, 0x1f, 1, 2))).toMatchObject({
      kind: 'control',
      code: ControlCode.DEBUG,
    });
    const status = statusPacket({
      battery: 85,
      rssi: -60,
      pinAttemptsRemain: 3,
      storageUpdateCounter: 2,
      otherConnections: 0,
      buttonByte: 0,
      accessLevels: [1],
    });
    expect(hex(status)).toBe('001655c400030200010000000000000000000000');
    const n = classifyNotification(status);
    expect(n).toMatchObject({
      kind: 'control',
      code: ControlCode.STATUS,
      status: { battery: 85, rssi: -60 },
    });
  });

  it('drops 0- and 1-byte notifications; byte 1 < 0x20 is control, unknown codes refused', () => {
    expect(classifyNotification(new Uint8Array(0))).toEqual({ kind: 'ignored' });
    expect(classifyNotification(Uint8Array.of(0x16))).toEqual({ kind: 'ignored' });
    for (const code of [0x00, 0x05, 0x0f, 0x19, 0x1e]) {
      expect(
        refusal(
          () => classifyNotification(Uint8Array.of(0, code)),
          ProtocolErrorCode.UnknownCommand,
        ).details,
      ).toEqual({ code });
    }
  });

  it('refuses malformed sizes and channels with typed errors', () => {
    refusal(() => classifyNotification(new Uint8Array(21)), ProtocolErrorCode.Overlong);
    refusal(() => classifyNotification(Uint8Array.of(0, 0x20, 0)), ProtocolErrorCode.Truncated);
    refusal(
      () => classifyNotification(Uint8Array.of(0, 0xe0, ...new Uint8Array(18))),
      ProtocolErrorCode.BadChannel,
    );
    refusal(
      () => classifyNotification(Uint8Array.of(0, 0x16, 1, 2, 3)),
      ProtocolErrorCode.Truncated,
    );
    refusal(() => classifyNotification(Uint8Array.of(0, 0x10, 0x38)), ProtocolErrorCode.Truncated);
    refusal(
      () => classifyNotification(Uint8Array.of(0, 0x10, 0x18, 1)),
      ProtocolErrorCode.BadChannel,
    );
    refusal(() => classifyNotification(Uint8Array.of(0, 0x13, 0)), ProtocolErrorCode.BadChannel);
    refusal(() => classifyNotification(Uint8Array.of(0, 0x13, 0x40)), ProtocolErrorCode.BadChannel);
    refusal(() => classifyNotification(Uint8Array.of(0, 0x18)), ProtocolErrorCode.Truncated);
  });

  it('any bytes classify or throw ProtocolError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) =>
        decodesOrRefuses(() => classifyNotification(bytes)),
      ),
      { numRuns: 2000 },
    );
  });
});
