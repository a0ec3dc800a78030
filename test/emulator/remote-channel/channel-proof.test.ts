// The VerifyChannel proof (docs/protocol.md §7.6) as the key makes it and the server
// checks it: every honest reply passes with its counter, and a reply for anything
// else (another key, channel or nonce, altered bytes, another version or length)
// fails as a bad seal, without ever naming the secret.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtocolError, ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import {
  VERIFY_REPLY_BYTES,
  VERIFY_REPLY_VERSION,
  channelVerifyReply,
  checkChannelVerifyReply,
} from '../../../emulator/remote-channel/channel-proof';
import { SEAL_SECRET_BYTES } from '../../../emulator/remote-channel/seal';
import {
  decodesOrRefuses,
  hex,
  mutate,
  refusal,
  sealCounter,
  verifyNonce,
} from '../../device/protocol/arbitraries';

const secret = fc.uint8Array({ minLength: SEAL_SECRET_BYTES, maxLength: SEAL_SECRET_BYTES });
const channel = fc.nat(255);
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i);
const NONCE = new Uint8Array(16).fill(0x3c);
const REPLY = channelVerifyReply(SECRET, 4, NONCE, 41n);

const badSeal = (reply: Uint8Array, s = SECRET, ch = 4, nonce = NONCE) =>
  refusal(() => checkChannelVerifyReply(s, ch, nonce, reply), ProtocolErrorCode.BadSeal);

describe('VerifyChannel proof', () => {
  it('every reply checks under its own secret, channel and nonce, and yields its counter', () => {
    fc.assert(
      fc.property(secret, channel, verifyNonce, sealCounter, (s, ch, nonce, counter) => {
        const reply = channelVerifyReply(s, ch, nonce, counter);
        expect(reply.length).toBe(VERIFY_REPLY_BYTES);
        expect(reply[0]).toBe(VERIFY_REPLY_VERSION);
        expect(checkChannelVerifyReply(s, ch, nonce, reply)).toBe(counter);
      }),
      { numRuns: 300 },
    );
  });

  it('a reply never checks for another secret, channel or nonce', () => {
    fc.assert(
      fc.property(
        fc.tuple(secret, secret).filter(([a, b]) => hex(a) !== hex(b)),
        fc.tuple(channel, channel).filter(([a, b]) => a !== b),
        fc.tuple(verifyNonce, verifyNonce).filter(([a, b]) => hex(a) !== hex(b)),
        sealCounter,
        ([s, otherSecret], [ch, otherChannel], [nonce, otherNonce], counter) => {
          const reply = channelVerifyReply(s, ch, nonce, counter);
          badSeal(reply, otherSecret, ch, nonce);
          badSeal(reply, s, otherChannel, nonce);
          badSeal(reply, s, ch, otherNonce);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a wrong secret, channel, nonce or one more nonce byte each fail the proof', () => {
    const otherSecret = Uint8Array.from(SECRET);
    otherSecret[31] = otherSecret[31]! ^ 0x01;
    const otherNonce = Uint8Array.from(NONCE);
    otherNonce[0] = otherNonce[0]! ^ 0x80;
    for (const error of [
      badSeal(REPLY, otherSecret),
      badSeal(REPLY, SECRET, 5),
      badSeal(REPLY, SECRET, 4, otherNonce),
      badSeal(REPLY, SECRET, 4, new Uint8Array(17).fill(0x3c)),
    ]) {
      expect(error.details).toEqual({ reason: 'proof' });
    }
  });

  it('flipping any bit of a reply fails it: the counter and the proof are both covered', () => {
    for (let i = 0; i < REPLY.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const tampered = Uint8Array.from(REPLY);
        tampered[i] = tampered[i]! ^ (1 << bit);
        badSeal(tampered);
      }
    }
  });

  it('a raised counter (to skip the server past commands) fails the proof', () => {
    const raised = Uint8Array.from(REPLY);
    raised[8] = 0xff;
    expect(badSeal(raised).details).toEqual({ reason: 'proof' });
  });

  it('a reply of another length or version is refused before the proof', () => {
    for (const length of [0, 1, 9, VERIFY_REPLY_BYTES - 1]) {
      const short = REPLY.slice(0, length);
      expect(badSeal(short).details).toMatchObject({ reason: 'length', length });
    }
    const long = Uint8Array.from([...REPLY, 0]);
    expect(badSeal(long).details).toEqual({ reason: 'length', length: VERIFY_REPLY_BYTES + 1 });
    const version2 = Uint8Array.from(REPLY);
    version2[0] = 2;
    expect(badSeal(version2).details).toEqual({ reason: 'version', version: 2 });
  });

  it('arbitrary and mutated replies check or throw ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        decodesOrRefuses(() => checkChannelVerifyReply(SECRET, 4, NONCE, bytes));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(mutate(REPLY), (bytes) => {
        // Only the reply itself (a truncation by nothing) may pass.
        let counter: bigint;
        try {
          counter = checkChannelVerifyReply(SECRET, 4, NONCE, bytes);
        } catch (e) {
          expect(isProtocolError(e, ProtocolErrorCode.BadSeal)).toBe(true);
          return;
        }
        expect(counter).toBe(41n);
        expect(hex(bytes)).toBe(hex(REPLY));
      }),
      { numRuns: 300 },
    );
  });

  it('bad arguments are BadField, naming the field and never the secret', () => {
    const short = new Uint8Array(31).fill(0x5a);
    const error = refusal(
      () => channelVerifyReply(short, 4, NONCE, 0n),
      ProtocolErrorCode.BadField,
    );
    expect(error.details).toEqual({ field: 'secret', length: 31 });
    expect(JSON.stringify(error.toJSON())).not.toContain('5a5a');
    refusal(() => checkChannelVerifyReply(short, 4, NONCE, REPLY), ProtocolErrorCode.BadField);
    for (const [ch, nonce, field] of [
      [256, NONCE, 'channel'],
      [1.5, NONCE, 'channel'],
      [4, new Uint8Array(15), 'nonce'],
      [4, new Uint8Array(65), 'nonce'],
    ] as const) {
      expect(
        refusal(() => channelVerifyReply(SECRET, ch, nonce, 0n), ProtocolErrorCode.BadField)
          .details,
      ).toEqual({ field });
      refusal(() => checkChannelVerifyReply(SECRET, ch, nonce, REPLY), ProtocolErrorCode.BadField);
    }
    refusal(() => channelVerifyReply(SECRET, 4, NONCE, -1n), ProtocolErrorCode.BadField);
    refusal(() => channelVerifyReply(SECRET, 4, NONCE, 1n << 64n), ProtocolErrorCode.BadField);
  });

  it('the largest counter round-trips', () => {
    const max = (1n << 64n) - 1n;
    expect(
      checkChannelVerifyReply(SECRET, 0, NONCE, channelVerifyReply(SECRET, 0, NONCE, max)),
    ).toBe(max);
  });
});
