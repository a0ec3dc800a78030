// Typed reads of SQLite row values: node:sqlite hands back loose values, and a damaged or
// foreign file must give a clear HesStoreError, never a wrong type further in.
import type { SQLOutputValue } from 'node:sqlite';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';

export type SqlRow = Record<string, SQLOutputValue>;

function bad(column: string, expected: string): HesStoreError {
  return new HesStoreError(HesStoreErrorCode.BadRow, `column ${column} is not ${expected}`, {
    column,
  });
}

export function text(row: SqlRow, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw bad(column, 'text');
  return value;
}

export function textOrNull(row: SqlRow, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw bad(column, 'text or null');
  return value;
}

export function int(row: SqlRow, column: string): number {
  const value = row[column];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(column, 'an integer');
  return value;
}

export const flag = (row: SqlRow, column: string): boolean => int(row, column) !== 0;

/** Booleans go in as 0/1 (SQLite has no boolean type). */
export const bit = (value: boolean): number => (value ? 1 : 0);

/** A u64 kept as decimal text (INTEGER is signed 64-bit and comes back as a lossy number). */
export function u64(row: SqlRow, column: string): bigint {
  const value = text(row, column);
  if (!/^\d{1,20}$/.test(value)) throw bad(column, 'a decimal u64');
  return BigInt(value);
}
