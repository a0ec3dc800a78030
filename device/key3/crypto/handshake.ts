// The per-channel handshake (reference §4.2). The host sends its ephemeral key
// and nonce in VERIFY; the key answers with its ephemeral key, its nonce and a
// root-key signature over SHA-256(kPub ‖ hNonce ‖ kNonce). Both sides derive
// from the ECDH X coordinate S: aesKey = SHA-256(S ‖ 00000001)[0..16], macKey =
// SHA-256(S ‖ 00000002)[0..16], counter = (hNonce XOR kNonce) ‖ 00…01. The host
// trusts the session only after the root-key certificate (GETROOTKEY over the new
// session) and then the signature check (certificate.ts).
import { randomBytes } from '@noble/hashes/utils.js';
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { checkChannel } from '../protocol/channels';
import { Key3Command, NONCE_BYTES, verify } from '../protocol/commands';
import { encodeMessage } from '../protocol/message';
import {
  type RootKeyCertificate,
  verifyRootKeyCertificate,
  verifySessionSignature,
} from './certificate';
import { initialCounterBlock } from './counter';
import {
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  checkPrivateKey,
  checkPublicKey,
  ecdhSharedSecret,
  publicKeyOf,
  randomPrivateKey,
  signDigest,
  signDigestWithNonce,
} from './ecdsa';
import { AES_KEY_BYTES, sha256 } from './primitives';
import { Key3Session } from './session';

/** kPub (65) ‖ kNonce (8) ‖ signature (64); the vendor library refuses fewer bytes. */
export const VERIFY_REPLY_MIN_BYTES = PUBLIC_KEY_BYTES + NONCE_BYTES + SIGNATURE_BYTES;
/** ch ‖ hPub ‖ hNonce. */
export const VERIFY_PAYLOAD_BYTES = 1 + PUBLIC_KEY_BYTES + NONCE_BYTES;

/** aesKey and macKey from the ECDH secret. */
export function deriveSessionKeys(sharedSecret: Uint8Array): {
  aesKey: Uint8Array;
  macKey: Uint8Array;
} {
  const derive = (label: number): Uint8Array => {
    const input = new Uint8Array(sharedSecret.length + 4);
    input.set(sharedSecret);
    input[input.length - 1] = label;
    const key = sha256(input).slice(0, AES_KEY_BYTES);
    input.fill(0);
    return key;
  };
  return { aesKey: derive(1), macKey: derive(2) };
}

/** What the key's root key signs: SHA-256(kPub65 ‖ hNonce ‖ kNonce). */
export function sessionDigestOf(
  keyPublicKey65: Uint8Array,
  hostNonce: Uint8Array,
  keyNonce: Uint8Array,
): Uint8Array {
  const input = new Uint8Array(PUBLIC_KEY_BYTES + 2 * NONCE_BYTES);
  input.set(keyPublicKey65);
  input.set(hostNonce, PUBLIC_KEY_BYTES);
  input.set(keyNonce, PUBLIC_KEY_BYTES + NONCE_BYTES);
  return sha256(input);
}

function makeSession(
  channel: number,
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
  hostNonce: Uint8Array,
  keyNonce: Uint8Array,
): Key3Session {
  const secret = ecdhSharedSecret(privateKey, peerPublicKey);
  const { aesKey, macKey } = deriveSessionKeys(secret);
  const session = new Key3Session({
    aesKey,
    macKey,
    counterBlock: initialCounterBlock(hostNonce, keyNonce),
    channel,
  });
  secret.fill(0);
  aesKey.fill(0);
  macKey.fill(0);
  return session;
}

function checkNonce(field: string, nonce: Uint8Array): void {
  if (nonce.length !== NONCE_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, `${field} must be 8 bytes`, {
      field,
      length: nonce.length,
    });
  }
}

export interface HostHandshakeOptions {
  /** Pinned for vectors and tests; fresh random otherwise. */
  readonly ephemeralPrivateKey?: Uint8Array;
  readonly nonce?: Uint8Array;
}

export interface HostHandshakeResult {
  /** Encrypts from GETROOTKEY on; not yet authenticated (see verifyHandshake). */
  readonly session: Key3Session;
  readonly sessionDigest: Uint8Array;
  readonly signature64: Uint8Array;
  readonly keyPublicKey65: Uint8Array;
  readonly keyNonce: Uint8Array;
}

export interface HostHandshake {
  readonly channel: number;
  readonly hostPublicKey65: Uint8Array;
  readonly hostNonce: Uint8Array;
  /** The library's request: hPub65 ‖ hNonce. */
  readonly request73: Uint8Array;
  /** VERIFY, plain and padded (80 bytes): send it after RESET. */
  readonly verifyMessage: Uint8Array;
  /** Takes the VERIFYREPLY payload (≥ 137 bytes). One use: the ephemeral key is wiped after it. */
  finish(verifyReplyPayload: Uint8Array): HostHandshakeResult;
}

export function startHostHandshake(
  channel: number,
  options: HostHandshakeOptions = {},
): HostHandshake {
  checkChannel(channel);
  const privateKey = Uint8Array.from(options.ephemeralPrivateKey ?? randomPrivateKey());
  checkPrivateKey('ephemeralPrivateKey', privateKey);
  const hostNonce = Uint8Array.from(options.nonce ?? randomBytes(NONCE_BYTES));
  checkNonce('nonce', hostNonce);
  const hostPublicKey65 = publicKeyOf(privateKey);
  const request73 = new Uint8Array(PUBLIC_KEY_BYTES + NONCE_BYTES);
  request73.set(hostPublicKey65);
  request73.set(hostNonce, PUBLIC_KEY_BYTES);
  let used = false;
  return {
    channel,
    hostPublicKey65,
    hostNonce,
    request73,
    verifyMessage: verify(channel, hostPublicKey65, hostNonce),
    finish(payload: Uint8Array): HostHandshakeResult {
      if (used) {
        throw protocolError(ProtocolErrorCode.SessionClosed, 'the handshake was already finished', {
          channel,
        });
      }
      used = true;
      try {
        if (payload.length < VERIFY_REPLY_MIN_BYTES) {
          throw protocolError(ProtocolErrorCode.Truncated, 'a VERIFYREPLY shorter than 137 bytes', {
            length: payload.length,
            need: VERIFY_REPLY_MIN_BYTES,
          });
        }
        const keyPublicKey65 = payload.slice(0, PUBLIC_KEY_BYTES);
        checkPublicKey('keyPublicKey', keyPublicKey65);
        const keyNonce = payload.slice(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES + NONCE_BYTES);
        const signature64 = payload.slice(PUBLIC_KEY_BYTES + NONCE_BYTES, VERIFY_REPLY_MIN_BYTES);
        return {
          session: makeSession(channel, privateKey, keyPublicKey65, hostNonce, keyNonce),
          sessionDigest: sessionDigestOf(keyPublicKey65, hostNonce, keyNonce),
          signature64,
          keyPublicKey65,
          keyNonce,
        };
      } finally {
        privateKey.fill(0);
      }
    },
  };
}

/**
 * The host's last step: the certificate from ROOTKEY against the vendor key
 * (BadCertificate), then the handshake signature by the certified root key
 * (BadSignature). Only then is the channel the key's.
 */
export function verifyHandshake(
  result: Pick<HostHandshakeResult, 'sessionDigest' | 'signature64'>,
  certificate: Uint8Array,
  vendorPublicKey65: Uint8Array,
): RootKeyCertificate {
  const certified = verifyRootKeyCertificate(certificate, vendorPublicKey65);
  verifySessionSignature(certified.rootPublicKey65, result.sessionDigest, result.signature64);
  return certified;
}

export interface KeyHandshakeRequest {
  readonly channel: number;
  /** The VERIFY payload: ch ‖ hPub65 ‖ hNonce8. */
  readonly verifyPayload: Uint8Array;
  readonly rootPrivateKey: Uint8Array;
  /** Pinned for vectors and tests; fresh random otherwise. */
  readonly keyEphemeralPrivateKey?: Uint8Array;
  readonly keyNonce?: Uint8Array;
  /** An explicit ECDSA nonce, to reproduce vendor vectors; else deterministic. */
  readonly signatureNonce?: Uint8Array;
}

export interface KeyHandshakeAnswer {
  /** kPub65 ‖ kNonce8 ‖ signature64. */
  readonly replyPayload137: Uint8Array;
  /** VERIFYREPLY, plain and padded. */
  readonly replyMessage: Uint8Array;
  readonly session: Key3Session;
}

/** The virtual key's side of VERIFY. */
export function answerHandshake(request: KeyHandshakeRequest): KeyHandshakeAnswer {
  checkChannel(request.channel);
  const p = request.verifyPayload;
  if (p.length !== VERIFY_PAYLOAD_BYTES) {
    throw protocolError(
      p.length < VERIFY_PAYLOAD_BYTES ? ProtocolErrorCode.Truncated : ProtocolErrorCode.BadField,
      'a VERIFY payload is 74 bytes',
      { length: p.length, need: VERIFY_PAYLOAD_BYTES },
    );
  }
  if (p[0] !== request.channel) {
    throw protocolError(ProtocolErrorCode.BadChannel, 'VERIFY names another channel', {
      expected: request.channel,
      got: p[0] ?? -1,
    });
  }
  const hostPublicKey65 = p.slice(1, 1 + PUBLIC_KEY_BYTES);
  checkPublicKey('hostPublicKey', hostPublicKey65);
  const hostNonce = p.slice(1 + PUBLIC_KEY_BYTES);
  checkPrivateKey('rootPrivateKey', request.rootPrivateKey);
  const privateKey = Uint8Array.from(request.keyEphemeralPrivateKey ?? randomPrivateKey());
  try {
    checkPrivateKey('keyEphemeralPrivateKey', privateKey);
    const keyNonce = Uint8Array.from(request.keyNonce ?? randomBytes(NONCE_BYTES));
    checkNonce('keyNonce', keyNonce);
    const keyPublicKey65 = publicKeyOf(privateKey);
    const digest = sessionDigestOf(keyPublicKey65, hostNonce, keyNonce);
    const signature =
      request.signatureNonce === undefined
        ? signDigest(digest, request.rootPrivateKey)
        : signDigestWithNonce(digest, request.rootPrivateKey, request.signatureNonce);
    const replyPayload137 = new Uint8Array(VERIFY_REPLY_MIN_BYTES);
    replyPayload137.set(keyPublicKey65);
    replyPayload137.set(keyNonce, PUBLIC_KEY_BYTES);
    replyPayload137.set(signature, PUBLIC_KEY_BYTES + NONCE_BYTES);
    return {
      replyPayload137,
      replyMessage: encodeMessage(Key3Command.VERIFYREPLY, replyPayload137),
      session: makeSession(request.channel, privateKey, hostPublicKey65, hostNonce, keyNonce),
    };
  } finally {
    privateKey.fill(0);
  }
}
