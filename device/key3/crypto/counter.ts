// The session's 16-byte counter block (reference §4.2–4.3), shared by both
// directions: starts as (hostNonce XOR keyNonce) ‖ 00…01, advances as a 128-bit
// big-endian integer per AES block, and can be moved by the vendor's
// counter-update rule (set the low 16 bits; if that goes backwards, carry one
// into byte 13 first), which is also how a reused session jumps ahead by 0x1000.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';

export const COUNTER_BLOCK_BYTES = 16;
/** What the vendor SDK adds to the low 16 bits when it reuses a cached session. */
export const RESYNC_STEP = 0x1000;

function checkBlock(block: Uint8Array): void {
  if (block.length !== COUNTER_BLOCK_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'a counter block is 16 bytes', {
      field: 'counterBlock',
      length: block.length,
    });
  }
}

/** block + n as a 128-bit big-endian integer (mod 2^128), as a new block. */
export function addToCounter(block: Uint8Array, n: number): Uint8Array {
  checkBlock(block);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw protocolError(ProtocolErrorCode.BadField, 'a counter step is a non-negative integer', {
      field: 'step',
    });
  }
  const out = Uint8Array.from(block);
  let carry = n;
  for (let i = COUNTER_BLOCK_BYTES - 1; i >= 0 && carry > 0; i--) {
    const sum = (out[i] ?? 0) + (carry % 256);
    out[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum >> 8);
  }
  return out;
}

/** Bytes 14–15: the value a host puts in its trailer. */
export function counterLow16(block: Uint8Array): number {
  checkBlock(block);
  return ((block[14] ?? 0) << 8) | (block[15] ?? 0);
}

/**
 * The vendor's counter update: bytes 14–15 := value; if value is below the
 * current low 16 bits, byte 13 first gains 1, carrying upward.
 */
export function updateCounter16(block: Uint8Array, value: number): Uint8Array {
  checkBlock(block);
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw protocolError(ProtocolErrorCode.BadField, 'a 16-bit counter value is 0..65535', {
      field: 'counter16',
    });
  }
  const out = value < counterLow16(block) ? addToCounter(block, 0x10000) : Uint8Array.from(block);
  out[14] = value >> 8;
  out[15] = value & 0xff;
  return out;
}

/** The SDK's session-reuse jump: low 16 bits + 0x1000 under the update rule. */
export const resyncCounter = (block: Uint8Array): Uint8Array =>
  updateCounter16(block, (counterLow16(block) + RESYNC_STEP) & 0xffff);

/** (hostNonce XOR keyNonce) ‖ 00 00 00 00 00 00 00 01. */
export function initialCounterBlock(hostNonce: Uint8Array, keyNonce: Uint8Array): Uint8Array {
  if (hostNonce.length !== 8 || keyNonce.length !== 8) {
    throw protocolError(ProtocolErrorCode.BadField, 'the handshake nonces are 8 bytes', {
      field: 'nonce',
      length: hostNonce.length === 8 ? keyNonce.length : hostNonce.length,
    });
  }
  const out = new Uint8Array(COUNTER_BLOCK_BYTES);
  for (let i = 0; i < 8; i++) out[i] = (hostNonce[i] ?? 0) ^ (keyNonce[i] ?? 0);
  out[15] = 0x01;
  return out;
}
