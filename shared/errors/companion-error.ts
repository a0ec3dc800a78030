// The one base of the companion's typed errors (device, main, emulator, tools): a stable
// `code` callers switch on (never the message), a message and optional details without
// secrets, an optional `cause`, and toJSON() giving plain data that crosses IPC, JSON and
// structuredClone unchanged. A subclass keeps only what is its own: its name, its code type,
// extra fields (and their place in its JSON, through super.toJSON()).

/** A value a detail may hold: plain data only, never a secret or the bytes of a message. */
export type ErrorDetailValue = string | number | boolean | readonly string[];

/** What any error's details must be: a flat record of plain values. */
export type PlainErrorDetails = { readonly [key: string]: ErrorDetailValue };

/** The usual details: numbers, strings, booleans (lengths, field names, serial numbers). */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

/** What toJSON() gives: `details` only when the error has some. */
export interface CompanionErrorJson<
  Code extends string | number = string | number,
  Name extends string = string,
  Details extends PlainErrorDetails = ErrorDetails,
> {
  readonly name: Name;
  readonly code: Code;
  readonly message: string;
  readonly details?: Details;
}

export interface CompanionErrorOptions {
  /** What went wrong underneath (kept on the error, never put in its JSON). */
  readonly cause?: unknown;
}

export abstract class CompanionError<
  Code extends string | number = string | number,
  Details extends PlainErrorDetails = ErrorDetails,
> extends Error {
  /** The class's own name (a literal: 'DeviceError', 'HesError'…), the JSON's `name`. */
  abstract override readonly name: string;
  readonly code: Code;
  /** Set only when given: `'details' in error` says whether there are any. */
  declare readonly details?: Details;

  constructor(code: Code, message: string, details?: Details, options?: CompanionErrorOptions) {
    super(message, options);
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  /** `{name, code, message, details?}`; details are copied, the cause is left out. */
  toJSON(): CompanionErrorJson<Code, this['name'], Details> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details !== undefined ? { details: { ...this.details } } : {}),
    };
  }
}
