// `npm run bench` must not rewrite the committed figures unless asked: by default its
// files go to a folder git ignores, and --update-committed writes bench/results/.
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/args';
import {
  COMMITTED_RESULTS_DIR,
  resultsDir,
  writeResult,
  writeTables,
} from '../../bench/report/results';

const ROOT = resolve(import.meta.dirname, '..', '..');
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
/** Whether git ignores this path (check-ignore exits 0 when it does, 1 when not). */
const ignored = (path: string): boolean => {
  try {
    git('check-ignore', '-q', '--no-index', relative(ROOT, path));
    return true;
  } catch {
    return false;
  }
};

describe('where the bench writes', () => {
  const written: string[] = [];
  afterAll(async () => {
    for (const file of written) await rm(file, { force: true });
  });

  it('by default, a full run and a partial run write only where git does not look', async () => {
    const args = parseArgs([]);
    expect(args.updateCommitted).toBe(false);
    for (const partial of [false, true]) {
      const place = { updateCommitted: args.updateCommitted, partial };
      const name = `test-${process.pid}-${partial ? 'partial' : 'full'}`;
      const file = await writeResult(name, { ok: true }, place);
      written.push(file);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ok: true });
      expect(ignored(file)).toBe(true);
      expect(file.startsWith(COMMITTED_RESULTS_DIR)).toBe(true);
      // The committed latest.json and tables.md are never the default target.
      expect(ignored(join(resultsDir(place), 'latest.json'))).toBe(true);
      expect(ignored(join(resultsDir(place), 'tables.md'))).toBe(true);
    }
    const tables = await writeTables([], { updateCommitted: false, partial: false });
    written.push(tables);
    expect(ignored(tables)).toBe(true);
    expect(git('ls-files', relative(ROOT, tables))).toBe('');
  });

  it('--update-committed targets the tracked bench/results/ files', () => {
    const args = parseArgs(['--quick', '--update-committed']);
    expect(args).toMatchObject({ quick: true, updateCommitted: true });
    const full = resultsDir({ updateCommitted: true, partial: false });
    expect(full).toBe(COMMITTED_RESULTS_DIR);
    const tracked = git('ls-files', relative(ROOT, join(full, 'latest.json'))).trim();
    expect(tracked).toBe('bench/results/latest.json');
    expect(ignored(join(full, 'latest.json'))).toBe(false);
  });
});
