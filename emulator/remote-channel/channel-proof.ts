// The key's answer to the server's VerifyChannel (docs/protocol.md §7.6): proof that
// the key holds its factory provisioning secret, and the key's last accepted counter,
// so the server numbers its next sealed command past it. The key makes the reply, the
// server checks it; the companion relays it untouched and cannot forge it.
//
//   verifyReply = version 0x01 (1) | lastCounter (8, BE) | proof (32)
//   K_verify    = HMAC-SHA256(secret, "hideez-verify-key-v1")
//   proof       = HMAC-SHA256(K_verify, "hideez-verify-channel-v1" | version (1)
//                                       | channel (1) | lastCounter (8, BE) | nonce)
//
// The secret itself is the sealed channel's AES-GCM key. The proof uses a key derived
// for this purpose alone and no GCM at all, so answering any number of challenges
// tells nothing about the seal and spends none of its nonces.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { check } from '../../device/protocol/cbor-map';
import {
  REMOTE_CHANNEL_MAX,
  VERIFY_NONCE_MAX_BYTES,
  VERIFY_NONCE_MIN_BYTES,
} from '../../device/protocol/message-codec';
import { ProtocolErrorCode, protocolError } from '../../device/protocol/protocol-error';
import { checkCounter, checkSecret, counterBytes } from './seal';

export const VERIFY_REPLY_VERSION = 0x01;
export const VERIFY_PROOF_BYTES = 32;
/** version (1) + lastCounter (8) + proof (32). */
export const VERIFY_REPLY_BYTES = 1 + 8 + VERIFY_PROOF_BYTES;
/** Derives K_verify from the secret: a key used for nothing else. */
export const VERIFY_KEY_LABEL = 'hideez-verify-key-v1';
/** Leads every proof, so a proof can never pass for another HMAC under K_verify. */
export const VERIFY_PROOF_LABEL = 'hideez-verify-channel-v1';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

function hmacSha256(key: Uint8Array, ...parts: readonly Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return new Uint8Array(mac.digest());
}

/** The challenge as both sides check it: the message layer's ranges for channel and nonce. */
function checkChallenge(secret: Uint8Array, channel: number, nonce: Uint8Array): void {
  checkSecret(secret);
  check.uint(channel, 'VerifyChannel', 'channel', 0, REMOTE_CHANNEL_MAX);
  check.bytes(nonce, 'VerifyChannel', 'nonce', VERIFY_NONCE_MIN_BYTES, VERIFY_NONCE_MAX_BYTES);
}

/** K_verify: the proof's own key, derived from the secret (§9.7 gives a vector). */
export function channelVerifyKey(secret: Uint8Array): Uint8Array {
  checkSecret(secret);
  return hmacSha256(secret, ascii(VERIFY_KEY_LABEL));
}

function proofOf(
  secret: Uint8Array,
  channel: number,
  lastCounter: bigint,
  nonce: Uint8Array,
): Uint8Array {
  return hmacSha256(
    channelVerifyKey(secret),
    ascii(VERIFY_PROOF_LABEL),
    Uint8Array.of(VERIFY_REPLY_VERSION, channel),
    counterBytes(lastCounter),
    nonce,
  );
}

/**
 * Key side: the verifyReply to the server's challenge (`nonce` on `channel`), stating
 * the key's last accepted counter. BadField for a secret, channel, nonce or counter out
 * of range (naming the field, never a secret).
 */
export function channelVerifyReply(
  secret: Uint8Array,
  channel: number,
  nonce: Uint8Array,
  lastCounter: bigint,
): Uint8Array {
  checkChallenge(secret, channel, nonce);
  checkCounter(lastCounter);
  const reply = new Uint8Array(VERIFY_REPLY_BYTES);
  reply[0] = VERIFY_REPLY_VERSION;
  reply.set(counterBytes(lastCounter), 1);
  reply.set(proofOf(secret, channel, lastCounter, nonce), 9);
  return reply;
}

/**
 * Server side: checks the key's verifyReply to its own challenge (`nonce` on `channel`)
 * and returns the key's last accepted counter. BadSeal when the reply has another
 * version or length, or its proof does not verify (another key, channel or nonce, or
 * altered bytes); BadField for the server's own arguments out of range.
 */
export function checkChannelVerifyReply(
  secret: Uint8Array,
  channel: number,
  nonce: Uint8Array,
  reply: Uint8Array,
): bigint {
  checkChallenge(secret, channel, nonce);
  if (!(reply instanceof Uint8Array) || reply.length === 0) {
    throw badReply('verifyReply is empty', { reason: 'length', length: 0 });
  }
  if (reply[0] !== VERIFY_REPLY_VERSION) {
    throw badReply('verifyReply has an unknown version', {
      reason: 'version',
      version: reply[0] ?? -1,
    });
  }
  if (reply.length !== VERIFY_REPLY_BYTES) {
    throw badReply(`verifyReply is not ${VERIFY_REPLY_BYTES} bytes`, {
      reason: 'length',
      length: reply.length,
    });
  }
  const lastCounter = new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getBigUint64(
    1,
  );
  // Constant time: a relay timing the server must learn nothing about the right proof.
  if (!timingSafeEqual(proofOf(secret, channel, lastCounter, nonce), reply.subarray(9))) {
    throw badReply('verifyReply failed authentication', { reason: 'proof' });
  }
  return lastCounter;
}

const badReply = (message: string, details: Readonly<Record<string, string | number>>) =>
  protocolError(ProtocolErrorCode.BadSeal, message, details);
