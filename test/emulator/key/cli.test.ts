// `npm run key`: provision keys into a folder (the provisioning records a
// server imports) and show them without any secret.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Command } from '../../../device/protocol/messages';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../../../emulator/key/cli';
import type { ProvisioningRecord } from '../../../emulator/key/provision';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { writeFile } from 'node:fs/promises';
import { ascii, TEST_HASH_COST, TestServer, UsbHost } from './key-hosts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'key-cli-'));
  dirs.push(dir);
  return dir;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('npm run key', () => {
  it('provision creates n keys and prints their records as one JSON array', async () => {
    const dir = await tempDir();
    const { code, out } = await run(['provision', '--count', '3', '--dir', dir]);
    expect(code).toBe(EXIT_OK);
    const records = JSON.parse(out) as ProvisioningRecord[];
    expect(records).toHaveLength(3);
    for (const r of records) {
      expect(r.serialNo).toMatch(/^ST10\d{12}$/);
      expect(r.mac).toMatch(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
      expect(Buffer.from(r.secret, 'base64')).toHaveLength(32);
      expect(r.model).toBeTruthy();
      expect(r.firmwareVersion).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(new Set(records.map((r) => r.serialNo)).size).toBe(3);
    expect(new Set(records.map((r) => r.secret)).size).toBe(3);
    expect(await readdir(dir)).toHaveLength(3);
    // More keys into the same folder: still unique.
    await run(['provision', '--count', '2', '--dir', dir]);
    expect(await readdir(dir)).toHaveLength(5);
  });

  it('show prints each key without its secret, master key, code or PIN', async () => {
    const dir = await tempDir();
    const records = JSON.parse(
      (await run(['provision', '--count', '1', '--dir', dir])).out,
    ) as ProvisioningRecord[];
    const record = records[0]!;
    // Put secrets into the key: link it, activate it, set a PIN.
    const [key] = await VirtualKey.openFolder(dir, { hashCost: TEST_HASH_COST });
    const usb = new UsbHost(key!.hid);
    await usb.init();
    const server = new TestServer(record);
    await server.link(usb, '918273');
    await usb.request({ command: Command.UnlockWithCode, code: ascii('918273') });
    await server.access(usb);
    await usb.request({ command: Command.SetPin, newPin: ascii('4826') });
    const state = key!.state;
    key!.unplug();

    const { code, out } = await run(['show', '--dir', dir]);
    expect(code).toBe(EXIT_OK);
    const shown = JSON.parse(out) as Record<string, unknown>[];
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      serialNo: record.serialNo,
      linked: true,
      pinSet: true,
      lockedByCode: false,
    });
    const secrets = [
      record.secret,
      Buffer.from(server.masterKey).toString('base64'),
      Buffer.from(server.masterKey).toString('hex'),
      '918273',
      '4826',
      state.link!.masterKey.hash,
      state.link!.masterKey.salt,
      state.pin.hash!.hash,
      state.pin.hash!.salt,
    ];
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).not.toMatch(/"(secret|hash|salt|masterKey)"/);
  });

  it('show reports a corrupt key file as a typed error and exits 1', async () => {
    const dir = await tempDir();
    await run(['provision', '--count', '1', '--dir', dir]);
    await writeFile(join(dir, 'ST10000000000000.key.json'), '{');
    const { code, out } = await run(['show', '--dir', dir]);
    expect(code).toBe(EXIT_FAILURE);
    expect(out).toContain('KEY_STATE_CORRUPT');
  });

  it('provision --family key3 creates Hideez Key 3s: records without secrets, shown as key3, that speak Key 3', async () => {
    const dir = await tempDir();
    const { code, out } = await run([
      'provision',
      '--count',
      '2',
      '--dir',
      dir,
      '--family',
      'key3',
    ]);
    expect(code).toBe(EXIT_OK);
    const records = JSON.parse(out) as Record<string, unknown>[];
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r).toMatchObject({ family: 'key3', model: 'Hideez Key 3' });
      // What a server imports for a Key 3 holds no secret of the key.
      expect(Object.keys(r).sort()).toEqual(
        ['bootloaderVersion', 'family', 'firmwareVersion', 'mac', 'model', 'serialNo'].sort(),
      );
    }
    const keys = await VirtualKey.openFolder(dir, { hashCost: TEST_HASH_COST });
    try {
      expect(keys.map((k) => k.family)).toEqual(['key3', 'key3']);
      const shown = await run(['show', '--dir', dir]);
      const reports = JSON.parse(shown.out) as { family: string }[];
      expect(reports.map((r) => r.family)).toEqual(['key3', 'key3']);
      for (const key of keys) {
        const identity = key.state.provisioning.key3;
        expect(identity).toBeDefined();
        expect(shown.out).not.toContain(identity?.rootPrivateKey);
      }
    } finally {
      for (const key of keys) key.unplug();
    }
    expect((await run(['provision', '--count', '1', '--dir', dir, '--family', 'x'])).code).toBe(
      EXIT_USAGE,
    );
  });

  it('usage errors exit 2 with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage/],
      [['frobnicate'], /unknown command: frobnicate/],
      [['provision', '--dir', '/tmp/x'], /--count is required/],
      [['provision', '--count', '0', '--dir', '/tmp/x'], /--count must be an integer/],
      [['provision', '--count', 'abc', '--dir', '/tmp/x'], /--count must be an integer/],
      [['provision', '--count', '1'], /--dir is required/],
      [['provision', '--count'], /--count needs a value/],
      [['show', '--dir', '/tmp/x', '--bogus', '1'], /unknown argument: --bogus/],
      [['show', '--dir', '/a', '--dir', '/b'], /given twice/],
    ];
    for (const [argv, message] of cases) {
      const { code, err, out } = await run(argv);
      expect(code, argv.join(' ')).toBe(EXIT_USAGE);
      expect(err).toMatch(message);
      expect(out).toBe('');
    }
    expect((await run(['--help'])).code).toBe(EXIT_OK);
  });

  it('show on a missing folder fails with a typed error', async () => {
    const { code, err } = await run(['show', '--dir', join(tmpdir(), 'no-such-key-folder-x9')]);
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toContain('KEY_STATE_NOT_FOUND');
  });

  it('the real `npm run key` script provisions and shows keys in a child process', async () => {
    const dir = await tempDir();
    const npm = (args: string[]) =>
      promisify(execFile)('npm', ['run', '--silent', 'key', '--', ...args], {
        cwd: process.cwd(),
        shell: process.platform === 'win32',
      });
    const records = JSON.parse(
      (await npm(['provision', '--count', '2', '--dir', dir])).stdout,
    ) as ProvisioningRecord[];
    expect(records).toHaveLength(2);
    const shown = await npm(['show', '--dir', dir]);
    expect(JSON.parse(shown.stdout)).toHaveLength(2);
    for (const r of records) expect(shown.stdout).not.toContain(r.secret);
    const bad = await npm(['nope']).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: EXIT_USAGE });
    expect((bad as { stderr: string }).stderr).toContain('unknown command');
  });
});
