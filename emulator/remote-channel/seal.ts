// The sealed remote channel (docs/protocol.md §7): AES-256-GCM under a per-key
// 32-byte secret shared by the key and the server from factory provisioning. The
// companion relays sealed bytes and can neither read nor forge them.
//
//   sealed = version(1) | counter(8, BE) | ciphertext | tag(16)
//   nonce  = direction(1) | 00 00 00 | counter(8, BE)        (12 bytes)
//   AAD    = version(1) | direction(1) | counter(8, BE)      (10 bytes)
//
// The server numbers its commands; a reply carries its command's counter. The
// direction byte in both nonce and AAD keeps (direction, counter) unique per secret,
// so a GCM nonce never repeats and a reply can never be opened as a command.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { UINT64_MAX } from '../../device/protocol/cbor-map';
import { ProtocolErrorCode, protocolError } from '../../device/protocol/protocol-error';
import { decodeRemoteOp, decodeRemoteReply, encodeRemoteOp, encodeRemoteReply } from './op-codec';
import type { RemoteOp, RemoteReply } from './ops';

export const SEAL_SECRET_BYTES = 32;
export const SEAL_VERSION = 0x01;
export const SEAL_HEADER_BYTES = 9;
export const SEAL_TAG_BYTES = 16;
export const SEAL_NONCE_BYTES = 12;
/** The smallest sealed buffer: a header, an empty ciphertext and a tag. */
export const SEAL_MIN_BYTES = SEAL_HEADER_BYTES + SEAL_TAG_BYTES;

export const SealDirection = {
  /** Server -> key. */
  Command: 0x01,
  /** Key -> server. */
  Reply: 0x02,
} as const;
export type SealDirection = (typeof SealDirection)[keyof typeof SealDirection];

/** Refuses a secret that is not 32 bytes (BadField, naming only its length). */
export function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length !== SEAL_SECRET_BYTES) {
    // Only the length: never the secret.
    throw protocolError(ProtocolErrorCode.BadField, 'the seal secret must be 32 bytes', {
      field: 'secret',
      length: secret instanceof Uint8Array ? secret.length : -1,
    });
  }
}

export function checkCounter(counter: bigint): void {
  if (typeof counter !== 'bigint' || counter < 0n || counter > UINT64_MAX) {
    throw protocolError(ProtocolErrorCode.BadField, 'the seal counter must be 0..2^64-1', {
      field: 'counter',
    });
  }
}

/** A counter as 8 bytes, big-endian. */
export function counterBytes(counter: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, counter);
  return out;
}

export function sealNonce(direction: SealDirection, counter: bigint): Uint8Array {
  const nonce = new Uint8Array(SEAL_NONCE_BYTES);
  nonce[0] = direction;
  nonce.set(counterBytes(counter), 4);
  return nonce;
}

export function sealAad(direction: SealDirection, counter: bigint): Uint8Array {
  const aad = new Uint8Array(10);
  aad[0] = SEAL_VERSION;
  aad[1] = direction;
  aad.set(counterBytes(counter), 2);
  return aad;
}

/** Seals plaintext bytes for one direction and counter. */
export function sealBytes(
  secret: Uint8Array,
  direction: SealDirection,
  counter: bigint,
  plaintext: Uint8Array,
): Uint8Array {
  checkSecret(secret);
  checkCounter(counter);
  const cipher = createCipheriv('aes-256-gcm', secret, sealNonce(direction, counter), {
    authTagLength: SEAL_TAG_BYTES,
  });
  cipher.setAAD(sealAad(direction, counter));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  const out = new Uint8Array(SEAL_HEADER_BYTES + body.length + SEAL_TAG_BYTES);
  out[0] = SEAL_VERSION;
  out.set(counterBytes(counter), 1);
  out.set(body, SEAL_HEADER_BYTES);
  out.set(tag, SEAL_HEADER_BYTES + body.length);
  return out;
}

/** The counter a sealed buffer claims, before authentication (BadSeal if malformed). */
export function sealedCounter(sealed: Uint8Array): bigint {
  if (!(sealed instanceof Uint8Array) || sealed.length < SEAL_MIN_BYTES) {
    throw protocolError(ProtocolErrorCode.BadSeal, 'sealed buffer is shorter than header and tag', {
      length: sealed instanceof Uint8Array ? sealed.length : -1,
    });
  }
  if (sealed[0] !== SEAL_VERSION) {
    throw protocolError(ProtocolErrorCode.BadSeal, 'sealed buffer has an unknown version', {
      version: sealed[0] ?? -1,
    });
  }
  return new DataView(sealed.buffer, sealed.byteOffset, sealed.byteLength).getBigUint64(1);
}

/** Opens a sealed buffer for one direction; `expected` pins the counter when the caller knows it. */
export function openBytes(
  secret: Uint8Array,
  direction: SealDirection,
  sealed: Uint8Array,
  expected?: bigint,
): { counter: bigint; plaintext: Uint8Array } {
  checkSecret(secret);
  const counter = sealedCounter(sealed);
  if (expected !== undefined && counter !== expected) {
    throw protocolError(ProtocolErrorCode.BadSeal, 'sealed reply is for another command', {
      reason: 'counter',
    });
  }
  const tagStart = sealed.length - SEAL_TAG_BYTES;
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, sealNonce(direction, counter), {
      authTagLength: SEAL_TAG_BYTES,
    });
    decipher.setAAD(sealAad(direction, counter));
    decipher.setAuthTag(sealed.subarray(tagStart));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(SEAL_HEADER_BYTES, tagStart)),
      decipher.final(),
    ]);
    return { counter, plaintext: new Uint8Array(plain) };
  } catch {
    throw protocolError(ProtocolErrorCode.BadSeal, 'sealed buffer failed authentication', {
      reason: 'authentication',
    });
  }
}

/** Server side: seal an op under the command counter. */
export function sealCommand(secret: Uint8Array, counter: bigint, op: RemoteOp): Uint8Array {
  return sealBytes(secret, SealDirection.Command, counter, encodeRemoteOp(op));
}

/**
 * Key side: open and decode a command. BadSeal if it fails to open; BadCbor, BadField,
 * UnknownCommand if the server sealed a bad op. Replay (counter <= last accepted) is
 * the key's check: it keeps the counter.
 */
export function openCommand(
  secret: Uint8Array,
  sealed: Uint8Array,
): { counter: bigint; op: RemoteOp } {
  const { counter, plaintext } = openBytes(secret, SealDirection.Command, sealed);
  return { counter, op: decodeRemoteOp(plaintext) };
}

/** Key side: seal the reply to the command with `counter`. */
export function sealReply(secret: Uint8Array, counter: bigint, reply: RemoteReply): Uint8Array {
  return sealBytes(secret, SealDirection.Reply, counter, encodeRemoteReply(reply));
}

/** Server side: open the reply to the command it sealed with `counter`. */
export function openReply(secret: Uint8Array, counter: bigint, sealed: Uint8Array): RemoteReply {
  checkCounter(counter);
  const { plaintext } = openBytes(secret, SealDirection.Reply, sealed, counter);
  return decodeRemoteReply(plaintext);
}
