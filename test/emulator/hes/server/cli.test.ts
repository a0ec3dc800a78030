// `npm run hes`: the stand-in served in the foreground and driven by admin commands, in process
// through runCli() and once through the real npm script in child processes.
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../../../../emulator/hes/cli';
import type { HesStandInServer } from '../../../../emulator/hes/server';
import { VaultStatus, VaultStatusReason } from '../../../../shared/vault/vault-status';
import { closeAll, tempDir, virtualKeys } from './stand-in-hosts';

afterEach(closeAll);

interface Captured {
  out: string;
  err: string;
}

const run = async (argv: string[]): Promise<Captured & { code: number }> => {
  const captured = { out: '', err: '' };
  const code = await runCli(argv, {
    stdout: (t) => (captured.out += t),
    stderr: (t) => (captured.err += t),
  });
  return { ...captured, code };
};

/** `serve` in process: resolves with the server once it listens; stop() ends the command. */
async function serveInProcess(dbFile: string) {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let listening!: (server: HesStandInServer) => void;
  const started = new Promise<HesStandInServer>((resolve) => (listening = resolve));
  const io = { out: '', err: '' };
  const done = runCli(['serve', '--port', '0', '--db', dbFile], {
    stdout: (t) => (io.out += t),
    stderr: (t) => (io.err += t),
    untilStopped: (server) => {
      listening(server);
      return stopped;
    },
  });
  return { server: await started, io, stop: async () => (stop(), done) };
}

describe('npm run hes', () => {
  it('serves, imports, reserves, prints the code and the status in process', async () => {
    const dir = await tempDir();
    const { records } = await virtualKeys(1);
    const serial = records[0]!.serialNo;
    const file = join(dir, 'records.json');
    await writeFile(file, JSON.stringify(records));
    const serving = await serveInProcess(join(dir, 'hes.sqlite'));
    const url = serving.server.url;
    expect(serving.io.out).toContain(`listening on ${url}`);

    const imported = await run(['import', '--url', url, '--file', file]);
    expect(imported.code).toBe(EXIT_OK);
    expect(JSON.parse(imported.out)).toEqual({ imported: [serial], skipped: [] });

    const added = await run([
      'employee-add',
      '--url',
      url,
      '--first',
      'Alice',
      '--last',
      'Smith',
      '--email',
      'a@corp.example',
    ]);
    expect(added.code).toBe(EXIT_OK);
    const employeeId = (JSON.parse(added.out) as { id: string }).id;

    expect(
      (await run(['reserve', '--url', url, '--vault', serial, '--employee', employeeId])).code,
    ).toBe(EXIT_OK);
    const code = await run(['code', '--url', url, '--vault', serial]);
    expect(code.code).toBe(EXIT_OK);
    expect(code.out).toMatch(/^\d{6}\n$/);

    const licence = await run([
      'license-add',
      '--url',
      url,
      '--vault',
      serial,
      '--end',
      '2099-12-31T00:00:00.000Z',
    ]);
    expect(licence.code).toBe(EXIT_OK);
    const licenceId = (JSON.parse(licence.out) as { id: string }).id;
    const licences = await run(['licenses', '--url', url, '--vault', serial]);
    expect(JSON.parse(licences.out)).toEqual([
      { id: licenceId, vaultId: serial, endDate: '2099-12-31T00:00:00.000Z', appliedAt: null },
    ]);
    expect(serving.server.standIn.licenses(serial)).toHaveLength(1);
    const badEnd = await run(['license-add', '--url', url, '--vault', serial, '--end', 'soon']);
    expect(badEnd.code).toBe(EXIT_FAILURE);

    const again = await run(['reserve', '--url', url, '--vault', serial, '--employee', employeeId]);
    expect(again.code).toBe(EXIT_FAILURE);
    expect(again.err).toContain('HTTP 409');
    expect(again.err).toContain('OneHardwareVaultConstraint');

    const compromised = await run([
      'compromise',
      '--url',
      url,
      '--vault',
      serial,
      '--reason',
      'lost',
      '--description',
      'gone',
    ]);
    expect(compromised.code).toBe(EXIT_OK);
    const status = await run(['status', '--url', url, '--vault', serial]);
    expect(JSON.parse(status.out)).toMatchObject({
      status: VaultStatus.Compromised,
      statusReason: VaultStatusReason.Lost,
      statusDescription: 'gone',
    });

    expect((await run(['alarm-on', '--url', url])).code).toBe(EXIT_OK);
    expect(serving.server.standIn.alarm).toBe(true);
    expect((await run(['alarm-off', '--url', url])).code).toBe(EXIT_OK);
    expect(serving.server.standIn.alarm).toBe(false);
    expect((await run(['approve', '--url', url, '--workstation', 'nobody'])).code).toBe(
      EXIT_FAILURE,
    );

    await serving.stop();
    expect(serving.io.out).toContain('stopped');
    // The server is closed: a command now cannot reach it.
    const late = await run(['status', '--url', url, '--vault', serial]);
    expect(late.code).toBe(EXIT_FAILURE);
    expect(late.err).toContain('cannot reach');
  });

  it('exits 2 with a clear message on usage errors', async () => {
    const cases: [string[], string][] = [
      [[], 'Usage'],
      [['frobnicate'], 'unknown command: frobnicate'],
      [['reserve', '--url', 'http://127.0.0.1:1', '--vault', 'ST1'], '--employee is required'],
      [['code', '--vault', 'ST1'], '--url is required'],
      [['code', '--url', 'ftp://x', '--vault', 'ST1'], '--url must be http'],
      [['code', '--url', 'http://127.0.0.1:1', '--vault'], '--vault needs a value'],
      [
        ['remove', '--url', 'http://127.0.0.1:1', '--vault', 'ST1', '--reason', 'lost'],
        '--reason must be withdrawal or broken',
      ],
      [
        ['compromise', '--url', 'http://127.0.0.1:1', '--vault', 'ST1', '--reason', 'broken'],
        '--reason must be lost or stolen',
      ],
      [
        ['import', '--url', 'http://127.0.0.1:1', '--file', '/nonexistent/records.json'],
        'cannot be read',
      ],
      [['serve', '--port', 'eighty', '--db', 'x.sqlite'], '--port must be an integer'],
      [['serve', '--port', '0'], '--db is required'],
      [['status', '--url', 'http://127.0.0.1:1', '--vault', 'a', '--vault', 'b'], 'given twice'],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(EXIT_USAGE);
      expect(result.err).toContain(message);
    }
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT_OK);
    expect(help.out).toContain('npm run hes -- serve');
  });

  it('runs through the real npm script: serve in one child process, commands in others', async () => {
    const dir = await tempDir();
    const { records } = await virtualKeys(1);
    const serial = records[0]!.serialNo;
    const file = join(dir, 'records.json');
    await writeFile(file, JSON.stringify(records));
    const db = join(dir, 'hes.sqlite');
    await writeFile(db, ''); // an empty file gets a fresh database

    // Its own process group, so that Ctrl+C reaches every process of the chain (npm, the
    // launcher, tsx, node) as it does in a terminal.
    const child = spawn(
      'npm',
      ['run', '--silent', 'hes', '--', 'serve', '--port', '0', '--db', db],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // 'close': every process holding the output pipe has ended.
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        child.on('exit', () => reject(new Error('serve exited early')));
      });
      const npm = async (args: string[]) =>
        (await promisify(execFile)('npm', ['run', '--silent', 'hes', '--', ...args, '--url', url]))
          .stdout;
      expect(JSON.parse(await npm(['import', '--file', file]))).toEqual({
        imported: [serial],
        skipped: [],
      });
      const employeeId = (
        JSON.parse(await npm(['employee-add', '--first', 'Ann', '--last', 'Lee'])) as { id: string }
      ).id;
      await npm(['reserve', '--vault', serial, '--employee', employeeId]);
      expect(await npm(['code', '--vault', serial])).toMatch(/^\d{6}\n$/);
      expect(JSON.parse(await npm(['status', '--vault', serial]))).toMatchObject({
        status: VaultStatus.Reserved,
        history: [{ from: VaultStatus.Ready, to: VaultStatus.Reserved }],
      });
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    }
    await closed;
    expect(out).toContain('HES stand-in stopped');
  }, 120_000);
});
