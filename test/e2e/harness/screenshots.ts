// Where the walks' screenshots go: docs/screenshots/ when UPDATE_SCREENSHOTS=1 (the
// README's pictures), else a temp folder, so `npm test` never changes the repository.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './world';

export const UPDATING = process.env['UPDATE_SCREENSHOTS'] === '1';
const NAME = /^[a-z0-9][a-z0-9-]*$/;

let dir: string | undefined;

/** The folder for this test file's screenshots (created on first use). */
export function screenshotDir(): string {
  if (dir !== undefined) return dir;
  if (UPDATING) {
    dir = join(ROOT, 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
  } else {
    dir = mkdtempSync(join(tmpdir(), 'hideez-e2e-shots-'));
  }
  return dir;
}

/** The file for a screen's name: lower-case words and digits with dashes only. */
export function screenshotPath(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad screenshot name: ${name}`);
  return join(screenshotDir(), `${name}.png`);
}

/** Removes the temp folder (never docs/screenshots). */
export function removeTempScreenshots(): void {
  if (dir !== undefined && !UPDATING) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}
