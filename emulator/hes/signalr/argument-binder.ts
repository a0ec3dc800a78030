// How ASP.NET Core 5's JSON hub protocol binds invocation arguments to a hub method's .NET
// parameter types with System.Text.Json, as HES runs it (`AddSignalR()` defaults): property
// names case-insensitive (OrdinalIgnoreCase), unknown properties skipped, a missing property
// left at its default, JSON null only for reference types, no string→number or string-enum
// conversion, byte[] as strict base64, DateTime as ISO 8601 (stj-date-time.ts). A value the
// binder refuses throws HubBindingError: the invocation then fails before the method runs.
import { SignalRError, SignalRErrorCode } from './signalr-error';
import { isStjDateTime } from './stj-date-time';

/** The binder refused an argument (ASP.NET's InvocationBindingFailureMessage). */
export class HubBindingError extends SignalRError {
  constructor(path: string, expected: string) {
    super(SignalRErrorCode.BadArguments, `Cannot bind ${path}: expected ${expected}.`, {
      argument: path,
    });
  }
}

export const isHubBindingError = (e: unknown): e is HubBindingError => e instanceof HubBindingError;

/** The .NET integer types the HES DTOs use, with their ranges. */
export const DotNetInteger = {
  SByte: [-128, 127],
  Byte: [0, 255],
  UInt16: [0, 0xffff],
  Int32: [-0x8000_0000, 0x7fff_ffff],
  UInt32: [0, 0xffff_ffff],
} as const satisfies Record<string, readonly [number, number]>;
export type DotNetInteger = (typeof DotNetInteger)[keyof typeof DotNetInteger];

/** default(DateTime) as STJ would write it: what a missing DateTime property holds. */
export const DEFAULT_DATE_TIME = '0001-01-01T00:00:00';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Far above anything a 32 KB hub message can carry. */
const MAX_BASE64_CHARS = 64 * 1024;

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** string: a JSON string or null. */
export function bindString(value: unknown, path: string): string | null {
  if (value === null || typeof value === 'string') return value;
  throw new HubBindingError(path, 'a string or null');
}

/** bool: true or false (null is not a bool). */
export function bindBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new HubBindingError(path, 'true or false');
}

/** An integer type or an int-based enum (any value in range, defined or not). */
export function bindInteger(value: unknown, path: string, [min, max]: DotNetInteger): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  throw new HubBindingError(path, `an integer ${min}..${max}`);
}

/** DateTime: an ISO 8601 string STJ parses; kept as sent (never null). */
export function bindDateTime(value: unknown, path: string): string {
  if (typeof value === 'string' && isStjDateTime(value)) return value;
  throw new HubBindingError(path, 'an ISO 8601 date');
}

/** System.Version: STJ 5 has no converter; it reads an object (ignoring its members) or null. */
export function bindVersion(value: unknown, path: string): null {
  if (value === null || isObject(value)) return null;
  throw new HubBindingError(path, 'null or an object');
}

/** byte[]: strict base64 (no whitespace, proper padding) or null. */
export function bindBytes(value: unknown, path: string): Uint8Array | null {
  if (value === null) return null;
  if (typeof value === 'string' && value.length <= MAX_BASE64_CHARS && STRICT_BASE64.test(value)) {
    return new Uint8Array(Buffer.from(value, 'base64'));
  }
  throw new HubBindingError(path, 'a base64 string or null');
}

/** T[] / List<T>: an array whose items each bind, or null. */
export function bindArray<T>(
  value: unknown,
  path: string,
  item: (value: unknown, path: string) => T,
): T[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw new HubBindingError(path, 'an array or null');
  return value.map((v: unknown, i) => item(v, `${path}[${i}]`));
}

/** OrdinalIgnoreCase: .NET upper-cases char by char (simple mapping only). */
const foldCase = (name: string): string =>
  name
    .split('')
    .map((c) => {
      const upper = c.toUpperCase();
      return upper.length === 1 ? upper : c;
    })
    .join('');

/**
 * A DTO's JSON object as STJ reads it: members looked up case-insensitively (the last of
 * equal names wins), each read by its .NET type; a missing member takes its type's default.
 */
export class JsonFields {
  private readonly members = new Map<string, unknown>();

  private constructor(
    value: Readonly<Record<string, unknown>>,
    private readonly path: string,
  ) {
    for (const [name, member] of Object.entries(value)) this.members.set(foldCase(name), member);
  }

  /** A DTO (a class: null binds to null). */
  static of(value: unknown, path: string): JsonFields | null {
    if (value === null) return null;
    if (!isObject(value)) throw new HubBindingError(path, 'an object or null');
    return new JsonFields(value, path);
  }

  private read<T>(name: string, missing: T, bind: (value: unknown, path: string) => T): T {
    const key = foldCase(name);
    return this.members.has(key) ? bind(this.members.get(key), `${this.path}.${name}`) : missing;
  }

  string(name: string): string | null {
    return this.read(name, null, bindString);
  }

  boolean(name: string): boolean {
    return this.read(name, false, bindBoolean);
  }

  integer(name: string, type: DotNetInteger): number {
    return this.read(name, 0, (v, p) => bindInteger(v, p, type));
  }

  dateTime(name: string): string {
    return this.read(name, DEFAULT_DATE_TIME, bindDateTime);
  }

  version(name: string): null {
    return this.read(name, null, bindVersion);
  }

  bytes(name: string): Uint8Array | null {
    return this.read(name, null, bindBytes);
  }

  strings(name: string): (string | null)[] | null {
    return this.read(name, null, (v, p) => bindArray(v, p, bindString));
  }
}
