// Where `npm start -- --server … --virtual-keys …` keeps the companion's data (the
// workstation id, the audit queue, the history): the folder the packaged app uses,
// Electron's app.getPath('userData') for the product name, computed without Electron,
// so the workstation stays the one the administrator approved and queued audit events
// are sent at the next start. `--data-dir` overrides it. Only the self-contained demo
// (no --server) runs on a temp folder (demo-world.ts).
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** electron-builder.yml's productName: the packaged app's name, hence its userData folder. */
export const PRODUCT_NAME = 'Hideez Companion';

export interface Platform {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

const thisMachine = (): Platform => ({
  platform: process.platform,
  env: process.env,
  home: homedir(),
});

/** Electron's appData: %APPDATA%, ~/Library/Application Support, or $XDG_CONFIG_HOME / ~/.config. */
export function appDataDir(on: Platform = thisMachine()): string {
  const set = (name: string): string | undefined => {
    const value = on.env[name];
    return value !== undefined && value !== '' ? value : undefined;
  };
  switch (on.platform) {
    case 'win32':
      return set('APPDATA') ?? join(on.home, 'AppData', 'Roaming');
    case 'darwin':
      return join(on.home, 'Library', 'Application Support');
    default:
      return set('XDG_CONFIG_HOME') ?? join(on.home, '.config');
  }
}

/** The packaged app's userData folder on this machine. */
export const userDataDir = (on: Platform = thisMachine()): string =>
  join(appDataDir(on), PRODUCT_NAME);

/** Creates the folder if needed, readable by this user only (as new: an existing one is kept). */
export async function ensureDataDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
