import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  certificateDigest,
  makeRootKeyCertificate,
  verifyRootKeyCertificate,
  verifySessionSignature,
} from '../../../device/key3/crypto/certificate';
import {
  publicKeyOf,
  signDigest,
  signDigestWithNonce,
  verifyDigest,
} from '../../../device/key3/crypto/ecdsa';
import {
  answerHandshake,
  startHostHandshake,
  verifyHandshake,
} from '../../../device/key3/crypto/handshake';
import {
  REAL_VENDOR_PUBLIC_KEY,
  TEST_VENDOR_PUBLIC_KEY,
} from '../../../device/key3/crypto/vendor-keys';
import { Key3Command, decodeRequest } from '../../../device/key3/protocol/commands';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import {
  bytesOf,
  channel,
  decodesOrRefuses,
  hex,
  loadVectors,
  mutate,
  refusal,
  vector,
} from './helpers';

const file = loadVectors();
const hs = vector(file, 'handshake-channel1');
const I = hs.inputs;
const E = hs.expected;
const vendorPrivate = bytesOf(file.meta.testVendorKey, 'privateKey');
const rootPrivate = bytesOf(I, 'keyRootPrivateKey');
const certificate = bytesOf(E, 'certificate');
const N = secp256k1.Point.Fn.ORDER;

function handshake(ch: number, rootPrivateKey = rootPrivate) {
  const host = startHostHandshake(ch);
  const request = decodeRequest(host.verifyMessage);
  if (request.command !== Key3Command.VERIFY) throw new Error('not VERIFY');
  const key = answerHandshake({ channel: ch, verifyPayload: request.payload, rootPrivateKey });
  return { host, key, result: host.finish(key.replyPayload137) };
}

describe('Key 3 vendor keys', () => {
  it('are the reference keys', () => {
    expect(hex(REAL_VENDOR_PUBLIC_KEY)).toBe(file.meta.realVendorRootPublicKey65);
    expect(hex(TEST_VENDOR_PUBLIC_KEY)).toBe(file.meta.testVendorKey.publicKey65);
    expect(hex(publicKeyOf(vendorPrivate))).toBe(file.meta.testVendorKey.publicKey65);
  });
});

describe('Key 3 handshake', () => {
  it('host and key agree on a session from fresh keys, and the host verifies the key', () => {
    fc.assert(
      fc.property(channel, (ch) => {
        const { key, result } = handshake(ch);
        expect(hex(result.session.counterBlock)).toBe(hex(key.session.counterBlock));
        const plain = Uint8Array.from({ length: 32 }, (_, i) => i);
        expect(key.session.openRequest(result.session.sealRequest(plain))).toEqual(plain);
        const cert = makeRootKeyCertificate({
          rootPublicKey65: publicKeyOf(rootPrivate),
          devInfo: new TextEncoder().encode('VIRTUAL'),
          byte0: 1,
          vendorPrivateKey: vendorPrivate,
        });
        expect(hex(verifyHandshake(result, cert, TEST_VENDOR_PUBLIC_KEY).rootPublicKey65)).toBe(
          hex(publicKeyOf(rootPrivate)),
        );
      }),
      { numRuns: 6 },
    );
  });

  it('the vendor-signed test certificate fails against the real vendor key', () => {
    const e = refusal(
      () => verifyRootKeyCertificate(certificate, REAL_VENDOR_PUBLIC_KEY),
      ProtocolErrorCode.BadCertificate,
    );
    expect(JSON.stringify(e)).not.toContain(hex(certificate).slice(0, 40));
    expect(verifyRootKeyCertificate(certificate, TEST_VENDOR_PUBLIC_KEY)).toEqual({
      rootPublicKey65: Uint8Array.of(4, ...bytesOf(E, 'keyRootPublicKey64')),
      byte0: 1,
      devInfo: new TextEncoder().encode('TEST-KEY3-0001'),
    });
  });

  it('a tampered certificate byte or session signature is refused', () => {
    const tampered = (at: number): Uint8Array => {
      const copy = Uint8Array.from(certificate);
      copy[at] = (copy[at] ?? 0) ^ 0x40;
      return copy;
    };
    for (const at of [0, 2, 65, 67, 80, 81, certificate.length - 1]) {
      refusal(
        () => verifyRootKeyCertificate(tampered(at), TEST_VENDOR_PUBLIC_KEY),
        ProtocolErrorCode.BadCertificate,
      );
    }
    // The length byte: the certificate no longer matches its declared length.
    refusal(
      () => verifyRootKeyCertificate(tampered(66), TEST_VENDOR_PUBLIC_KEY),
      ProtocolErrorCode.Truncated,
    );
    const root = publicKeyOf(rootPrivate);
    const digest = bytesOf(E, 'sessionDigest');
    const signature = bytesOf(E, 'sessionSignature');
    verifySessionSignature(root, digest, signature);
    for (const at of [0, 31, 32, 63]) {
      const bad = Uint8Array.from(signature);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      refusal(() => verifySessionSignature(root, digest, bad), ProtocolErrorCode.BadSignature);
    }
    refusal(
      () => verifySessionSignature(root, digest, signature.subarray(0, 63)),
      ProtocolErrorCode.BadSignature,
    );
    refusal(
      () => verifySessionSignature(publicKeyOf(vendorPrivate), digest, signature),
      ProtocolErrorCode.BadSignature,
    );
    // A key whose root key is not the certified one.
    const { result } = handshake(1, secp256k1.utils.randomSecretKey());
    refusal(
      () => verifyHandshake(result, certificate, TEST_VENDOR_PUBLIC_KEY),
      ProtocolErrorCode.BadSignature,
    );
  });

  it('refuses certificates of the wrong length or shape', () => {
    refusal(
      () => verifyRootKeyCertificate(certificate.subarray(0, 66), TEST_VENDOR_PUBLIC_KEY),
      ProtocolErrorCode.Truncated,
    );
    refusal(
      () =>
        verifyRootKeyCertificate(
          certificate.subarray(0, certificate.length - 1),
          TEST_VENDOR_PUBLIC_KEY,
        ),
      ProtocolErrorCode.Truncated,
    );
    refusal(
      () => verifyRootKeyCertificate(Uint8Array.of(...certificate, 0), TEST_VENDOR_PUBLIC_KEY),
      ProtocolErrorCode.BadField,
    );
    const not04 = Uint8Array.from(certificate);
    not04[1] = 0x02;
    refusal(
      () => verifyRootKeyCertificate(not04, TEST_VENDOR_PUBLIC_KEY),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => verifyRootKeyCertificate(certificate, new Uint8Array(65)),
      ProtocolErrorCode.BadField,
    );
  });

  it('the vendor signs without normalising s: high and low s both verify', () => {
    const digest = bytesOf(E, 'sessionDigest');
    const signature = bytesOf(E, 'sessionSignature');
    const s = BigInt(`0x${hex(signature.subarray(32))}`);
    expect(s > N / 2n).toBe(true);
    const low = Uint8Array.from(signature);
    low.set(Uint8Array.from(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex')), 32);
    const root = publicKeyOf(rootPrivate);
    expect(verifyDigest(signature, digest, root)).toBe(true);
    expect(verifyDigest(low, digest, root)).toBe(true);
    expect(
      hex(signDigestWithNonce(digest, rootPrivate, bytesOf(I, 'ecdsaNonceForSessionSignature'))),
    ).toBe(hex(signature));
    expect(verifyDigest(signDigest(digest, rootPrivate), digest, root)).toBe(true);
    refusal(
      () => signDigestWithNonce(digest, rootPrivate, new Uint8Array(32)),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => signDigestWithNonce(digest, rootPrivate, new Uint8Array(32).fill(0xff)),
      ProtocolErrorCode.BadField,
    );
  });

  it('finish refuses a short reply, a bad point and a second call; secrets stay out of errors', () => {
    const pinned = {
      ephemeralPrivateKey: bytesOf(I, 'hostEphemeralPrivateKey'),
      nonce: bytesOf(I, 'hostNonce'),
    };
    const payload = bytesOf(E, 'verifyReplyPayload137');
    const short = refusal(
      () => startHostHandshake(1, pinned).finish(payload.subarray(0, 136)),
      ProtocolErrorCode.Truncated,
    );
    expect(short.details).toEqual({ length: 136, need: 137 });
    const offCurve = Uint8Array.from(payload);
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    const e = refusal(
      () => startHostHandshake(1, pinned).finish(offCurve),
      ProtocolErrorCode.BadField,
    );
    expect(JSON.stringify(e)).not.toContain(String(I['hostEphemeralPrivateKey']));
    const host = startHostHandshake(1, pinned);
    expect(hex(host.finish(Uint8Array.of(...payload, 1, 2, 3)).sessionDigest)).toBe(
      E['sessionDigest'],
    );
    refusal(() => host.finish(payload), ProtocolErrorCode.SessionClosed);
    refusal(() => startHostHandshake(7), ProtocolErrorCode.BadChannel);
    refusal(
      () => startHostHandshake(1, { ephemeralPrivateKey: new Uint8Array(32) }),
      ProtocolErrorCode.BadField,
    );
    refusal(() => startHostHandshake(1, { nonce: new Uint8Array(9) }), ProtocolErrorCode.BadField);
  });

  it('the key side refuses a VERIFY for another channel or with a bad point', () => {
    const request = decodeRequest(startHostHandshake(2).verifyMessage);
    refusal(
      () =>
        answerHandshake({
          channel: 1,
          verifyPayload: request.payload,
          rootPrivateKey: rootPrivate,
        }),
      ProtocolErrorCode.BadChannel,
    );
    const bad = Uint8Array.from(request.payload);
    bad[40] = (bad[40] ?? 0) ^ 1;
    refusal(
      () => answerHandshake({ channel: 2, verifyPayload: bad, rootPrivateKey: rootPrivate }),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () =>
        answerHandshake({
          channel: 2,
          verifyPayload: bad.subarray(1),
          rootPrivateKey: rootPrivate,
        }),
      ProtocolErrorCode.Truncated,
    );
  });

  it('random and mutated certificates and replies parse or throw ProtocolError', () => {
    const pointLike = fc
      .tuple(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.uint8Array({ minLength: 72, maxLength: 80 }),
      )
      .map(([xy, rest]) => Uint8Array.of(4, ...xy, ...rest));
    const certLike = fc
      .tuple(
        fc.nat(255),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.uint8Array({ maxLength: 20 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
      )
      .map(([b0, xy, info, sig]) => Uint8Array.of(b0, 4, ...xy, info.length, ...info, ...sig));
    fc.assert(
      fc.property(
        fc.oneof(mutate(certificate), fc.uint8Array({ maxLength: 200 }), certLike),
        (bytes) => decodesOrRefuses(() => verifyRootKeyCertificate(bytes, TEST_VENDOR_PUBLIC_KEY)),
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          mutate(bytesOf(E, 'verifyReplyPayload137')),
          fc.uint8Array({ maxLength: 160 }),
          pointLike,
        ),
        (bytes) => decodesOrRefuses(() => startHostHandshake(1).finish(bytes)),
      ),
      { numRuns: 100 },
    );
  });

  it('certificateDigest is SHA-256 of the signed part', () => {
    expect(hex(certificateDigest(certificate))).toBe(E['certificateSignedDigest']);
  });
});
