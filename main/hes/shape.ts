// Small readers for JSON the server sends: each returns the typed value or throws a
// ShapeError naming the field (never its value, so nothing a server sent is echoed).
import { CompanionError } from '../../shared/errors/companion-error';

export class ShapeError extends CompanionError<'SHAPE_INVALID'> {
  override readonly name = 'ShapeError';

  constructor(message: string) {
    super('SHAPE_INVALID', message);
  }
}

export type Fields = Readonly<Record<string, unknown>>;

export function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${path} is not an object`);
  }
  return value as Fields;
}

export function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${path} is not an array`);
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${path} is not a string`);
  return value;
}

export function nullableString(value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  return string(value, path);
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new ShapeError(`${path} is not a boolean`);
  return value;
}

export function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ShapeError(`${path} is not an integer in ${min}..${max}`);
  }
  return value;
}
