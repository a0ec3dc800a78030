// Fixed-width field readers and writers for the Key 3 codecs. Every read is
// bounds-checked by its caller first, so these never see a short buffer; they
// exist so each codec states its layout, not its shifts.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';

export const readU16BE = (bytes: Uint8Array, at: number): number =>
  ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);

export const readU16LE = (bytes: Uint8Array, at: number): number =>
  (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);

export const readU32LE = (bytes: Uint8Array, at: number): number =>
  ((bytes[at] ?? 0) |
    ((bytes[at + 1] ?? 0) << 8) |
    ((bytes[at + 2] ?? 0) << 16) |
    ((bytes[at + 3] ?? 0) << 24)) >>>
  0;

/** A two's-complement byte as a signed value (battery, RSSI). */
export const readI8 = (bytes: Uint8Array, at: number): number => ((bytes[at] ?? 0) << 24) >> 24;

export function writeU16BE(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 8) & 0xff;
  out[at + 1] = value & 0xff;
}

export function writeU16LE(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
}

export function writeU32LE(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = (value >>> 24) & 0xff;
}

export const isIntegerIn = (value: number, min: number, max: number): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

/** Refuses a number field outside min..max; names the field, never the value of a secret. */
export function checkInteger(field: string, value: number, min: number, max: number): void {
  if (!isIntegerIn(value, min, max)) {
    throw protocolError(ProtocolErrorCode.BadField, `${field} must be an integer ${min}..${max}`, {
      field,
    });
  }
}

/** Refuses a byte field whose length is outside min..max (details: the length only). */
export function checkLength(field: string, bytes: Uint8Array, min: number, max = min): void {
  if (!(bytes instanceof Uint8Array) || bytes.length < min || bytes.length > max) {
    const want = min === max ? `${min}` : `${min}..${max}`;
    throw protocolError(ProtocolErrorCode.BadField, `${field} must be ${want} bytes`, {
      field,
      length: bytes instanceof Uint8Array ? bytes.length : -1,
    });
  }
}

/** `bytes` zero-padded (or exactly) to `size` bytes; the caller has checked the length. */
export function padTo(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, size));
  return out;
}

/** The bytes before the zero padding at the end of a fixed-size field. */
export function stripZeroPadding(field: Uint8Array): Uint8Array {
  let end = field.length;
  while (end > 0 && field[end - 1] === 0) end--;
  return field.slice(0, end);
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
