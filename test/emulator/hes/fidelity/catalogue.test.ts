// The catalogue itself: every row once, in order, each difference with its reason.
import { describe, expect, it } from 'vitest';
import { FIDELITY_TABLES } from '../../../../emulator/hes/fidelity';
import { ALL_PROOFS } from './proofs';

/** Rows per table in the reference list (hes-fidelity-gaps.md, 162 rows). */
const ROWS_PER_TABLE: Readonly<Record<string, number>> = {
  '1': 39,
  '2': 34,
  '3': 23,
  '4': 29,
  '5': 11,
  '6': 26,
};

describe('HES fidelity catalogue', () => {
  it('has every table and every row of the reference list, numbered in order', () => {
    expect(FIDELITY_TABLES.map((t) => t.number)).toEqual(['1', '2', '3', '4', '5', '6']);
    for (const table of FIDELITY_TABLES) {
      expect(table.rows.length, `table ${table.number}`).toBe(ROWS_PER_TABLE[table.number]);
      expect(table.rows.map((r) => r.id)).toEqual(
        table.rows.map((_, i) => `${table.number}.${i + 1}`),
      );
    }
  });

  it('gives every difference its reason or what is left', () => {
    for (const row of FIDELITY_TABLES.flatMap((t) => t.rows)) {
      expect(row.item.trim(), row.id).not.toBe('');
      expect(row.hes.trim(), row.id).not.toBe('');
      if (row.state !== 'same') expect(row.note.trim(), row.id).not.toBe('');
    }
  });

  it('has no proof for a row that does not exist', () => {
    const ids = new Set(FIDELITY_TABLES.flatMap((t) => t.rows.map((r) => r.id)));
    for (const id of ALL_PROOFS.keys()) expect(ids.has(id), id).toBe(true);
  });
});
