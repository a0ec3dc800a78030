// The key's state file: what a replug reads back. A corrupt or tampered file
// must give a typed KeyStateError (never another crash), and a power cut during
// a write must leave the previous state whole.
import { spawn } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isKeyStateError,
  KeyStateError,
  KeyStateErrorCode,
} from '../../../emulator/key/key-state-error';
import { parseKeyState, type KeyState } from '../../../emulator/key/key-state';
import { KeyStateStore } from '../../../emulator/key/state-store';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { keyFolder } from './key-hosts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function oneKey() {
  const folder = await keyFolder(1);
  cleanups.push(folder.cleanup);
  const record = folder.records[0]!;
  const path = folder.pathOf(record);
  const state = JSON.parse(await readFile(path, 'utf8')) as KeyState;
  return { folder, record, path, state };
}

/** A deep copy of `state` with the field at a dotted path replaced. */
function withField(state: KeyState, path: string, value: unknown): unknown {
  const copy = structuredClone(state) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return copy;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isKeyStateError(e) ? e.code : `not a KeyStateError: ${String(e)}`;
  }
  return undefined;
}

describe('key state', () => {
  it('a provisioned key loads back as a blank key with its identity', async () => {
    const { path, record } = await oneKey();
    const state = await new KeyStateStore(path).load();
    expect(state.provisioning).toEqual(record);
    expect(state.link).toBeNull();
    expect(state.remoteCounter).toBe('0');
  });

  it('missing, non-JSON and unknown-format files give typed errors', async () => {
    const { path, folder } = await oneKey();
    await expect(new KeyStateStore(`${folder.dir}/nope.key.json`).load()).rejects.toMatchObject({
      code: KeyStateErrorCode.NotFound,
    });
    await writeFile(path, '{ not json');
    await expect(new KeyStateStore(path).load()).rejects.toMatchObject({
      code: KeyStateErrorCode.Corrupt,
    });
    await writeFile(path, JSON.stringify({ format: 'other/9' }));
    await expect(new KeyStateStore(path).load()).rejects.toMatchObject({
      code: KeyStateErrorCode.UnsupportedFormat,
    });
    await expect(VirtualKey.open(path)).rejects.toBeInstanceOf(KeyStateError);
  });

  it('tampered fields are refused', async () => {
    const { state } = await oneKey();
    const tamper = (path: string, value: unknown): string | undefined => {
      const copy = withField(state, path, value);
      return codeOf(() => parseKeyState(copy));
    };
    const invalid = KeyStateErrorCode.Invalid;
    expect(codeOf(() => parseKeyState(structuredClone(state)))).toBeUndefined();
    expect(tamper('provisioning.secret', 'AAAA')).toBe(invalid);
    expect(tamper('provisioning.mac', 'zz')).toBe(invalid);
    expect(tamper('remoteCounter', '-1')).toBe(invalid);
    expect(tamper('remoteCounter', 5)).toBe(invalid);
    expect(tamper('battery', 101)).toBe(invalid);
    expect(tamper('pin.attemptsRemain', 1.5)).toBe(invalid);
    expect(tamper('storage.freeSize', state.storage.totalSize + 1)).toBe(invalid);
    expect(tamper('licenses', [null])).toBe(invalid);
    expect(
      tamper(
        'licenses',
        Array.from({ length: 8 }, () => 'not base64!'),
      ),
    ).toBe(invalid);
    expect(
      tamper(
        'licenses',
        Array.from({ length: 8 }, () => 7),
      ),
    ).toBe(invalid);
    // A file from before licences existed: every slot free.
    const older = withField(state, 'licenses', undefined) as Record<string, unknown>;
    delete older['licenses'];
    expect(parseKeyState(older).licenses).toEqual(Array.from({ length: 8 }, () => null));
    // A blank key cannot carry a code lock, and a PIN lock must match its counter.
    const hash = {
      salt: Buffer.alloc(16).toString('base64'),
      hash: Buffer.alloc(32).toString('base64'),
      cost: 16,
    };
    expect(tamper('codeLock', { code: hash, attemptsSet: 3, attemptsRemain: 3, reason: 1 })).toBe(
      invalid,
    );
    expect(tamper('pin.lockedByPin', true)).toBe(invalid);
  });

  it('errors carry no secret', async () => {
    const { state } = await oneKey();
    const copy = withField(state, 'provisioning.secret', `${state.provisioning.secret}x`);
    let error: unknown;
    try {
      parseKeyState(copy);
    } catch (e) {
      error = e;
    }
    expect(isKeyStateError(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain(state.provisioning.secret);
    expect((error as Error).message).not.toContain(state.provisioning.secret);
  });

  it('any JSON value either parses or gives a KeyStateError', async () => {
    const { state } = await oneKey();
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const code = codeOf(() => parseKeyState(value));
        expect(code === undefined || !code.startsWith('not a')).toBe(true);
      }),
    );
    // Mutations of a valid state: replace one field anywhere with a random JSON value.
    const paths = [
      'format',
      'provisioning',
      'link',
      'codeLock',
      'pin',
      'profile',
      'remoteCounter',
      'battery',
      'storage',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (field, value) => {
        const copy = { ...(state as unknown as Record<string, unknown>), [field]: value };
        const code = codeOf(() => parseKeyState(copy));
        expect(code === undefined || !code.startsWith('not a')).toBe(true);
      }),
    );
  });

  it('a power cut before the commit leaves the old state whole and loadable', async () => {
    const { path, folder } = await oneKey();
    const before = await readFile(path, 'utf8');
    const store = new KeyStateStore(path, { beforeCommit: () => false });
    const state = await store.load();
    await expect(store.save({ ...state, battery: 5 })).rejects.toMatchObject({
      code: KeyStateErrorCode.PowerLost,
    });
    expect(await readFile(path, 'utf8')).toBe(before);
    // The leftover temp file is not mistaken for a key.
    expect((await readdir(folder.dir)).length).toBe(2);
    const key = await VirtualKey.open(path);
    expect(key.info().battery).toBe(100);
    key.unplug();
  });

  it('a committed write survives a replug', async () => {
    const { path } = await oneKey();
    const key = await VirtualKey.open(path);
    await key.setBattery(33);
    key.unplug();
    const again = await VirtualKey.open(path);
    expect(again.info().battery).toBe(33);
    again.unplug();
  });

  it("a boot removes the temp file of a writer killed mid-write, never a live writer's", async () => {
    const { path, folder } = await oneKey();
    const before = await readFile(path, 'utf8');
    // A real key process killed between its temp file and the rename.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'hang-before-commit.ts'), path],
      { cwd: resolve(import.meta.dirname, '..', '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((written) => child.stdout.once('data', () => written()));
    child.kill('SIGKILL');
    await new Promise((exited) => child.once('close', exited));
    const name = basename(path);
    const left = (await readdir(folder.dir)).filter((n) => n.startsWith(`${name}.tmp-`));
    expect(left).toEqual([expect.stringMatching(new RegExp(`^${name}\\.tmp-${child.pid}-`))]);
    // A concurrent writer (this live process), and an old-style temp without a pid:
    // fresh (kept) and an hour old (removed).
    const live = `${name}.tmp-${process.pid}-aaaa`;
    const fresh = `${name}.tmp-0123456789ab`;
    const old = `${name}.tmp-ba9876543210`;
    for (const n of [live, fresh, old]) await writeFile(join(folder.dir, n), '{');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(folder.dir, old), hourAgo, hourAgo);

    const key = await VirtualKey.open(path);
    key.unplug();
    const after = (await readdir(folder.dir)).filter((n) => n.startsWith(`${name}.tmp-`));
    expect(after.sort()).toEqual([fresh, live].sort());
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});
