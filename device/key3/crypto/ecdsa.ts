// secp256k1 as the Key 3 uses it (reference §4.2, §4.4), on @noble/curves:
// uncompressed public keys (04 ‖ X ‖ Y), ECDH as the 32-byte X coordinate, and
// ECDSA r ‖ s over a given 32-byte digest (no further hashing). The vendor's
// uECC does not normalise s (both vendor-signed vectors carry a high s), so
// signatures are verified with either s and signed without normalising.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';

export const PRIVATE_KEY_BYTES = 32;
export const PUBLIC_KEY_BYTES = 65;
export const DIGEST_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const SHARED_SECRET_BYTES = 32;

const { Point } = secp256k1;
const Fn = Point.Fn;

/** Never names the key's bytes; only which field was bad. */
function bad(field: string, message: string): never {
  throw protocolError(ProtocolErrorCode.BadField, message, { field });
}

function checkBytes(field: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw protocolError(ProtocolErrorCode.BadField, `${field} must be ${length} bytes`, {
      field,
      length: bytes instanceof Uint8Array ? bytes.length : -1,
    });
  }
}

/** A private key: 32 bytes, 1 ≤ d < n. */
export function checkPrivateKey(field: string, key: Uint8Array): void {
  checkBytes(field, key, PRIVATE_KEY_BYTES);
  if (!secp256k1.utils.isValidSecretKey(key)) bad(field, 'not a valid secp256k1 private key');
}

export function isValidPublicKey(key: Uint8Array): boolean {
  return (
    key.length === PUBLIC_KEY_BYTES &&
    key[0] === 0x04 &&
    secp256k1.utils.isValidPublicKey(key, false)
  );
}

/** An uncompressed public key on the curve. */
export function checkPublicKey(field: string, key: Uint8Array): void {
  checkBytes(field, key, PUBLIC_KEY_BYTES);
  if (!isValidPublicKey(key)) bad(field, 'not an uncompressed secp256k1 point');
}

export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  checkPrivateKey('privateKey', privateKey);
  return Uint8Array.from(secp256k1.getPublicKey(privateKey, false));
}

export const randomPrivateKey = (): Uint8Array =>
  Uint8Array.from(secp256k1.utils.randomSecretKey());

/** ECDH: the X coordinate of privateKey · publicKey. */
export function ecdhSharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  checkPrivateKey('privateKey', privateKey);
  checkPublicKey('publicKey', publicKey);
  return Uint8Array.from(secp256k1.getSharedSecret(privateKey, publicKey, true).subarray(1));
}

const toScalar = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
};

const to32 = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  let x = n;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
};

/**
 * ECDSA with an explicit nonce k, as the vendor library computes it:
 * r = (k·G).x mod n, s = k⁻¹ (z + r·d) mod n, s not normalised. Only for
 * reproducing vendor vectors; a real signer must never choose k itself.
 */
export function signDigestWithNonce(
  digest: Uint8Array,
  privateKey: Uint8Array,
  k: Uint8Array,
): Uint8Array {
  checkBytes('digest', digest, DIGEST_BYTES);
  checkPrivateKey('privateKey', privateKey);
  checkBytes('nonce', k, PRIVATE_KEY_BYTES);
  const kn = toScalar(k);
  if (kn <= 0n || kn >= Fn.ORDER) bad('nonce', 'an ECDSA nonce is 1..n-1');
  const r = Fn.create(Point.BASE.multiply(kn).toAffine().x);
  const z = Fn.create(toScalar(digest));
  const s = Fn.mul(Fn.inv(kn), Fn.add(z, Fn.mul(r, toScalar(privateKey))));
  if (r === 0n || s === 0n) bad('nonce', 'this nonce gives no signature');
  const out = new Uint8Array(SIGNATURE_BYTES);
  out.set(to32(r));
  out.set(to32(s), 32);
  return out;
}

/** ECDSA with noble's deterministic nonce (RFC 6979), s left as computed like the vendor's. */
export function signDigest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  checkBytes('digest', digest, DIGEST_BYTES);
  checkPrivateKey('privateKey', privateKey);
  return Uint8Array.from(secp256k1.sign(digest, privateKey, { prehash: false, lowS: false }));
}

/** r ‖ s over the digest, either s accepted. A malformed signature is simply false. */
export function verifyDigest(
  signature: Uint8Array,
  digest: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  checkBytes('digest', digest, DIGEST_BYTES);
  checkPublicKey('publicKey', publicKey);
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return secp256k1.verify(signature, digest, publicKey, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}
