// One JSON file per key in a folder, written atomically (a temp file in the same
// folder, fsync, then rename), so a key that loses power mid-write keeps either
// the old or the new state, never half of each, and a new VirtualKey over the
// same file (a replug) sees exactly what the last one persisted. The temp file names
// its writer's pid, so a boot removes those of killed processes (removeStaleTemps).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KeyStateError, KeyStateErrorCode } from './key-state-error';
import { parseKeyState, type KeyState } from './key-state';

export const STATE_FILE_SUFFIX = '.key.json';
const TEMP_MARK = '.tmp-';
/** A temp file without a pid (older versions) is stale once this old: a write takes ms. */
export const STALE_TEMP_AGE_MS = 10 * 60_000;

export const stateFileName = (serialNo: string): string => `${serialNo}${STATE_FILE_SUFFIX}`;

const errnoCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;

export interface StateStoreOptions {
  /**
   * Called after the new state is on disk in the temp file and before the rename
   * that makes it current. Returning false models a power cut at that moment:
   * the rename never happens. Tests use it to prove nothing is lost or half-written.
   */
  readonly beforeCommit?: () => boolean;
}

export class KeyStateStore {
  constructor(
    readonly path: string,
    private readonly options: StateStoreOptions = {},
  ) {}

  async load(): Promise<KeyState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') {
        throw new KeyStateError(KeyStateErrorCode.NotFound, 'Key state file not found', {
          path: this.path,
        });
      }
      throw new KeyStateError(KeyStateErrorCode.Io, 'Key state file cannot be read', {
        path: this.path,
        errno: errnoCode(e) ?? 'unknown',
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new KeyStateError(KeyStateErrorCode.Corrupt, 'Key state file is not valid JSON', {
        path: this.path,
      });
    }
    return parseKeyState(json);
  }

  async save(state: KeyState): Promise<void> {
    const temp = `${this.path}${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (this.options.beforeCommit && !this.options.beforeCommit()) {
        // Power cut: the temp file stays behind, the current state is untouched.
        throw new KeyStateError(
          KeyStateErrorCode.PowerLost,
          'Power lost before the state was committed',
          {
            path: this.path,
          },
        );
      }
      await rename(temp, this.path);
    } catch (e) {
      if (e instanceof KeyStateError) throw e;
      await rm(temp, { force: true }).catch(() => undefined);
      throw new KeyStateError(KeyStateErrorCode.Io, 'Key state file cannot be written', {
        path: this.path,
        errno: errnoCode(e) ?? 'unknown',
      });
    }
  }
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
};

/**
 * Removes the temp files a killed writer left next to `statePath`: those naming a dead
 * pid, and those without a pid once older than STALE_TEMP_AGE_MS. A live process's
 * (another key process on the same folder, mid-write) are kept. Never throws.
 */
export async function removeStaleTemps(statePath: string, now = Date.now()): Promise<string[]> {
  const dir = dirname(statePath);
  const prefix = `${basename(statePath)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const tagged = /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length));
    const path = join(dir, name);
    let stale: boolean;
    if (tagged) {
      stale = !processAlive(Number(tagged[1]));
    } else {
      const info = await stat(path).catch(() => undefined);
      stale = info !== undefined && now - info.mtimeMs > STALE_TEMP_AGE_MS;
    }
    if (!stale) continue;
    await rm(path, { force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

/** The state files of every key in a folder, sorted by name (leftover temp files are skipped). */
export async function listStateFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new KeyStateError(
      errnoCode(e) === 'ENOENT' ? KeyStateErrorCode.NotFound : KeyStateErrorCode.Io,
      'Key folder cannot be read',
      { path: dir, errno: errnoCode(e) ?? 'unknown' },
    );
  }
  return names
    .filter((n) => n.endsWith(STATE_FILE_SUFFIX))
    .sort()
    .map((n) => join(dir, n));
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new KeyStateError(KeyStateErrorCode.Io, 'Key folder cannot be created', {
      path: dir,
      errno: errnoCode(e) ?? 'unknown',
    });
  }
}
