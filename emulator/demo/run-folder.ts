// The self-contained demo's per-run folder in the system temp folder: it holds the HES
// stand-in's database (master keys, activation codes) and the virtual keys' state, so
// it is this user's only (0700). A marker names the owning pid: a run killed with
// SIGKILL cannot remove its folder, so the next start removes every demo folder whose
// owner is dead, and never one of a demo still running.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUN_FOLDER_PREFIX = 'hideez-demo-';
export const OWNER_FILE = 'owner.pid';

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => undefined);
  const pid = Number(text?.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** A new run folder (0700) owned by this process. */
export async function createRunFolder(parent: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, RUN_FOLDER_PREFIX));
  await chmod(dir, 0o700);
  await writeFile(join(dir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
  return dir;
}

/**
 * Removes the run folders of dead demos; returns their paths. A folder without a
 * readable marker (an older version's, or one being created right now) is left alone.
 */
export async function removeDeadRuns(parent: string = tmpdir()): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(RUN_FOLDER_PREFIX)) continue;
    const dir = join(parent, name);
    const owner = await ownerOf(dir);
    if (owner === undefined || processAlive(owner)) continue;
    await rm(dir, { recursive: true, force: true }).then(
      () => removed.push(dir),
      () => undefined,
    );
  }
  return removed;
}
