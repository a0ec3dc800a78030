// The CBOR profile every message map uses (docs/protocol.md §4.2): a definite-length
// map with integer keys, no floats, no tags, no duplicates, no trailing bytes. cbor2's
// own exceptions never escape: they become ProtocolError BadCbor. Field readers check
// type and range and name the field (never its value) when they refuse it.
import { decode, encode } from 'cbor2';
import { ProtocolErrorCode, protocolError } from './protocol-error';

/** A decoded message map: integer keys to CBOR values. Unknown keys are kept (and ignored). */
export type CborMap = ReadonlyMap<number, unknown>;

const DECODE_OPTIONS = {
  preferMap: true,
  rejectDuplicateKeys: true,
  rejectStreaming: true,
  rejectFloats: true,
  rejectUndefined: true,
  rejectSimple: true,
  ignoreGlobalTags: true,
  // Our maps nest at most twice; a little room for unknown (ignored) values.
  maxDepth: 8,
} as const;

/** Encodes fields in ascending key order (the order the spec lists them), skipping undefined ones. */
export function encodeCborMap(fields: ReadonlyArray<readonly [number, unknown]>): Uint8Array {
  const map = new Map<number, unknown>();
  for (const [key, value] of [...fields].sort((a, b) => a[0] - b[0])) {
    if (value !== undefined) map.set(key, value);
  }
  const out = new CborWriter();
  out.value(map);
  return out.done();
}

const MAJOR_UINT = 0;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_MAP = 5;
const TEXT = new TextEncoder();

/**
 * The profile's own values (unsigned integers, byte and text strings, booleans, maps)
 * written directly: each request is encoded on the way to the key, and cbor2's general
 * encoder costs tens of microseconds for a ten-byte map. The bytes are cbor2's, value for
 * value (a property test holds them equal); any other value is left to cbor2.
 */
class CborWriter {
  #buf = new Uint8Array(64);
  #len = 0;

  value(value: unknown): void {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
      this.#head(MAJOR_UINT, value);
    } else if (typeof value === 'boolean') {
      this.#bytes(Uint8Array.of(value ? 0xf5 : 0xf4));
    } else if (typeof value === 'string') {
      const text = TEXT.encode(value);
      this.#head(MAJOR_TEXT, text.length);
      this.#bytes(text);
    } else if (value instanceof Uint8Array) {
      this.#head(MAJOR_BYTES, value.length);
      this.#bytes(value);
    } else if (value instanceof Map) {
      this.#head(MAJOR_MAP, value.size);
      for (const [k, v] of value as Map<unknown, unknown>) {
        this.value(k);
        this.value(v);
      }
    } else {
      this.#bytes(encode(value));
    }
  }

  /** A major type and its argument in the fewest bytes (RFC 8949 §3). */
  #head(major: number, n: number): void {
    const type = major << 5;
    if (n < 24) this.#bytes(Uint8Array.of(type | n));
    else if (n <= 0xff) this.#bytes(Uint8Array.of(type | 24, n));
    else if (n <= 0xffff) this.#bytes(Uint8Array.of(type | 25, n >> 8, n & 0xff));
    else if (n <= 0xffffffff) {
      this.#bytes(Uint8Array.of(type | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff));
    } else {
      const head = new Uint8Array(9);
      head[0] = type | 27;
      new DataView(head.buffer).setBigUint64(1, BigInt(n));
      this.#bytes(head);
    }
  }

  done(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  #bytes(bytes: Uint8Array): void {
    const need = this.#len + bytes.length;
    if (need > this.#buf.length) {
      const grown = new Uint8Array(Math.max(need, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    this.#buf.set(bytes, this.#len);
    this.#len = need;
  }
}

/** Decodes one CBOR map that must fill `bytes` exactly. `what` names the thing for messages. */
export function decodeCborMap(bytes: Uint8Array, what: string): CborMap {
  let value: unknown;
  try {
    value = decode(bytes, DECODE_OPTIONS);
  } catch {
    // cbor2's message may quote input bytes; keep only our own words.
    throw protocolError(ProtocolErrorCode.BadCbor, `${what}: not one well-formed CBOR item`, {
      length: bytes.length,
    });
  }
  return asCborMap(value, what);
}

/** Checks a decoded value is a map with integer keys (a nested map, e.g. KeyInfo or AccessParams). */
export function asCborMap(value: unknown, what: string): CborMap {
  if (!(value instanceof Map)) {
    throw protocolError(ProtocolErrorCode.BadCbor, `${what}: not a CBOR map`);
  }
  for (const key of (value as Map<unknown, unknown>).keys()) {
    if (typeof key !== 'number' || !Number.isSafeInteger(key)) {
      throw protocolError(ProtocolErrorCode.BadCbor, `${what}: map keys must be integers`);
    }
  }
  return value as CborMap;
}

/** The fields map of a message body after its leading byte: absent or empty means no fields. */
export function decodeOptionalMap(body: Uint8Array, what: string): CborMap {
  return body.length === 0 ? new Map() : decodeCborMap(body, what);
}

function badField(what: string, field: string, problem: string): never {
  throw protocolError(ProtocolErrorCode.BadField, `${what}: ${field} ${problem}`, { field });
}

function required(map: CborMap, key: number, what: string, field: string): unknown {
  if (!map.has(key)) badField(what, field, `(key ${key}) is missing`);
  return map.get(key);
}

export interface FieldRef {
  readonly what: string;
  readonly key: number;
  readonly field: string;
}

export function readUint(map: CborMap, ref: FieldRef, min: number, max: number): number {
  const value = required(map, ref.key, ref.what, ref.field);
  return checkUint(value, ref, min, max);
}

export function readOptionalUint(
  map: CborMap,
  ref: FieldRef,
  min: number,
  max: number,
): number | undefined {
  return map.has(ref.key) ? checkUint(map.get(ref.key), ref, min, max) : undefined;
}

function checkUint(value: unknown, ref: FieldRef, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    badField(ref.what, ref.field, 'must be an integer');
  }
  if (value < min || value > max) badField(ref.what, ref.field, `must be ${min}..${max}`);
  return value;
}

/** An unsigned 64-bit integer; cbor2 gives a number up to 2^53 and a bigint past it. */
export function readOptionalUint64(map: CborMap, ref: FieldRef): bigint | undefined {
  if (!map.has(ref.key)) return undefined;
  const value = map.get(ref.key);
  const big =
    typeof value === 'number' && Number.isSafeInteger(value)
      ? BigInt(value)
      : typeof value === 'bigint'
        ? value
        : badField(ref.what, ref.field, 'must be an integer');
  if (big < 0n || big > UINT64_MAX) badField(ref.what, ref.field, 'must be 0..2^64-1');
  return big;
}

export const UINT64_MAX = (1n << 64n) - 1n;
export const UINT32_MAX = 0xffffffff;

/** Encodes a uint64 as a number when it is safe, so small values take the short CBOR form. */
export const uint64Value = (n: bigint): number | bigint =>
  n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;

export function readBool(map: CborMap, ref: FieldRef): boolean {
  const value = required(map, ref.key, ref.what, ref.field);
  if (typeof value !== 'boolean') badField(ref.what, ref.field, 'must be a boolean');
  return value;
}

export function readBytes(map: CborMap, ref: FieldRef, min: number, max: number): Uint8Array {
  return checkBytes(required(map, ref.key, ref.what, ref.field), ref, min, max);
}

export function readOptionalBytes(
  map: CborMap,
  ref: FieldRef,
  min: number,
  max: number,
): Uint8Array | undefined {
  return map.has(ref.key) ? checkBytes(map.get(ref.key), ref, min, max) : undefined;
}

function checkBytes(value: unknown, ref: FieldRef, min: number, max: number): Uint8Array {
  if (!(value instanceof Uint8Array)) badField(ref.what, ref.field, 'must be a byte string');
  if (value.length < min || value.length > max) {
    badField(ref.what, ref.field, `must be ${min}..${max} bytes`);
  }
  // A plain copy: cbor2 may hand out a Buffer view into the input.
  return Uint8Array.from(value);
}

export function readText(map: CborMap, ref: FieldRef, pattern: RegExp, maxLength: number): string {
  const value = required(map, ref.key, ref.what, ref.field);
  if (typeof value !== 'string') badField(ref.what, ref.field, 'must be a text string');
  if (value.length > maxLength || !pattern.test(value)) {
    badField(ref.what, ref.field, 'has a bad format');
  }
  return value;
}

export function readMap(map: CborMap, ref: FieldRef): CborMap {
  const value = required(map, ref.key, ref.what, ref.field);
  if (!(value instanceof Map)) badField(ref.what, ref.field, 'must be a map');
  return asCborMap(value, `${ref.what}.${ref.field}`);
}

/** Encoder-side checks: the same rules, so encode refuses what decode would. */
export const check = {
  uint(value: number, what: string, field: string, min: number, max: number): number {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      badField(what, field, `must be an integer ${min}..${max}`);
    }
    return value;
  },
  bytes(value: Uint8Array, what: string, field: string, min: number, max: number): Uint8Array {
    if (!(value instanceof Uint8Array) || value.length < min || value.length > max) {
      badField(what, field, `must be ${min}..${max} bytes`);
    }
    // cbor2 tags Uint8Array subclasses other than Buffer; a plain copy encodes as a byte string.
    return Uint8Array.from(value);
  },
  bool(value: boolean, what: string, field: string): boolean {
    if (typeof value !== 'boolean') badField(what, field, 'must be a boolean');
    return value;
  },
  text(value: string, what: string, field: string, pattern: RegExp, maxLength: number): string {
    if (typeof value !== 'string' || value.length > maxLength || !pattern.test(value)) {
      badField(what, field, 'has a bad format');
    }
    return value;
  },
  uint64(value: bigint, what: string, field: string): bigint {
    if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) {
      badField(what, field, 'must be 0..2^64-1');
    }
    return value;
  },
};
