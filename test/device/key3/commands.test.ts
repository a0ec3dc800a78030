import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Key3AccessParams,
  Key3Command,
  access,
  boot,
  checkPassphrase,
  clearLog,
  confirm,
  decodeRequest,
  enterPin,
  fetchLog,
  getInfo,
  getOtp,
  getRootKey,
  link,
  loadLicense,
  lockDeviceCode,
  ping,
  queryLicense,
  replyCodeFor,
  setPin,
  setPinWithMasterKey,
  unlock,
  unlockDeviceCode,
  verify,
  wipe,
} from '../../../device/key3/protocol/commands';
import { encodeMessage } from '../../../device/key3/protocol/message';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { bytes32, decodesOrRefuses, digits, hex, mutate, pin, refusal } from './helpers';

const code = digits(6, 8);
const u32 = fc.nat(0xffffffff);
const byte = fc.nat(255);
const data = (min: number) => fc.uint8Array({ minLength: min, maxLength: 200 });
const accessParams: fc.Arbitrary<Key3AccessParams> = fc.record({
  masterKeyReq: byte,
  pinReq: byte,
  buttonReq: byte,
  pinMinLength: byte,
  pinMaxTries: byte,
  unixTime: u32,
  masterKeyExpiry: u32,
  pinExpiry: u32,
  buttonExpiry: byte,
  masterKey: bytes32,
});
const publicKey = fc
  .uint8Array({ minLength: 64, maxLength: 64 })
  .map((xy) => Uint8Array.of(4, ...xy));
const nonce = fc.uint8Array({ minLength: 8, maxLength: 8 });

/** Every builder with arguments, and the fields decodeRequest must give back. */
const request = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 6 }), publicKey, nonce).map(([ch, pub, n]) => ({
    plain: verify(ch, pub, n),
    fields: { command: Key3Command.VERIFY, channel: ch, hostPublicKey: pub, hostNonce: n },
  })),
  fc.constantFrom(
    { plain: getInfo(), fields: { command: Key3Command.GETINFO } },
    { plain: getRootKey(), fields: { command: Key3Command.GETROOTKEY } },
    { plain: fetchLog(), fields: { command: Key3Command.FETCHLOG } },
    { plain: clearLog(), fields: { command: Key3Command.CLEARLOG } },
    { plain: boot(), fields: { command: Key3Command.BOOT } },
  ),
  code.map((c) => ({
    plain: unlockDeviceCode(c),
    fields: { command: Key3Command.UNLOCKDEVICECODE, code: c },
  })),
  pin.map((p) => ({ plain: enterPin(p), fields: { command: Key3Command.ENTERPIN, pin: p } })),
  fc.tuple(pin, fc.option(pin, { nil: undefined })).map(([n, o]) => ({
    plain: setPin(n, o),
    fields: { command: Key3Command.SETPIN, newPin: n, oldPin: o ?? new Uint8Array(0) },
  })),
  fc.tuple(pin, bytes32).map(([n, mk]) => ({
    plain: setPinWithMasterKey(n, mk),
    fields: { command: Key3Command.SETPIN, newPin: n, masterKey: mk },
  })),
  fc
    .tuple(fc.boolean(), bytes32, code, fc.integer({ min: 3, max: 15 }))
    .map(([isLink, mk, c, n]) => ({
      plain: (isLink ? link : lockDeviceCode)(mk, c, n),
      fields: {
        command: isLink ? Key3Command.LINK : Key3Command.LOCKDEVICECODE,
        masterKey: mk,
        code: c,
        maxAttempts: n,
      },
    })),
  accessParams.map((a) => ({
    plain: access(a),
    fields: { command: Key3Command.ACCESS, access: a },
  })),
  fc
    .nat(0xffff)
    .map((v) => ({ plain: confirm(v), fields: { command: Key3Command.CONFIRM, value: v } })),
  fc.tuple(u32, data(0)).map(([t, d]) => ({
    plain: checkPassphrase(t, d),
    fields: { command: Key3Command.CHECKPASSPHRASE, unixTime: t, data: d },
  })),
  fc.tuple(byte, data(1)).map(([s, d]) => ({
    plain: loadLicense(s, d),
    fields: { command: Key3Command.LOADLICENSE, slot: s, data: d },
  })),
  byte.map((s) => ({
    plain: queryLicense(s),
    fields: { command: Key3Command.QUERYLICENSE, slot: s },
  })),
  fc
    .tuple(fc.nat(0xffff), fc.nat(0xffff))
    .map(([a, b]) => ({ plain: getOtp(a, b), fields: { command: Key3Command.GETOTP, a, b } })),
  data(0).map((d) => ({ plain: ping(d), fields: { command: Key3Command.PING, data: d } })),
  data(1).map((d) => ({ plain: wipe(d), fields: { command: Key3Command.WIPE, data: d } })),
  data(1).map((d) => ({ plain: unlock(d), fields: { command: Key3Command.UNLOCK, data: d } })),
);

describe('Key 3 request builders', () => {
  it('lay out the reference payloads', () => {
    expect(hex(getInfo())).toBe(`a0040000${'00'.repeat(12)}`);
    expect(hex(getRootKey())).toBe(`a0120000${'00'.repeat(12)}`);
    expect(hex(unlockDeviceCode(new TextEncoder().encode('123456')))).toBe(
      'a0220008313233343536000000000000',
    );
    expect(hex(enterPin(new TextEncoder().encode('1234')))).toBe(
      `a00b00083132333400000000${'00'.repeat(4)}`,
    );
    expect(hex(setPin(new TextEncoder().encode('1234')))).toBe(
      `a00a0010${'31323334'}${'00'.repeat(4)}${'00'.repeat(8)}${'00'.repeat(12)}`,
    );
    expect(hex(confirm(0x1234))).toBe(`a00c00023412${'00'.repeat(10)}`);
    expect(hex(checkPassphrase(0x01020304, Uint8Array.of(0xaa))).slice(0, 18)).toBe(
      'a007000504030201aa',
    );
    const mk = new Uint8Array(32).fill(0xab);
    const l = link(mk, new TextEncoder().encode('654321'), 5);
    expect(l).toHaveLength(48);
    expect(hex(l.subarray(0, 4))).toBe('a0080029');
    expect(hex(l.subarray(36, 45))).toBe('363534333231000005');
  });

  it('ACCESS: 01, requirement bytes, 00 00, times LE, button expiry, 00 00 00, master key', () => {
    const a = access({
      masterKeyReq: 1,
      pinReq: 2,
      buttonReq: 3,
      pinMinLength: 4,
      pinMaxTries: 5,
      unixTime: 0x11223344,
      masterKeyExpiry: 0x55667788,
      pinExpiry: 0x99aabbcc,
      buttonExpiry: 0xdd,
      masterKey: new Uint8Array(32).fill(0xee),
    });
    expect(hex(a.subarray(0, 4 + 24))).toBe(
      'a009003801010203040500004433221188776655ccbbaa99dd000000',
    );
    expect(hex(a.subarray(28, 60))).toBe('ee'.repeat(32));
  });

  it('refuse bad codes, PINs, keys and ranges before anything is built', () => {
    const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
    for (const bad of ['98765', '987654321', '98765a', '']) {
      const e = refusal(() => unlockDeviceCode(ascii(bad)), ProtocolErrorCode.BadField);
      // The error names the field and its length, never the digits.
      expect(JSON.stringify(e)).not.toMatch(/987/);
    }
    refusal(() => enterPin(new Uint8Array(0)), ProtocolErrorCode.BadField);
    refusal(() => enterPin(new Uint8Array(9).fill(0x31)), ProtocolErrorCode.BadField);
    refusal(() => enterPin(Uint8Array.of(0x31, 0, 0x32)), ProtocolErrorCode.BadField);
    refusal(() => setPin(ascii('1234'), ascii('123456789')), ProtocolErrorCode.BadField);
    refusal(() => link(new Uint8Array(31), ascii('123456'), 5), ProtocolErrorCode.BadField);
    refusal(() => link(new Uint8Array(32), ascii('123456'), 2), ProtocolErrorCode.BadField);
    refusal(
      () => lockDeviceCode(new Uint8Array(32), ascii('123456'), 16),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => verify(0, Uint8Array.of(4, ...new Uint8Array(64)), new Uint8Array(8)),
      ProtocolErrorCode.BadChannel,
    );
    refusal(() => verify(1, new Uint8Array(65), new Uint8Array(8)), ProtocolErrorCode.BadField);
    refusal(
      () => verify(1, Uint8Array.of(4, ...new Uint8Array(64)), new Uint8Array(7)),
      ProtocolErrorCode.BadField,
    );
    refusal(() => confirm(0x10000), ProtocolErrorCode.BadField);
    refusal(() => loadLicense(256, Uint8Array.of(1)), ProtocolErrorCode.BadField);
    refusal(() => loadLicense(0, new Uint8Array(0)), ProtocolErrorCode.BadField);
    refusal(() => wipe(new Uint8Array(0)), ProtocolErrorCode.BadField);
    refusal(() => checkPassphrase(-1, new Uint8Array(0)), ProtocolErrorCode.BadField);
  });

  it('name the reply each request expects', () => {
    expect(replyCodeFor(Key3Command.GETINFO)).toBe(Key3Command.INFO);
    expect(replyCodeFor(Key3Command.GETROOTKEY)).toBe(Key3Command.ROOTKEY);
    expect(replyCodeFor(Key3Command.VERIFY)).toBe(Key3Command.VERIFYREPLY);
    expect(replyCodeFor(Key3Command.PING)).toBe(Key3Command.PONG);
    expect(replyCodeFor(Key3Command.UNLOCKDEVICECODE)).toBe(Key3Command.SUCCESS);
  });
});

describe('Key 3 request decoder (key side)', () => {
  it('every builder round-trips through decodeRequest', () => {
    fc.assert(
      fc.property(request, ({ plain, fields }) => {
        expect(plain.length % 16).toBe(0);
        expect(decodeRequest(plain)).toMatchObject(fields);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses what the builders refuse, unknown commands and short messages', () => {
    const raw = (cmd: number, ...payload: number[]) => encodeMessage(cmd, Uint8Array.from(payload));
    refusal(
      () => decodeRequest(raw(Key3Command.UNLOCKDEVICECODE, 0x31, 0x32, 0x33, 0x34, 0x35, 0, 0, 0)),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => decodeRequest(raw(Key3Command.UNLOCKDEVICECODE, 0x31)),
      ProtocolErrorCode.Truncated,
    );
    refusal(
      () => decodeRequest(raw(Key3Command.ENTERPIN, 0, 0, 0, 0, 0, 0, 0, 0)),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () =>
        decodeRequest(
          raw(
            Key3Command.LINK,
            ...new Uint8Array(32),
            0x31,
            0x32,
            0x33,
            0x34,
            0x35,
            0x36,
            0,
            0,
            16,
          ),
        ),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => decodeRequest(raw(Key3Command.ACCESS, 2, ...new Uint8Array(55))),
      ProtocolErrorCode.BadField,
    );
    refusal(() => decodeRequest(raw(Key3Command.GETINFO, 1)), ProtocolErrorCode.BadField);
    refusal(
      () => decodeRequest(raw(Key3Command.VERIFY, 9, 4, ...new Uint8Array(72))),
      ProtocolErrorCode.BadChannel,
    );
    expect(
      refusal(() => decodeRequest(raw(Key3Command.SUCCESS)), ProtocolErrorCode.UnknownCommand)
        .details,
    ).toEqual({ command: 0xa002 });
    refusal(() => decodeRequest(Uint8Array.of(0xa0, 0x04, 0)), ProtocolErrorCode.Truncated);
    refusal(
      () => decodeRequest(Uint8Array.of(0xa0, 0x1e, 0x00, 0x20, ...new Uint8Array(12))),
      ProtocolErrorCode.Truncated,
    );
  });

  it('random and mutated requests decode or throw ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) =>
        decodesOrRefuses(() => decodeRequest(bytes)),
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        request.chain(({ plain }) => mutate(plain)),
        (bytes) => decodesOrRefuses(() => decodeRequest(bytes)),
      ),
      { numRuns: 1000 },
    );
  });
});
