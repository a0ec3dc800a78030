// Where `npm start -- --server …` keeps the companion's data by default: the packaged
// app's userData folder (Electron's appData + the product name), computed per OS.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NAME, userDataDir } from '../../../emulator/demo/data-dir';
import { DemoUsageError, parseDemoArgs } from '../../../emulator/demo/demo-args';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

describe("the attach mode's data folder", () => {
  it('is named for the packaged product', () => {
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(/^productName: (.+)$/m.exec(yml)?.[1]).toBe(PRODUCT_NAME);
  });

  it('is where Electron puts userData on each OS', () => {
    const home = '/home/u';
    expect(userDataDir({ platform: 'linux', env: {}, home })).toBe(
      join(home, '.config', PRODUCT_NAME),
    );
    expect(userDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, home })).toBe(
      join('/x/cfg', PRODUCT_NAME),
    );
    expect(userDataDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/x' }, home })).toBe(
      join(home, 'Library', 'Application Support', PRODUCT_NAME),
    );
    expect(
      userDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home }),
    ).toBe(join('C:\\Users\\u\\AppData\\Roaming', PRODUCT_NAME));
  });

  it('--data-dir overrides it with --server, and is refused for the self-contained demo', () => {
    const attach = ['--server', 'http://127.0.0.1:1', '--virtual-keys', 'k'];
    expect(parseDemoArgs([...attach, '--data-dir', '/d'])).toMatchObject({ dataDir: '/d' });
    expect(parseDemoArgs(attach).dataDir).toBeUndefined();
    expect(() => parseDemoArgs(['--data-dir', '/d'])).toThrow(DemoUsageError);
  });
});
