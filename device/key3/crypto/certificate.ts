// The root-key certificate (ROOTKEY payload, reference §4.4): byte0 ‖ 04 ‖ X ‖ Y ‖
// L ‖ devInfo[L] ‖ vendor signature r ‖ s over SHA-256 of everything before it.
// The host checks it against the vendor key, then trusts the root key in it to
// have signed the handshake; the virtual key builds one with the test vendor key.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import {
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  checkPrivateKey,
  checkPublicKey,
  isValidPublicKey,
  signDigest,
  signDigestWithNonce,
  verifyDigest,
} from './ecdsa';
import { sha256 } from './primitives';

/** byte0 (1) + public key (65) + L (1). */
const HEADER_BYTES = 1 + PUBLIC_KEY_BYTES + 1;
export const MAX_DEV_INFO_BYTES = 0xff;

export interface RootKeyCertificate {
  readonly rootPublicKey65: Uint8Array;
  /** Covered by the signature; meaning unknown. */
  readonly byte0: number;
  /** Device-info text as the key sent it (not decoded: its format is unknown). */
  readonly devInfo: Uint8Array;
}

/** The signed part and its parts, lengths checked. */
function split(
  certificate: Uint8Array,
): RootKeyCertificate & { signed: Uint8Array; signature: Uint8Array } {
  if (certificate.length < HEADER_BYTES) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a certificate shorter than its header', {
      length: certificate.length,
    });
  }
  const devInfoLength = certificate[HEADER_BYTES - 1] ?? 0;
  const total = HEADER_BYTES + devInfoLength + SIGNATURE_BYTES;
  if (certificate.length !== total) {
    throw protocolError(
      certificate.length < total ? ProtocolErrorCode.Truncated : ProtocolErrorCode.BadField,
      'a certificate of another length than it declares',
      { length: certificate.length, need: total },
    );
  }
  if (certificate[1] !== 0x04) {
    throw protocolError(ProtocolErrorCode.BadField, 'the root key is not an uncompressed point', {
      field: 'rootPublicKey',
    });
  }
  const signedEnd = HEADER_BYTES + devInfoLength;
  return {
    byte0: certificate[0] ?? 0,
    rootPublicKey65: certificate.slice(1, 1 + PUBLIC_KEY_BYTES),
    devInfo: certificate.slice(HEADER_BYTES, signedEnd),
    signed: certificate.subarray(0, signedEnd),
    signature: certificate.slice(signedEnd),
  };
}

/** SHA-256 of the signed part (for diagnostics and vectors). */
export const certificateDigest = (certificate: Uint8Array): Uint8Array =>
  sha256(split(certificate).signed);

/**
 * Checks the vendor signature (BadCertificate if it fails) and returns the root
 * key, which must then be a point on the curve (BadField).
 */
export function verifyRootKeyCertificate(
  certificate: Uint8Array,
  vendorPublicKey65: Uint8Array,
): RootKeyCertificate {
  checkPublicKey('vendorPublicKey', vendorPublicKey65);
  const parts = split(certificate);
  if (!verifyDigest(parts.signature, sha256(parts.signed), vendorPublicKey65)) {
    throw protocolError(
      ProtocolErrorCode.BadCertificate,
      'the certificate is not signed by the vendor key',
      {
        length: certificate.length,
      },
    );
  }
  if (!isValidPublicKey(parts.rootPublicKey65)) {
    throw protocolError(ProtocolErrorCode.BadField, 'the certified root key is not on the curve', {
      field: 'rootPublicKey',
    });
  }
  return { rootPublicKey65: parts.rootPublicKey65, byte0: parts.byte0, devInfo: parts.devInfo };
}

/** The handshake signature over the session digest, by the certified root key (BadSignature). */
export function verifySessionSignature(
  rootPublicKey65: Uint8Array,
  sessionDigest: Uint8Array,
  signature64: Uint8Array,
): void {
  checkPublicKey('rootPublicKey', rootPublicKey65);
  if (!verifyDigest(signature64, sessionDigest, rootPublicKey65)) {
    throw protocolError(ProtocolErrorCode.BadSignature, 'the session signature does not verify', {
      length: signature64.length,
    });
  }
}

export interface CertificateRequest {
  readonly rootPublicKey65: Uint8Array;
  readonly devInfo: Uint8Array;
  readonly byte0: number;
  readonly vendorPrivateKey: Uint8Array;
  /** An explicit ECDSA nonce, to reproduce vendor vectors; else deterministic. */
  readonly signatureNonce?: Uint8Array;
}

/** A certificate for the virtual key (signed with the test vendor key). */
export function makeRootKeyCertificate(request: CertificateRequest): Uint8Array {
  checkPublicKey('rootPublicKey', request.rootPublicKey65);
  checkPrivateKey('vendorPrivateKey', request.vendorPrivateKey);
  if (request.devInfo.length > MAX_DEV_INFO_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'device info is at most 255 bytes', {
      field: 'devInfo',
      length: request.devInfo.length,
    });
  }
  if (!Number.isInteger(request.byte0) || request.byte0 < 0 || request.byte0 > 0xff) {
    throw protocolError(ProtocolErrorCode.BadField, 'byte0 is one byte', { field: 'byte0' });
  }
  const signed = new Uint8Array(HEADER_BYTES + request.devInfo.length);
  signed[0] = request.byte0;
  signed.set(request.rootPublicKey65, 1);
  signed[HEADER_BYTES - 1] = request.devInfo.length;
  signed.set(request.devInfo, HEADER_BYTES);
  const digest = sha256(signed);
  const signature =
    request.signatureNonce === undefined
      ? signDigest(digest, request.vendorPrivateKey)
      : signDigestWithNonce(digest, request.vendorPrivateKey, request.signatureNonce);
  const out = new Uint8Array(signed.length + SIGNATURE_BYTES);
  out.set(signed);
  out.set(signature, signed.length);
  return out;
}
