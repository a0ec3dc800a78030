// Reading a vector's inputs for the conformance run: hex byte strings of a known
// length, integers, and the state a `continuesFrom` vector left. A missing or
// malformed input is a VectorError, which the run reports as that vector's
// "error" without stopping.

import { CompanionError } from '../../../shared/errors/companion-error';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Why one vector could not be computed (its message becomes the vector's "error"). */
export class VectorError extends CompanionError<'VECTOR_INVALID'> {
  override readonly name = 'VectorError';

  constructor(message: string) {
    super('VECTOR_INVALID', message);
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function fromHex(text: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new VectorError('not a hex byte string');
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** The session state a vector leaves for the next (`continuesFrom`). */
export interface SessionState {
  readonly channel: number;
  readonly aesKey: Uint8Array;
  readonly macKey: Uint8Array;
  readonly counterBlock: Uint8Array;
}

export class Inputs {
  constructor(private readonly inputs: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.inputs[name] !== undefined;
  }

  /** A hex input, of exactly `length` bytes when given. */
  bytes(name: string, length?: number): Uint8Array {
    const value = this.inputs[name];
    if (value === undefined) throw new VectorError(`missing input: ${name}`);
    if (typeof value !== 'string') throw new VectorError(`bad input: ${name} is not a hex string`);
    let bytes: Uint8Array;
    try {
      bytes = fromHex(value);
    } catch {
      throw new VectorError(`bad input: ${name} is not a hex byte string`);
    }
    if (length !== undefined && bytes.length !== length) {
      throw new VectorError(`bad input: ${name} must be ${length} bytes, got ${bytes.length}`);
    }
    return bytes;
  }

  optionalBytes(name: string, length?: number): Uint8Array | undefined {
    return this.has(name) ? this.bytes(name, length) : undefined;
  }

  integer(name: string, min: number, max: number): number {
    const value = this.inputs[name];
    if (value === undefined) throw new VectorError(`missing input: ${name}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new VectorError(`bad input: ${name} must be an integer ${min}..${max}`);
    }
    return value;
  }

  /** A list of hex strings. */
  bytesList(name: string): Uint8Array[] {
    const value = this.inputs[name];
    if (value === undefined) throw new VectorError(`missing input: ${name}`);
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
      throw new VectorError(`bad input: ${name} must be a list of hex strings`);
    }
    return value.map((v, i) => {
      try {
        return fromHex(v);
      } catch {
        throw new VectorError(`bad input: ${name}[${i}] is not a hex byte string`);
      }
    });
  }

  /** The id in `continuesFrom`, which may carry a note after it ("id (success reply consumed)"). */
  continuesFrom(): string | undefined {
    const value = this.inputs['continuesFrom'];
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      throw new VectorError('bad input: continuesFrom is not a string');
    const id = value.trim().split(/[\s(]/, 1)[0] ?? '';
    if (id === '') throw new VectorError('bad input: continuesFrom names no vector');
    return id;
  }
}
