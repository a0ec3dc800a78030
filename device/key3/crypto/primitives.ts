// The symmetric primitives of the Key 3 session (reference §4.3), on the audited
// pure-JS @noble libraries (Electron's Node has no secp256k1, and these run
// anywhere): SHA-256, AES-128-CMAC, AES-128-CTR over an explicit 16-byte counter
// block that advances as one 128-bit big-endian integer per block.
import { cmac, ctr } from '@noble/ciphers/aes.js';
import { equalBytes } from '@noble/ciphers/utils.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { COUNTER_BLOCK_BYTES, addToCounter } from './counter';

export const AES_KEY_BYTES = 16;
export const AES_BLOCK_BYTES = 16;
export const MAC_BYTES = 16;

export const sha256 = (data: Uint8Array): Uint8Array => Uint8Array.from(nobleSha256(data));

function checkKey(field: string, key: Uint8Array): void {
  if (key.length !== AES_KEY_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, `${field} must be 16 bytes`, {
      field,
      length: key.length,
    });
  }
}

/** AES-128-CMAC (RFC 4493), the full 16 bytes. */
export function aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey('macKey', key);
  return Uint8Array.from(cmac(data, key));
}

/**
 * AES-128-CTR from `counterBlock`; returns the output and the counter block after
 * the last block used (one increment per block, a final partial block included).
 * noble increments the whole 128-bit block big-endian, as the vendor library does.
 */
export function aesCtr(
  key: Uint8Array,
  counterBlock: Uint8Array,
  data: Uint8Array,
): { readonly output: Uint8Array; readonly counterAfter: Uint8Array } {
  checkKey('aesKey', key);
  if (counterBlock.length !== COUNTER_BLOCK_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'a counter block is 16 bytes', {
      field: 'counterBlock',
      length: counterBlock.length,
    });
  }
  const output = Uint8Array.from(ctr(key, counterBlock).encrypt(data));
  return {
    output,
    counterAfter: addToCounter(counterBlock, Math.ceil(data.length / AES_BLOCK_BYTES)),
  };
}

/** Constant-time comparison (the MAC checks). */
export const constantTimeEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && equalBytes(a, b);
