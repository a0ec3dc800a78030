import { encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import {
  decodeRemoteOp,
  decodeRemoteReply,
  encodeRemoteOp,
  encodeRemoteReply,
} from '../../../emulator/remote-channel/op-codec';
import { type RemoteOp, RemoteOpCode } from '../../../emulator/remote-channel/ops';
import {
  SEAL_SECRET_BYTES,
  SealDirection,
  openCommand,
  openReply,
  sealBytes,
  sealCommand,
  sealReply,
} from '../../../emulator/remote-channel/seal';
import {
  accessParams,
  decodesOrRefuses,
  mutate,
  refusal,
  remoteOp,
  remoteReply,
  sealCounter,
} from '../../device/protocol/arbitraries';

const secret = fc.uint8Array({ minLength: SEAL_SECRET_BYTES, maxLength: SEAL_SECRET_BYTES });
const fixedSecret = Uint8Array.from({ length: 32 }, (_, i) => i);
const code = (digits: string) => new TextEncoder().encode(digits);
const link: RemoteOp = {
  op: RemoteOpCode.Link,
  masterKey: new Uint8Array(32).fill(0x11),
  code: code('123456'),
  attempts: 3,
};

describe('sealed remote channel', () => {
  it('every op opens as itself under the same secret, with its counter', () => {
    fc.assert(
      fc.property(secret, sealCounter, remoteOp, (s, counter, op) => {
        expect(openCommand(s, sealCommand(s, counter, op))).toEqual({ counter, op });
      }),
      { numRuns: 300 },
    );
  });

  it('every reply opens as itself for its command counter', () => {
    fc.assert(
      fc.property(secret, sealCounter, remoteReply, (s, counter, reply) => {
        expect(openReply(s, counter, sealReply(s, counter, reply))).toEqual(reply);
      }),
      { numRuns: 300 },
    );
  });

  it('flipping any byte of a sealed command fails with BadSeal', () => {
    const sealed = sealCommand(fixedSecret, 7n, link);
    for (let i = 0; i < sealed.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const copy = Uint8Array.from(sealed);
        copy[i] = copy[i]! ^ bit;
        refusal(() => openCommand(fixedSecret, copy), ProtocolErrorCode.BadSeal);
      }
    }
  });

  it('flipping any byte of a sealed reply fails with BadSeal', () => {
    const reply = { status: DeviceErrorCode.ERR_REPLAY, lastCounter: 9n } as const;
    const sealed = sealReply(fixedSecret, 10n, reply);
    for (let i = 0; i < sealed.length; i++) {
      const copy = Uint8Array.from(sealed);
      copy[i] = copy[i]! ^ 0x40;
      refusal(() => openReply(fixedSecret, 10n, copy), ProtocolErrorCode.BadSeal);
    }
  });

  it('a reply sealed for counter N never opens as a command, nor for counter M', () => {
    fc.assert(
      fc.property(secret, sealCounter, sealCounter, remoteReply, (s, n, m, reply) => {
        fc.pre(n !== m);
        const sealed = sealReply(s, n, reply);
        refusal(() => openCommand(s, sealed), ProtocolErrorCode.BadSeal);
        refusal(() => openReply(s, m, sealed), ProtocolErrorCode.BadSeal);
      }),
      { numRuns: 200 },
    );
  });

  it('a command reflected back as its own reply is refused', () => {
    const sealed = sealCommand(fixedSecret, 5n, link);
    refusal(() => openReply(fixedSecret, 5n, sealed), ProtocolErrorCode.BadSeal);
  });

  it('a command with its counter rewritten (to slip past replay protection) fails to open', () => {
    const sealed = sealCommand(fixedSecret, 5n, link);
    const replayed = Uint8Array.from(sealed);
    replayed[8] = 6; // counter 5 -> 6 in the header
    refusal(() => openCommand(fixedSecret, replayed), ProtocolErrorCode.BadSeal);
  });

  it('a command sealed under another key secret fails to open', () => {
    const other = Uint8Array.from(fixedSecret);
    other[0] = 0xff;
    refusal(
      () => openCommand(other, sealCommand(fixedSecret, 1n, link)),
      ProtocolErrorCode.BadSeal,
    );
  });

  it('short, empty and wrong-version buffers are BadSeal', () => {
    refusal(() => openCommand(fixedSecret, new Uint8Array(0)), ProtocolErrorCode.BadSeal);
    refusal(() => openCommand(fixedSecret, new Uint8Array(24)), ProtocolErrorCode.BadSeal);
    const sealed = sealCommand(fixedSecret, 1n, link);
    sealed[0] = 2;
    refusal(() => openCommand(fixedSecret, sealed), ProtocolErrorCode.BadSeal);
  });

  it('the same counter and secret always seal the same bytes, and different directions differ', () => {
    const a = sealBytes(fixedSecret, SealDirection.Command, 1n, Uint8Array.of(1, 2, 3));
    const b = sealBytes(fixedSecret, SealDirection.Command, 1n, Uint8Array.of(1, 2, 3));
    const c = sealBytes(fixedSecret, SealDirection.Reply, 1n, Uint8Array.of(1, 2, 3));
    expect(a).toEqual(b);
    expect(a.subarray(9)).not.toEqual(c.subarray(9));
  });

  it('refuses a secret that is not 32 bytes, without echoing it', () => {
    const short = new Uint8Array(31).fill(0x5a);
    const error = refusal(() => sealCommand(short, 1n, link), ProtocolErrorCode.BadField);
    expect(error.details).toEqual({ field: 'secret', length: 31 });
    refusal(() => openCommand(short, new Uint8Array(40)), ProtocolErrorCode.BadField);
    refusal(() => sealCommand(fixedSecret, -1n, link), ProtocolErrorCode.BadField);
    refusal(() => sealCommand(fixedSecret, 1n << 64n, link), ProtocolErrorCode.BadField);
  });

  it('a well-sealed but malformed op is refused as CBOR, field or unknown op', () => {
    const seal = (bytes: Uint8Array) => sealBytes(fixedSecret, SealDirection.Command, 1n, bytes);
    refusal(
      () => openCommand(fixedSecret, seal(Uint8Array.of(0x02, 0xa1))),
      ProtocolErrorCode.BadCbor,
    );
    refusal(
      () => openCommand(fixedSecret, seal(Uint8Array.of(0x09))),
      ProtocolErrorCode.UnknownCommand,
    );
    refusal(
      () => openCommand(fixedSecret, seal(Uint8Array.of(0x05, 0xa0))),
      ProtocolErrorCode.BadField,
    );
  });

  it('arbitrary and mutated sealed buffers open or throw ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        decodesOrRefuses(() => openCommand(fixedSecret, bytes));
        decodesOrRefuses(() => openReply(fixedSecret, 1n, bytes));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc
          .tuple(sealCounter, remoteOp)
          .chain(([counter, op]) => mutate(sealCommand(fixedSecret, counter, op))),
        (bytes) => {
          decodesOrRefuses(() => openCommand(fixedSecret, bytes));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('remote op codec', () => {
  it('round-trips every op and reply', () => {
    fc.assert(
      fc.property(remoteOp, remoteReply, (op, reply) => {
        expect(decodeRemoteOp(encodeRemoteOp(op))).toEqual(op);
        expect(decodeRemoteReply(encodeRemoteReply(reply))).toEqual(reply);
      }),
      { numRuns: 300 },
    );
  });

  it('a master key must be exactly 32 bytes', () => {
    for (const length of [0, 31, 33]) {
      refusal(
        () => encodeRemoteOp({ op: RemoteOpCode.Wipe, masterKey: new Uint8Array(length) }),
        ProtocolErrorCode.BadField,
      );
      const body = encode(new Map([[1, new Uint8Array(length)]]));
      refusal(
        () => decodeRemoteOp(Uint8Array.from([RemoteOpCode.Wipe, ...body])),
        ProtocolErrorCode.BadField,
      );
    }
  });

  it('an activation code must be 6..8 ASCII digits; the error never shows it', () => {
    for (const bad of ['12345', '123456789', '12a456', '１２３４５６']) {
      const error = refusal(
        () => encodeRemoteOp({ ...link, code: code(bad) }),
        ProtocolErrorCode.BadField,
      );
      expect(JSON.stringify(error.toJSON())).not.toContain(bad);
      const body = encode(
        new Map<number, unknown>([
          [1, new Uint8Array(32)],
          [2, code(bad)],
          [3, 3],
        ]),
      );
      refusal(
        () => decodeRemoteOp(Uint8Array.from([RemoteOpCode.Link, ...body])),
        ProtocolErrorCode.BadField,
      );
    }
    for (const good of ['123456', '1234567', '12345678']) {
      expect(decodeRemoteOp(encodeRemoteOp({ ...link, code: code(good) }))).toEqual({
        ...link,
        code: code(good),
      });
    }
  });

  it('attempts must be 1..255', () => {
    refusal(() => encodeRemoteOp({ ...link, attempts: 0 }), ProtocolErrorCode.BadField);
    refusal(() => encodeRemoteOp({ ...link, attempts: 256 }), ProtocolErrorCode.BadField);
  });

  it('every AccessParams field is checked', () => {
    const profile = fc.sample(accessParams, { seed: 1, numRuns: 1 })[0]!;
    const access = {
      op: RemoteOpCode.Access,
      time: 1_700_000_000,
      masterKey: new Uint8Array(32),
      profile,
    } as const;
    expect(decodeRemoteOp(encodeRemoteOp(access))).toEqual(access);
    const bad = [
      { pinMinLength: 0 },
      { pinMinLength: 65 },
      { pinMaxTries: 0 },
      { pinExpirationSeconds: -1 },
      { buttonExpirationSeconds: 2 ** 32 },
      { masterKeyExpirationSeconds: 1.5 },
      { pinBond: 1 as unknown as boolean },
    ];
    for (const change of bad) {
      refusal(
        () => encodeRemoteOp({ ...access, profile: { ...profile, ...change } }),
        ProtocolErrorCode.BadField,
      );
    }
    refusal(() => encodeRemoteOp({ ...access, time: 2 ** 32 }), ProtocolErrorCode.BadField);
  });

  it('an OK reply carries KeyInfo; a failure may carry lastCounter up to 2^64-1', () => {
    refusal(() => decodeRemoteReply(Uint8Array.of(0)), ProtocolErrorCode.BadField);
    const max = (1n << 64n) - 1n;
    expect(
      decodeRemoteReply(
        encodeRemoteReply({ status: DeviceErrorCode.ERR_REPLAY, lastCounter: max }),
      ),
    ).toEqual({
      status: DeviceErrorCode.ERR_REPLAY,
      lastCounter: max,
    });
    const negative = Uint8Array.from([DeviceErrorCode.ERR_REPLAY, ...encode(new Map([[1, -1]]))]);
    refusal(() => decodeRemoteReply(negative), ProtocolErrorCode.BadField);
  });

  it('arbitrary plaintext decodes or throws ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        decodesOrRefuses(() => decodeRemoteOp(bytes));
        decodesOrRefuses(() => decodeRemoteReply(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
