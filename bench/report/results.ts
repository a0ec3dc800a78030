// The JSON results: one file per section and latest.json with every section of a full
// run, plus tables.md. By default they go to bench/results/local/ (gitignored), so a run
// never rewrites the committed figures; `--update-committed` writes bench/results/
// itself (prettier-ignored), the figures docs/performance.md quotes. A --quick or
// --only run writes under <folder>/partial/, so it never replaces a full run's files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markdownTable, type Table } from './table';

/** The committed results (bench/results/). */
export const COMMITTED_RESULTS_DIR = join(import.meta.dirname, '..', 'results');
/** Where a run writes unless told to update the committed results (gitignored). */
export const LOCAL_RESULTS_DIR = join(COMMITTED_RESULTS_DIR, 'local');

export interface ResultsPlace {
  /** bench/results/ when true, else bench/results/local/. */
  readonly updateCommitted: boolean;
  /** A --quick, --only or --profiles run: under partial/. */
  readonly partial: boolean;
}

export function resultsDir(place: ResultsPlace): string {
  const base = place.updateCommitted ? COMMITTED_RESULTS_DIR : LOCAL_RESULTS_DIR;
  return place.partial ? join(base, 'partial') : base;
}

export async function writeResult(
  name: string,
  data: unknown,
  place: ResultsPlace,
): Promise<string> {
  const dir = resultsDir(place);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

/** The run's tables as Markdown (tables.md), the form docs/performance.md quotes. */
export async function writeTables(tables: readonly Table[], place: ResultsPlace): Promise<string> {
  const dir = resultsDir(place);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'tables.md');
  const notes = (t: Table): string =>
    t.notes && t.notes.length > 0 ? '\n\n' + t.notes.map((n) => `- ${n}`).join('\n') : '';
  await writeFile(file, tables.map((t) => markdownTable(t) + notes(t)).join('\n\n') + '\n');
  return file;
}
