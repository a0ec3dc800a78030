import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PAYLOAD_BYTES,
  decodeReply,
  encodeErrorReply,
  encodeMessage,
  plainErrorReply,
} from '../../../device/key3/protocol/message';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { decodesOrRefuses, hex, mutate, refusal } from './helpers';

/** Any 16-bit code but the E1xx / E2xx error headers. */
const replyCode = fc.nat(0xffff).filter((c) => c >> 8 !== 0xe1 && c >> 8 !== 0xe2);

describe('Key 3 messages', () => {
  it('are cmd:2 len:2 payload, zero-padded to whole blocks', () => {
    expect(hex(encodeMessage(0xa004))).toBe(`a0040000${'00'.repeat(12)}`);
    expect(encodeMessage(0xa01e, new Uint8Array(12))).toHaveLength(16);
    expect(encodeMessage(0xa01e, new Uint8Array(13))).toHaveLength(32);
    expect(hex(encodeMessage(0xa022, Uint8Array.of(0x31, 0x32)).subarray(0, 6))).toBe(
      'a02200023132',
    );
    refusal(() => encodeMessage(0x10000), ProtocolErrorCode.BadField);
    refusal(() => encodeMessage(-1), ProtocolErrorCode.BadField);
    refusal(
      () => encodeMessage(0xa01e, new Uint8Array(MAX_PAYLOAD_BYTES + 1)),
      ProtocolErrorCode.Overlong,
    );
  });

  it('replies round-trip: payload cut to the length field', () => {
    fc.assert(
      fc.property(replyCode, fc.uint8Array({ maxLength: 300 }), (code, payload) => {
        expect(decodeReply(encodeMessage(code, payload), code)).toEqual({
          ok: true,
          code,
          payload,
        });
      }),
    );
  });

  it('E1/E2 error replies carry a 2-byte header only', () => {
    expect(hex(encodeErrorReply('firmware', 0x13))).toBe(`e113${'00'.repeat(14)}`);
    expect(decodeReply(encodeErrorReply('firmware', 0x13), 0xa002)).toEqual({
      ok: false,
      source: 'firmware',
      error: 0x13,
    });
    expect(decodeReply(encodeErrorReply('crypto', 0x08), 0xa005)).toEqual({
      ok: false,
      source: 'crypto',
      error: 0x08,
    });
    expect(decodeReply(Uint8Array.of(0xe1, 0x07), 0xa002)).toEqual({
      ok: false,
      source: 'firmware',
      error: 0x07,
    });
  });

  it('refuses another reply code (WrongReplyData) and a length past the bytes (WrongPayloadLength)', () => {
    const error = refusal(
      () => decodeReply(encodeMessage(0xa002), 0xa005),
      ProtocolErrorCode.UnexpectedReply,
    );
    expect(error.details).toEqual({ expected: 0xa005, got: 0xa002 });
    refusal(
      () => decodeReply(Uint8Array.of(0xa0, 0x05, 0x00, 0x0d, ...new Uint8Array(12)), 0xa005),
      ProtocolErrorCode.Truncated,
    );
    refusal(() => decodeReply(Uint8Array.of(0xa0), 0xa005), ProtocolErrorCode.Truncated);
    refusal(
      () => decodeReply(Uint8Array.of(0xa0, 0x05, 0x00), 0xa005),
      ProtocolErrorCode.Truncated,
    );
  });

  it('tells an unencrypted 16-byte error reply, and nothing else', () => {
    expect(plainErrorReply(encodeErrorReply('crypto', 6))).toEqual({
      ok: false,
      source: 'crypto',
      error: 6,
    });
    expect(plainErrorReply(encodeMessage(0xa002))).toBeUndefined();
    expect(plainErrorReply(new Uint8Array(32).fill(0xe1))).toBeUndefined();
    expect(plainErrorReply(Uint8Array.of(0xe1, 0x13, 1, ...new Uint8Array(13)))).toBeUndefined();
  });

  it('random and mutated replies decode or throw ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(0xffff), (bytes, expected) =>
        decodesOrRefuses(() => decodeReply(bytes, expected)),
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }).chain((p) => mutate(encodeMessage(0xa005, p))),
        (bytes) => decodesOrRefuses(() => decodeReply(bytes, 0xa005)),
      ),
      { numRuns: 500 },
    );
  });
});
