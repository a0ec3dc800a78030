import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Key3Session } from '../../../device/key3/crypto/session';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { blocks, decodesOrRefuses, fromHex, hex, mutate, refusal } from './helpers';

const keys = {
  aesKey: fromHex('55b93460a1b7963e1170c5d037d29fb3'),
  macKey: fromHex('154da27a8931e3144101aa79a0f96879'),
  counterBlock: fromHex('10101010101010100000000000000001'),
  channel: 1,
};
const pair = (counterBlock = keys.counterBlock) => ({
  host: new Key3Session({ ...keys, counterBlock }),
  key: new Key3Session({ ...keys, counterBlock }),
});
const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('Key 3 session', () => {
  it('host and key stay in step over any sequence of requests and replies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), blocks(6)), { minLength: 1, maxLength: 40 }),
        (steps) => {
          const { host, key } = pair();
          for (const [fromHost, plain] of steps) {
            if (fromHost) {
              const sealed = host.sealRequest(plain);
              expect(sealed).toHaveLength(plain.length + 16);
              expect(key.openRequest(sealed)).toEqual(plain);
            } else {
              const sealed = key.sealReply(plain);
              expect(host.openReply(sealed)).toEqual(plain);
            }
            expect(hex(host.counterBlock)).toBe(hex(key.counterBlock));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a request trailer is CMAC[0..14] and the counter before it; the counter moves one per block', () => {
    const { host } = pair(fromHex('101010101010101000000000000000fe'));
    const sealed = host.sealRequest(new Uint8Array(48));
    expect(hex(sealed.subarray(-2))).toBe('00fe');
    expect(hex(host.counterBlock)).toBe('10101010101010100000000000000101');
    expect(host.counter16).toBe(0x101);
  });

  it('refuses a flipped ciphertext or MAC byte (BadSeal) without moving the counter', () => {
    const { host, key } = pair();
    const request = host.sealRequest(new Uint8Array(32));
    for (const at of [0, 31, 32, 45])
      refusal(() => key.openRequest(flip(request, at)), ProtocolErrorCode.BadSeal);
    expect(key.openRequest(request)).toEqual(new Uint8Array(32));
    const reply = key.sealReply(new Uint8Array(16));
    for (const at of [0, 15, 16, 31])
      refusal(() => host.openReply(flip(reply, at)), ProtocolErrorCode.BadSeal);
    expect(host.openReply(reply)).toEqual(new Uint8Array(16));
  });

  it('the host refuses a reply it already accepted (the MAC does not cover the counter)', () => {
    const { host, key } = pair();
    const reply = key.sealReply(new Uint8Array(16));
    host.openReply(reply);
    refusal(() => host.openReply(reply), ProtocolErrorCode.Replay);
    expect(host.openReply(key.sealReply(new Uint8Array(16)))).toEqual(new Uint8Array(16));
  });

  it('the key refuses a repeated request and a counter that goes backwards', () => {
    const { host, key } = pair();
    const first = host.sealRequest(new Uint8Array(16));
    const second = host.sealRequest(new Uint8Array(16));
    key.openRequest(first);
    refusal(() => key.openRequest(first), ProtocolErrorCode.Replay);
    key.openRequest(second);
    // An older message the key never saw: its counter is behind.
    const { host: other } = pair();
    refusal(
      () => key.openRequest(other.sealRequest(Uint8Array.of(1, ...new Uint8Array(15)))),
      ProtocolErrorCode.Replay,
    );
  });

  it('the key follows a host that jumped ahead (resync, or lost messages)', () => {
    const { host, key } = pair();
    host.sealRequest(new Uint8Array(32));
    host.resync();
    expect(key.openRequest(host.sealRequest(new Uint8Array(16)))).toEqual(new Uint8Array(16));
    expect(hex(key.counterBlock)).toBe(hex(host.counterBlock));
    expect(host.counter16).toBe(0x1004);
  });

  it('the key accepts the 16-bit wrap (≥ 0xF000 to < 0x1000) and carries into byte 13', () => {
    const { host, key } = pair(fromHex('1010101010101010000000000000fff0'));
    host.resync();
    expect(host.counter16).toBe(0x0ff0);
    expect(key.openRequest(host.sealRequest(new Uint8Array(16)))).toEqual(new Uint8Array(16));
    expect(hex(key.counterBlock)).toBe('10101010101010100000000000010ff1');
    const { host: h2, key: k2 } = pair(fromHex('10101010101010100000000000002000'));
    h2.updateCounter16(0x0100);
    refusal(() => k2.openRequest(h2.sealRequest(new Uint8Array(16))), ProtocolErrorCode.Replay);
  });

  it('refuses plaintexts and sealed messages that are not whole blocks', () => {
    const { host, key } = pair();
    refusal(() => host.sealRequest(new Uint8Array(0)), ProtocolErrorCode.BadField);
    refusal(() => host.sealRequest(new Uint8Array(17)), ProtocolErrorCode.BadField);
    refusal(() => key.sealReply(new Uint8Array(5)), ProtocolErrorCode.BadField);
    refusal(() => host.openReply(new Uint8Array(16)), ProtocolErrorCode.Truncated);
    refusal(() => host.openReply(new Uint8Array(33)), ProtocolErrorCode.BadField);
    refusal(() => key.openRequest(new Uint8Array(0)), ProtocolErrorCode.Truncated);
    refusal(() => key.openRequest(new Uint8Array(40)), ProtocolErrorCode.BadField);
    refusal(
      () => new Key3Session({ ...keys, aesKey: new Uint8Array(15) }),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => new Key3Session({ ...keys, counterBlock: new Uint8Array(8) }),
      ProtocolErrorCode.BadField,
    );
  });

  it('never shows its keys, and is unusable once destroyed', () => {
    const { host } = pair();
    const text = JSON.stringify(host);
    expect(text).not.toContain(hex(keys.aesKey));
    expect(text).not.toContain(hex(keys.macKey));
    expect(JSON.parse(text)).toEqual({ kind: 'Key3Session', channel: 1, destroyed: false });
    expect(Object.keys(host)).not.toContain('aesKey');
    host.destroy();
    expect(host.destroyed).toBe(true);
    refusal(() => host.sealRequest(new Uint8Array(16)), ProtocolErrorCode.SessionClosed);
    refusal(() => host.counterBlock, ProtocolErrorCode.SessionClosed);
  });

  it('random and mutated messages open or throw ProtocolError, never anything else', () => {
    const { host, key } = pair();
    const request = pair().host.sealRequest(new Uint8Array(32));
    const reply = pair().key.sealReply(new Uint8Array(32));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        decodesOrRefuses(() => host.openReply(bytes));
        decodesOrRefuses(() => key.openRequest(bytes));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(mutate(request), (bytes) => decodesOrRefuses(() => key.openRequest(bytes))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(mutate(reply), (bytes) => decodesOrRefuses(() => host.openReply(bytes))),
      { numRuns: 300 },
    );
  });
});
