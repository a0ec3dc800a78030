// A companion killed between writing history.json.<pid>.tmp and its rename leaves the
// temp file behind. The next open removes those of dead processes only: a live
// process's temp file (a concurrent writer) is left alone.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyHistory } from '../../../main/history/key-history';
import { VaultStatus } from '../../../shared/vault/vault-status';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The pid of a process that has exited (and was reaped). */
const deadPid = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid!));
  });

/** A process that stays alive until the test ends. */
const livePid = (): number => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  cleanups.push(() => void child.kill('SIGKILL'));
  return child.pid!;
};

describe('stale history temp files', () => {
  it('are removed at open when their writer is dead, and kept while it lives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'history-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'history.json');
    const dead = await deadPid();
    const live = livePid();
    await writeFile(`${file}.${dead}.tmp`, '{"half":');
    await writeFile(`${file}.${live}.tmp`, '{"writing":');
    await writeFile(join(dir, 'other.json.1.tmp'), 'not ours');

    const history = await openKeyHistory(file);
    expect((await readdir(dir)).sort()).toEqual(
      [`history.json.${live}.tmp`, 'other.json.1.tmp'].sort(),
    );
    // The history itself still works and writes through its own temp file.
    history.record('K1', {
      time: 't',
      from: null,
      to: VaultStatus.Reserved,
      reason: null,
      source: 'key',
    });
    await history.flush();
    expect(await readdir(dir)).toContain('history.json');
  });
});
