// Shared by the Key 3 tests: the vendor vectors (a copy of the reference file,
// since CI has only the repository), hex helpers, and the checks the property
// tests share ("decodes or throws ProtocolError, and nothing else").
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  type ProtocolError,
  type ProtocolErrorCode,
  isProtocolError,
} from '../../../device/protocol/protocol-error';

export const VECTORS_PATH = new URL('./fixtures/vectors.json', import.meta.url);

export interface Vector {
  readonly id: string;
  readonly kind: string;
  readonly inputs: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
  readonly [key: string]: unknown;
}
export interface VectorsFile {
  readonly meta: Record<string, unknown> & {
    readonly realVendorRootPublicKey65: string;
    readonly testVendorKey: { readonly privateKey: string; readonly publicKey65: string };
  };
  readonly vectors: readonly Vector[];
}

export const loadVectors = (): VectorsFile =>
  JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as VectorsFile;

export function vector(file: VectorsFile, id: string): Vector {
  const found = file.vectors.find((v) => v.id === id);
  if (found === undefined) throw new Error(`no vector ${id}`);
  return found;
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
/** A string field of a vector's inputs/expected as bytes. */
export const bytesOf = (record: Record<string, unknown>, name: string): Uint8Array => {
  const value = record[name];
  if (typeof value !== 'string') throw new Error(`${name} is not a hex string`);
  return fromHex(value);
};
export const stringOf = (record: Record<string, unknown>, name: string): string => {
  const value = record[name];
  if (typeof value !== 'string') throw new Error(`${name} is not a string`);
  return value;
};

/** Runs a decoder: it may return, or throw a ProtocolError; any other throw fails the test. */
export function decodesOrRefuses(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    if (!isProtocolError(e))
      throw new Error(`expected a ProtocolError, got ${String(e)}`, { cause: e });
  }
}

/** Asserts that fn throws a ProtocolError with this code, and returns it. */
export function refusal(fn: () => unknown, code: ProtocolErrorCode): ProtocolError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isProtocolError(caught), `expected ProtocolError ${code}, got ${String(caught)}`).toBe(
    true,
  );
  expect((caught as ProtocolError).code).toBe(code);
  return caught as ProtocolError;
}

/** Flips, inserts, deletes or truncates bytes of a valid encoding (the codecs' shared mutator). */
export { mutate } from '../protocol/arbitraries';

export const channel = fc.integer({ min: 1, max: 6 });
export const digits = (min: number, max: number): fc.Arbitrary<Uint8Array> =>
  fc
    .array(fc.integer({ min: 0x30, max: 0x39 }), { minLength: min, maxLength: max })
    .map((d) => Uint8Array.from(d));
/** A PIN: 1..8 non-zero bytes. */
export const pin = fc
  .array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 8 })
  .map((b) => Uint8Array.from(b));
export const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
/** Whole 16-byte blocks, 1..maxBlocks of them. */
export const blocks = (maxBlocks: number): fc.Arbitrary<Uint8Array> =>
  fc
    .integer({ min: 1, max: maxBlocks })
    .chain((n) => fc.uint8Array({ minLength: n * 16, maxLength: n * 16 }));
