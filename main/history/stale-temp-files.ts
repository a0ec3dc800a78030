// Leftovers of killed writers: a process killed between writing `<file>.<pid>.tmp` and
// its rename leaves the temp file behind for good. At open, those whose pid is dead
// are removed; a live pid's (a concurrent writer, or this process) are left alone.
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temp file the writer of `file` in process `pid` uses. */
export const tempFileOf = (file: string, pid: number): string => `${file}.${pid}.tmp`;

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `<file>.<pid>.tmp` of dead pids; returns the names removed. Never throws. */
export async function removeStaleTempFiles(file: string): Promise<string[]> {
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    await rm(join(dirname(file), name), { force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}
