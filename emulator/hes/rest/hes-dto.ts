// Reading a HES route's body as ASP.NET binds its DTO: Newtonsoft (property names in any case;
// a number or bool where a string goes becomes its text, "true"/"false" or a number where a
// bool goes, a numeric string where an int goes; a missing value type takes its default), then
// the DataAnnotations ([Required]: not null and not blank; [Range]). Every error is collected and
// the request answers [ApiController]'s 400 ValidationProblemDetails, keyed by field.
import { validationProblem } from './hes-replies';

type Errors = Record<string, string[]>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class HesDto {
  private readonly values = new Map<string, unknown>();
  private readonly errors: Errors = {};

  /** `typeName`: the DTO's .NET name, for the "cannot deserialize" error. */
  constructor(body: unknown, typeName: string) {
    if (body === undefined) {
      this.fail('', 'A non-empty request body is required.');
    } else if (!isObject(body)) {
      this.fail('', `Cannot deserialize the current JSON value into type '${typeName}'.`);
    } else {
      for (const [name, value] of Object.entries(body)) this.values.set(name.toLowerCase(), value);
    }
  }

  /** A string property (`name` as HES spells the C# property); `required`: [Required]. */
  string(name: string, required: true): string;
  string(name: string, required?: false): string | null;
  string(name: string, required = false): string | null {
    const value = this.values.get(name.toLowerCase());
    let text: string | null = null;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
    else if (value !== undefined && value !== null) this.cannotConvert(name, 'String');
    if (required && (text === null || text.trim() === '')) {
      this.fail(name, `The ${name} field is required.`);
    }
    return text;
  }

  /** A bool property: missing or null → false (a .NET bool is never null; [Required] adds nothing). */
  bool(name: string): boolean {
    const value = this.values.get(name.toLowerCase());
    if (value === undefined || value === null) return false;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
      return value.trim().toLowerCase() === 'true';
    }
    this.cannotConvert(name, 'Boolean');
    return false;
  }

  /** An int property (missing → 0), checked against [Range(min, max)] when given. */
  int(name: string, range?: readonly [number, number]): number {
    const value = this.values.get(name.toLowerCase());
    let n = 0;
    if (typeof value === 'number' && Number.isInteger(value)) n = value;
    else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) n = Number(value);
    else if (value !== undefined && value !== null) this.cannotConvert(name, 'Int32');
    if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31 - 1) this.cannotConvert(name, 'Int32');
    if (range && (n < range[0] || n > range[1])) {
      this.fail(name, `The field ${name} must be between ${range[0]} and ${range[1]}.`);
    }
    return n;
  }

  /** An enum property: its number or its name (any case); missing → 0. */
  enumValue<T extends number>(name: string, names: Readonly<Record<string, T>>): number {
    const value = this.values.get(name.toLowerCase());
    if (value === undefined || value === null) return 0;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string') {
      const found = Object.entries(names).find(([n]) => n.toLowerCase() === value.toLowerCase());
      if (found) return found[1];
      if (/^\s*\d+\s*$/.test(value)) return Number(value);
    }
    this.cannotConvert(name, 'enum');
    return 0;
  }

  /** Throws the 400 if anything failed. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw validationProblem(this.errors);
  }

  private cannotConvert(name: string, type: string): void {
    const path = name.charAt(0).toLowerCase() + name.slice(1);
    this.fail(path, `Error converting value to type '${type}'. Path '${path}'.`);
  }

  private fail(key: string, message: string): void {
    (this.errors[key] ??= []).push(message);
  }
}
