// `npm run hes`: the stand-in served in the foreground and driven by admin commands, in process
// through runCli() and once through the real npm script in child processes.
import { execFile, spawn } from 'node:child_process';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../../../../emulator/hes/cli';
import type { HesStandInServer } from '../../../../emulator/hes/server';
import { VaultStatus, VaultStatusReason } from '../../../../shared/vault/vault-status';
import { closeAll, tempDir, TestWorkstation, virtualKeys } from './stand-in-hosts';

afterEach(closeAll);

interface Captured {
  out: string;
  err: string;
}

/** The credentials file of the stand-in served last (what `serve` prints), for run(). */
let credentials: string | undefined;

const run = async (
  argv: string[],
  env: Record<string, string | undefined> = { HES_STANDIN_CREDENTIALS: credentials },
): Promise<Captured & { code: number }> => {
  const captured = { out: '', err: '' };
  const code = await runCli(argv, {
    stdout: (t) => (captured.out += t),
    stderr: (t) => (captured.err += t),
    env,
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
      credentials = server.admin.credentialsFile;
      listening(server);
      return stopped;
    },
  });
  return { server: await started, io, stop: async () => (stop(), done) };
}

/** One virtual key's records in a file, and `serve` running in process on a fresh database. */
async function servingWithKey() {
  const dir = await tempDir();
  const { records } = await virtualKeys(1);
  const file = join(dir, 'records.json');
  await writeFile(file, JSON.stringify(records));
  const serving = await serveInProcess(join(dir, 'hes.sqlite'));
  return { serial: records[0]!.serialNo, file, serving, url: serving.server.url };
}

describe('npm run hes', () => {
  it('serve keeps the administrator in a 0600 file and prints where; the commands log in with it', async () => {
    const dir = await tempDir();
    const db = join(dir, 'hes.sqlite');
    const serving = await serveInProcess(db);
    const file = `${db}.credentials.json`;
    expect(serving.server.admin.credentialsFile).toBe(file);
    expect(serving.io.out).toContain(`Administrator: admin@hideez.com, password in ${file} (0600)`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { password } = JSON.parse(await readFile(file, 'utf8')) as { password: string };
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // The password itself is never printed.
    expect(serving.io.out + serving.io.err).not.toContain(password);
    const url = serving.server.url;

    // No credentials: a usage error naming the option and the variable.
    const none = await run(['profiles', '--url', url], {});
    expect(none.code).toBe(EXIT_USAGE);
    expect(none.err).toContain('--credentials <file> is required (or HES_STANDIN_CREDENTIALS)');
    // --credentials works without the variable; the variable without --credentials.
    expect((await run(['profiles', '--url', url, '--credentials', file], {})).code).toBe(EXIT_OK);
    expect((await run(['profiles', '--url', url])).code).toBe(EXIT_OK);
    // A wrong password: HES's 401 {error: "Unauthorized"}, exit 1.
    const wrong = join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ email: 'admin@hideez.com', password: 'x' }), {
      mode: 0o600,
    });
    const refused = await run(['profiles', '--url', url, '--credentials', wrong]);
    expect(refused.code).toBe(EXIT_FAILURE);
    expect(refused.err).toContain(
      'login as admin@hideez.com refused (HTTP 401): {"error":"Unauthorized"}',
    );
    // A credentials file others may read is refused, never used.
    await chmod(wrong, 0o644);
    const exposed = await run(['profiles', '--url', url, '--credentials', wrong]);
    expect(exposed.code).toBe(EXIT_FAILURE);
    expect(exposed.err).toContain('may be read by other users');
    await serving.stop();

    // A restart on the same database keeps the password (the file is read, not replaced).
    const again = await serveInProcess(db);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ password });
    expect((await run(['profiles', '--url', again.server.url])).code).toBe(EXIT_OK);
    await again.stop();
  });

  it('serves, imports, reserves, prints the code and the status in process', async () => {
    const { serial, file, serving, url } = await servingWithKey();
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
    // HES's reply to a refused action: 500 with its exception text.
    expect(again.err).toContain('HTTP 500');
    expect(again.err).toContain('Cannot add more than one Hardware Vault.');

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

    const alarmOn = await run(['alarm-on', '--url', url]);
    expect(alarmOn.code).toBe(EXIT_OK);
    expect(JSON.parse(alarmOn.out)).toEqual({ ok: true }); // HES's LockAllWorkstations: 200, empty
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

  it('drives workstations, departments, proximity vaults, profiles, RFID and audit', async () => {
    const { serial, file, serving, url } = await servingWithKey();
    const ok = async (argv: string[]): Promise<unknown> => {
      const result = await run([...argv, '--url', url]);
      expect(result.code, `${argv.join(' ')}: ${result.err}`).toBe(EXIT_OK);
      return JSON.parse(result.out) as unknown;
    };
    await ok(['import', '--file', file]);
    const ws = await TestWorkstation.connect(serving.server, 'ws-cli');
    await ws.register();

    // approve: HES's UI path, so the workstation hears WorkstationApproved at once.
    expect(await ok(['approve', '--workstation', 'ws-cli', '--rfid', 'true'])).toMatchObject({
      approved: true,
      rfid: true,
    });
    await ws.nextPush((p) => p.target === 'WorkstationApproved');
    const company = (await ok(['company-add', '--name', 'Corp'])) as { id: string };
    const department = (await ok(['department-add', '--company', company.id, '--name', 'IT'])) as {
      id: string;
    };
    await ok(['workstation-edit', '--workstation', 'ws-cli', '--department', department.id]);
    const pair = (await ok(['proximity-add', '--workstation', 'ws-cli', '--vault', serial])) as {
      id: string;
    };
    expect(await ok(['proximity-list', '--workstation', 'ws-cli'])).toEqual([
      expect.objectContaining({ id: pair.id, lockProximity: 30 }),
    ]);
    await ok(['proximity-delete', '--pair', pair.id]);
    await ok(['rfid', '--vault', serial, '--rfid', 'RFID-CLI']);
    expect(serving.server.standIn.listVaults()[0]?.rfid).toBe('RFID-CLI');
    expect(await ok(['profiles'])).toEqual([expect.objectContaining({ id: 'default' })]);
    const notActive = await run([
      'profile-set',
      '--url',
      url,
      '--vault',
      serial,
      '--profile',
      'default',
    ]);
    expect(notActive.code).toBe(EXIT_FAILURE);
    expect(notActive.err).toContain('is not allowed to execute this operation');
    await ws.invoke('SaveClientEvents', []);
    expect(await ok(['events'])).toEqual([]);
    expect(await ok(['sessions'])).toEqual([]);
    expect((await run(['unapprove', '--url', url, '--workstation', 'ws-cli'])).code).toBe(EXIT_OK);
    await ws.nextPush((p) => p.target === 'WorkstationUnapproved');
    await ok(['workstation-delete', '--workstation', 'ws-cli']);
    expect(serving.server.standIn.listWorkstations()).toEqual([]);
    await serving.stop();
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
        ['remove', '--url', 'http://127.0.0.1:1', '--vault', 'ST1', '--reason', 'sideways'],
        '--reason must be none or',
      ],
      [
        ['approve', '--url', 'http://127.0.0.1:1', '--workstation', 'w', '--rfid', 'maybe'],
        '--rfid must be true or false',
      ],
      [
        ['proximity-add', '--url', 'http://127.0.0.1:1', '--vault', 'ST1'],
        '--workstation is required',
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
          if (found && out.includes('(0600)')) resolve(found[1]!);
        });
        child.on('exit', () => reject(new Error('serve exited early')));
      });
      // serve names the credentials file beside the database; the commands log in with it.
      expect(out).toContain(`password in ${db}.credentials.json (0600)`);
      const npm = async (args: string[]) =>
        (
          await promisify(execFile)(
            'npm',
            ['run', '--silent', 'hes', '--', ...args, '--url', url],
            {
              env: { ...process.env, HES_STANDIN_CREDENTIALS: `${db}.credentials.json` },
            },
          )
        ).stdout;
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
