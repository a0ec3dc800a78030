// The demo's secrets (the stand-in's database, the keys' state) live in a per-run folder
// only this user can read, and a demo killed with SIGKILL does not leave them behind for
// good: the next start removes the folders of dead demos, never a running one's, and
// starts its keys and its server from the same state.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoWorld, type DemoWorld } from '../../../emulator/demo/demo-world';
import { OWNER_FILE, RUN_FOLDER_PREFIX } from '../../../emulator/demo/run-folder';
import { VaultStatus } from '../../../shared/vault/vault-status';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CHILD = join(import.meta.dirname, 'fixtures', 'world-child.ts');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A demo world in a child process, killed with SIGKILL once it is up: its folder. */
async function killedWorld(parent: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, parent], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dir = await new Promise<string>((resolveDir, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('DIR ')) resolveDir(line.slice(4));
    });
    child.once('exit', (code) => reject(new Error(`world child exited (${code})`)));
  });
  child.kill('SIGKILL');
  await new Promise((closed) => child.once('close', closed));
  return dir;
}

describe("the demo's run folder", () => {
  it('is 0700, names its owner, and the next start removes a killed run’s folder only', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'demo-runs-'));
    cleanups.push(() => rm(parent, { recursive: true, force: true }));

    const dead = await killedWorld(parent);
    expect(existsSync(join(dead, 'hes.sqlite'))).toBe(true);
    // A demo still running (this process) keeps its folder.
    const running = await startDemoWorld({ parent, open: 1, key3: 0 });
    cleanups.push(() => running.close());
    expect(existsSync(dead)).toBe(false);

    const world: DemoWorld = await startDemoWorld({ parent, open: 1, key3: 1 });
    cleanups.push(() => world.close());
    expect(existsSync(running.dir)).toBe(true);
    expect(world.dir.startsWith(join(parent, RUN_FOLDER_PREFIX))).toBe(true);
    expect(statSync(world.dir).mode & 0o777).toBe(0o700);
    expect((await readFile(join(world.dir, OWNER_FILE), 'utf8')).trim()).toBe(String(process.pid));

    // A fresh start: every key blank, every vault Reserved, each with its code.
    expect(world.keys).toHaveLength(2);
    for (const key of world.keys) {
      expect(key.info().access.linkRequired).toBe(true);
      expect(world.server.standIn.vaultStatus(key.serialNo).status).toBe(VaultStatus.Reserved);
      expect(world.codes.map((c) => c.serialNo)).toContain(key.serialNo);
    }

    await world.close();
    expect(existsSync(world.dir)).toBe(false);
  }, 60_000);
});
