import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DataPacket,
  classifyNotification,
  encodeMessagePackets,
} from '../../../device/key3/protocol/packets';
import { PacketReassembler } from '../../../device/key3/protocol/reassembler';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { blocks, channel, decodesOrRefuses, refusal } from './helpers';

const dataPackets = (ch: number, message: Uint8Array): DataPacket[] =>
  encodeMessagePackets(ch, message).map((p) => {
    const n = classifyNotification(p);
    if (n.kind !== 'data') throw new Error('not data');
    return n;
  });

const message = (n: number): Uint8Array => Uint8Array.from({ length: n * 16 }, (_, i) => i & 0xff);

describe('Key 3 packet reassembler', () => {
  it('returns the message on the last packet and counts its packets for COMMIT', () => {
    fc.assert(
      fc.property(channel, fc.array(blocks(20), { minLength: 1, maxLength: 4 }), (ch, messages) => {
        const r = new PacketReassembler(ch, 20 * 16);
        for (const m of messages) {
          const packets = dataPackets(ch, m);
          packets.slice(0, -1).forEach((p) => expect(r.push(p)).toBeUndefined());
          expect(r.inProgress).toBe(packets.length > 1);
          expect(r.push(packets.at(-1)!)).toEqual(m);
          expect(r.packetCount).toBe(packets.length);
          expect(r.inProgress).toBe(false);
        }
      }),
    );
  });

  it('refuses an out-of-order index, then wants index 0 again', () => {
    const packets = dataPackets(1, message(4));
    const r = new PacketReassembler(1);
    r.push(packets[0]!);
    const error = refusal(() => r.push(packets[2]!), ProtocolErrorCode.BadSequence);
    expect(error.details).toEqual({ expected: 1, got: 2 });
    refusal(() => r.push(packets[1]!), ProtocolErrorCode.BadSequence);
    for (const p of packets.slice(0, 3)) expect(r.push(p)).toBeUndefined();
    expect(r.push(packets[3]!)).toEqual(message(4));
  });

  it('refuses a packet for another channel and resets', () => {
    const r = new PacketReassembler(2);
    r.push(dataPackets(2, message(2))[0]!);
    const error = refusal(
      () => r.push(dataPackets(3, message(1))[0]!),
      ProtocolErrorCode.BadChannel,
    );
    expect(error.details).toEqual({ expected: 2, got: 3 });
    expect(r.inProgress).toBe(false);
  });

  it('refuses more bytes than allowed and resets', () => {
    const r = new PacketReassembler(1, 32);
    const packets = dataPackets(1, message(3));
    r.push(packets[0]!);
    r.push(packets[1]!);
    refusal(() => r.push(packets[2]!), ProtocolErrorCode.Overlong);
    expect(r.inProgress).toBe(false);
    expect(r.push(dataPackets(1, message(2))[0]!)).toBeUndefined();
  });

  it('refuses a bad channel or limit at construction, and a wrong body size', () => {
    refusal(() => new PacketReassembler(0), ProtocolErrorCode.BadChannel);
    refusal(() => new PacketReassembler(1, 15), ProtocolErrorCode.BadField);
    refusal(() => new PacketReassembler(1, 2048 * 16), ProtocolErrorCode.BadField);
    const r = new PacketReassembler(1);
    refusal(
      () => r.push({ channel: 1, flag: false, last: true, index: 0, body: new Uint8Array(15) }),
      ProtocolErrorCode.BadField,
    );
  });

  it('any packet sequence reassembles or throws ProtocolError, never anything else', () => {
    fc.assert(
      fc.property(
        channel,
        fc.array(
          fc.record({
            channel: fc.integer({ min: 0, max: 7 }),
            flag: fc.boolean(),
            last: fc.boolean(),
            index: fc.integer({ min: 0, max: 5 }),
            body: fc.uint8Array({ minLength: 15, maxLength: 17 }),
          }),
          { maxLength: 30 },
        ),
        (ch, packets) => {
          const r = new PacketReassembler(ch, 64);
          for (const p of packets) decodesOrRefuses(() => r.push(p));
        },
      ),
      { numRuns: 500 },
    );
  });
});
