// The JSON results: one file per section under bench/results/ (prettier-ignored) and
// latest.json with every section of a full run. A --quick or --only run writes under
// bench/results/partial/ instead, so it never replaces a full run's files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markdownTable, type Table } from './table';

export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

export async function writeResult(name: string, data: unknown, partial: boolean): Promise<string> {
  const dir = partial ? join(RESULTS_DIR, 'partial') : RESULTS_DIR;
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

/** The run's tables as Markdown (tables.md), the form docs/performance.md quotes. */
export async function writeTables(tables: readonly Table[], partial: boolean): Promise<string> {
  const dir = partial ? join(RESULTS_DIR, 'partial') : RESULTS_DIR;
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'tables.md');
  const notes = (t: Table): string =>
    t.notes && t.notes.length > 0 ? '\n\n' + t.notes.map((n) => `- ${n}`).join('\n') : '';
  await writeFile(file, tables.map((t) => markdownTable(t) + notes(t)).join('\n\n') + '\n');
  return file;
}
