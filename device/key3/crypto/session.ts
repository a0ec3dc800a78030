// One channel's secure session (reference §4.3), for both ends: the host seals
// requests and opens replies; the virtual key opens requests and seals replies.
// AES-128-CTR under one counter block shared by both directions, then AES-CMAC
// over the ciphertext:
//   host → key: ciphertext ‖ CMAC[0..14] ‖ low 16 bits of the counter before it
//   key → host: ciphertext ‖ CMAC (16)
// The MAC does not cover the counter, so a replayed message would authenticate
// and decrypt to garbage: each side remembers the tags it accepted and refuses a
// repeat, and the key side also refuses a counter that goes backwards.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { COUNTER_BLOCK_BYTES, counterLow16, resyncCounter, updateCounter16 } from './counter';
import {
  AES_BLOCK_BYTES,
  AES_KEY_BYTES,
  MAC_BYTES,
  aesCmac,
  aesCtr,
  constantTimeEqual,
} from './primitives';

/** The truncated MAC in a host message; the last 2 trailer bytes carry the counter. */
export const REQUEST_MAC_BYTES = 14;
export const TRAILER_BYTES = 16;
/** A backwards counter from the key's point of view is a wrap (not a replay) only from ≥ 0xF000 to < 0x1000. */
const WRAP_FROM = 0xf000;
const WRAP_TO = 0x1000;

export interface Key3SessionKeys {
  readonly aesKey: Uint8Array;
  readonly macKey: Uint8Array;
  readonly counterBlock: Uint8Array;
  /** For diagnostics only. */
  readonly channel?: number;
}

const hexTag = (tag: Uint8Array): string =>
  Array.from(tag, (b) => b.toString(16).padStart(2, '0')).join('');

function checkPlain(plain: Uint8Array): void {
  if (plain.length === 0 || plain.length % AES_BLOCK_BYTES !== 0) {
    throw protocolError(ProtocolErrorCode.BadField, 'a message is whole 16-byte blocks', {
      field: 'message',
      length: plain.length,
    });
  }
}

/** A sealed message: at least one ciphertext block and the 16-byte trailer, whole blocks. */
function splitSealed(message: Uint8Array): { ciphertext: Uint8Array; trailer: Uint8Array } {
  if (message.length % AES_BLOCK_BYTES !== 0) {
    throw protocolError(ProtocolErrorCode.BadField, 'a sealed message is whole 16-byte blocks', {
      field: 'message',
      length: message.length,
    });
  }
  if (message.length < AES_BLOCK_BYTES + TRAILER_BYTES) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a sealed message shorter than 32 bytes', {
      length: message.length,
    });
  }
  const cut = message.length - TRAILER_BYTES;
  return { ciphertext: message.slice(0, cut), trailer: message.slice(cut) };
}

export class Key3Session {
  readonly channel: number | undefined;
  #aesKey: Uint8Array;
  #macKey: Uint8Array;
  #counter: Uint8Array;
  #accepted = new Set<string>();
  #destroyed = false;

  /** The keys and counter are copied; the caller may wipe its own. */
  constructor(keys: Key3SessionKeys) {
    if (keys.aesKey.length !== AES_KEY_BYTES || keys.macKey.length !== AES_KEY_BYTES) {
      throw protocolError(ProtocolErrorCode.BadField, 'session keys are 16 bytes', {
        field: 'sessionKey',
      });
    }
    if (keys.counterBlock.length !== COUNTER_BLOCK_BYTES) {
      throw protocolError(ProtocolErrorCode.BadField, 'a counter block is 16 bytes', {
        field: 'counterBlock',
        length: keys.counterBlock.length,
      });
    }
    this.#aesKey = Uint8Array.from(keys.aesKey);
    this.#macKey = Uint8Array.from(keys.macKey);
    this.#counter = Uint8Array.from(keys.counterBlock);
    this.channel = keys.channel;
  }

  /** A copy of the counter block (not secret: its low bits travel in every request). */
  get counterBlock(): Uint8Array {
    this.#live();
    return Uint8Array.from(this.#counter);
  }

  get counter16(): number {
    this.#live();
    return counterLow16(this.#counter);
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Host: ciphertext ‖ CMAC[0..14] ‖ ctr16 (BE, before encrypting). */
  sealRequest(plain: Uint8Array): Uint8Array {
    this.#live();
    checkPlain(plain);
    const counter16 = counterLow16(this.#counter);
    const ciphertext = this.#encrypt(plain);
    const out = new Uint8Array(ciphertext.length + TRAILER_BYTES);
    out.set(ciphertext);
    out.set(aesCmac(this.#macKey, ciphertext).subarray(0, REQUEST_MAC_BYTES), ciphertext.length);
    out[out.length - 2] = counter16 >> 8;
    out[out.length - 1] = counter16 & 0xff;
    return out;
  }

  /** Host: checks the full CMAC (BadSeal), refuses a reply already accepted (Replay), decrypts at the shared counter. */
  openReply(message: Uint8Array): Uint8Array {
    this.#live();
    const { ciphertext, trailer } = splitSealed(message);
    if (!constantTimeEqual(aesCmac(this.#macKey, ciphertext), trailer)) {
      throw protocolError(ProtocolErrorCode.BadSeal, 'a reply that does not authenticate', {
        length: message.length,
      });
    }
    const tag = `r${hexTag(trailer)}`;
    this.#refuseRepeat(tag);
    const plain = this.#encrypt(ciphertext);
    this.#accepted.add(tag);
    return plain;
  }

  /**
   * Key: checks the truncated CMAC (BadSeal), then the counter: equal → as is;
   * ahead → moved there (update rule); behind → Replay, unless it is a plausible
   * wrap (now ≥ 0xF000, sent < 0x1000). A message accepted before is Replay too.
   */
  openRequest(message: Uint8Array): Uint8Array {
    this.#live();
    const { ciphertext, trailer } = splitSealed(message);
    const mac = aesCmac(this.#macKey, ciphertext).subarray(0, REQUEST_MAC_BYTES);
    if (!constantTimeEqual(mac, trailer.subarray(0, REQUEST_MAC_BYTES))) {
      throw protocolError(ProtocolErrorCode.BadSeal, 'a request that does not authenticate', {
        length: message.length,
      });
    }
    const tag = `q${hexTag(trailer.subarray(0, REQUEST_MAC_BYTES))}`;
    this.#refuseRepeat(tag);
    const sent = ((trailer[14] ?? 0) << 8) | (trailer[15] ?? 0);
    const now = counterLow16(this.#counter);
    if (sent < now && !(now >= WRAP_FROM && sent < WRAP_TO)) {
      throw protocolError(ProtocolErrorCode.Replay, 'a request counter behind the session', {
        counter: sent,
        current: now,
      });
    }
    if (sent !== now) this.#counter = updateCounter16(this.#counter, sent);
    const plain = this.#encrypt(ciphertext);
    this.#accepted.add(tag);
    return plain;
  }

  /** Key: ciphertext ‖ CMAC (16). */
  sealReply(plain: Uint8Array): Uint8Array {
    this.#live();
    checkPlain(plain);
    const ciphertext = this.#encrypt(plain);
    const out = new Uint8Array(ciphertext.length + MAC_BYTES);
    out.set(ciphertext);
    out.set(aesCmac(this.#macKey, ciphertext), ciphertext.length);
    return out;
  }

  /** The SDK's session-reuse jump: the low 16 bits move ahead by 0x1000. */
  resync(): void {
    this.#live();
    this.#counter = resyncCounter(this.#counter);
  }

  /** The vendor's counter-update rule, explicitly. */
  updateCounter16(value: number): void {
    this.#live();
    this.#counter = updateCounter16(this.#counter, value);
  }

  /** Wipes the keys and the counter; every later call is SessionClosed. */
  destroy(): void {
    this.#aesKey.fill(0);
    this.#macKey.fill(0);
    this.#counter.fill(0);
    this.#accepted.clear();
    this.#destroyed = true;
  }

  /** Non-secret facts only: never the keys. */
  toJSON(): {
    readonly kind: 'Key3Session';
    readonly channel?: number;
    readonly destroyed: boolean;
  } {
    return {
      kind: 'Key3Session',
      ...(this.channel !== undefined ? { channel: this.channel } : {}),
      destroyed: this.#destroyed,
    };
  }

  #live(): void {
    if (this.#destroyed) {
      throw protocolError(ProtocolErrorCode.SessionClosed, 'the session was destroyed', {
        ...(this.channel !== undefined ? { channel: this.channel } : {}),
      });
    }
  }

  #refuseRepeat(tag: string): void {
    if (this.#accepted.has(tag)) {
      throw protocolError(ProtocolErrorCode.Replay, 'a message accepted before', {
        ...(this.channel !== undefined ? { channel: this.channel } : {}),
      });
    }
  }

  /** CTR at the shared counter, which then moves past the blocks used. */
  #encrypt(data: Uint8Array): Uint8Array {
    const { output, counterAfter } = aesCtr(this.#aesKey, this.#counter, data);
    this.#counter = counterAfter;
    return output;
  }
}
