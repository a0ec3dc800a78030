// The settings file: defaults when absent, validated on read and on write, written
// atomically (no temp file left behind, the old file kept when a write fails), and
// updates applied one at a time.
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE,
  SettingsError,
  SettingsStore,
  readSettings,
  validateSettings,
  writeSettings,
} from '../../../main/shell/settings';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'companion-settings-'));
  file = join(dir, SETTINGS_FILE);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return (e as SettingsError).code;
  }
  return 'no error';
};

describe('reading settings', () => {
  it('gives the defaults when there is no file yet', async () => {
    expect(await readSettings(file)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toEqual({
      serverUrl: null,
      workstationIdFolder: null,
      startAtLogin: false,
    });
  });

  it('reads back what was written, with the server address normalised', async () => {
    const stored = await writeSettings(file, {
      serverUrl: 'https://hes.example.com/hes/',
      workstationIdFolder: join(dir, 'ids'),
      startAtLogin: true,
    });
    expect(stored.serverUrl).toBe('https://hes.example.com/hes');
    expect(await readSettings(file)).toEqual(stored);
  });

  it('fills missing fields with defaults and drops unknown ones', async () => {
    await writeFile(file, JSON.stringify({ startAtLogin: true, futureOption: 1 }));
    expect(await readSettings(file)).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true });
  });

  it('refuses a file that is not JSON, or has wrong fields, naming the fields only', async () => {
    await writeFile(file, '{ not json');
    expect(await codeOf(readSettings(file))).toBe('SETTINGS_MALFORMED');

    await writeFile(
      file,
      JSON.stringify({ serverUrl: 'ftp://user:hunter2@hes', startAtLogin: 'yes' }),
    );
    const error = await readSettings(file).catch((e: unknown) => e as SettingsError);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).toJSON()).toMatchObject({
      code: 'SETTINGS_INVALID',
      details: { fields: ['serverUrl', 'startAtLogin'] },
    });
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('reports a file it cannot read as unreadable', async () => {
    await mkdir(file); // a folder where the file should be
    expect(await codeOf(readSettings(file))).toBe('SETTINGS_UNREADABLE');
  });
});

describe('validating settings', () => {
  it('accepts only http(s) server addresses without credentials, and absolute folders', () => {
    const ok = (patch: object) => () => validateSettings({ ...DEFAULT_SETTINGS, ...patch });
    expect(ok({ serverUrl: 'http://10.0.0.5:5000' })).not.toThrow();
    expect(ok({ serverUrl: 'javascript:alert(1)' })).toThrow(SettingsError);
    expect(ok({ serverUrl: 'https://u:p@hes.example.com' })).toThrow(SettingsError);
    expect(ok({ serverUrl: '' })).toThrow(SettingsError);
    expect(ok({ workstationIdFolder: 'relative/dir' })).toThrow(SettingsError);
    expect(ok({ startAtLogin: 1 })).toThrow(SettingsError);
  });

  it('never throws anything but a SettingsError, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (data) => {
        try {
          validateSettings(data);
        } catch (e) {
          expect(e).toBeInstanceOf(SettingsError);
        }
      }),
    );
  });
});

describe('writing settings', () => {
  it('leaves no temporary file behind and keeps the file private', async () => {
    await writeSettings(file, { ...DEFAULT_SETTINGS, startAtLogin: true });
    expect(await readdir(dir)).toEqual([SETTINGS_FILE]);
    if (process.platform !== 'win32') {
      expect((await stat(file)).mode & 0o077).toBe(0);
    }
  });

  it('does not write invalid settings: the old file stays as it was', async () => {
    await writeSettings(file, { ...DEFAULT_SETTINGS, startAtLogin: true });
    const before = await readFile(file, 'utf8');
    const bad = { ...DEFAULT_SETTINGS, serverUrl: 'not a url' };
    expect(await codeOf(writeSettings(file, bad))).toBe('SETTINGS_INVALID');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'reports a folder it cannot write to, and cleans up',
    async () => {
      const locked = join(dir, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o500);
      try {
        expect(await codeOf(writeSettings(join(locked, SETTINGS_FILE), DEFAULT_SETTINGS))).toBe(
          'SETTINGS_WRITE_FAILED',
        );
        expect(await readdir(locked)).toEqual([]);
      } finally {
        await chmod(locked, 0o700);
      }
    },
  );
});

describe('the settings store', () => {
  it('starts from defaults with the problem when the file is unusable, then repairs it', async () => {
    await writeFile(file, '[]');
    const { store, problem } = await SettingsStore.open(file);
    expect(problem?.code).toBe('SETTINGS_INVALID');
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    await store.update({ startAtLogin: true });
    expect(await readSettings(file)).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true });
  });

  it('applies quick successive updates one after another, losing none', async () => {
    const { store } = await SettingsStore.open(file);
    await Promise.all([
      store.update({ serverUrl: 'https://hes.example.com' }),
      store.update({ startAtLogin: true }),
      store.update({ workstationIdFolder: dir }),
    ]);
    const expected = {
      serverUrl: 'https://hes.example.com',
      startAtLogin: true,
      workstationIdFolder: dir,
    };
    expect(store.get()).toEqual(expected);
    expect(await readSettings(file)).toEqual(expected);
  });

  it('a refused update changes nothing, and later updates still work', async () => {
    const { store } = await SettingsStore.open(file);
    await expect(store.update({ serverUrl: 'mailto:x' })).rejects.toBeInstanceOf(SettingsError);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    await store.update({ startAtLogin: true });
    expect(store.get().startAtLogin).toBe(true);
  });
});
