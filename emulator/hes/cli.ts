// `npm run hes -- serve --port <n> --db <file>` runs the HES stand-in in the foreground;
// `npm run hes -- <command> --url http://127.0.0.1:<n> …` drives a running one through its admin
// REST API (docs/hes-stand-in.md). Usage errors exit 2, refusals and failures 1. runCli() is the
// in-process entry.
import { readFile } from 'node:fs/promises';
import { startHesStandIn, type HesStandInServer } from './server';
import { runAsMain } from '../cli/run-as-main';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** serve: resolves when the server should stop (default: SIGINT or SIGTERM). */
  readonly untilStopped?: (server: HesStandInServer) => Promise<void>;
  /** HTTP for the admin commands (default: the global fetch). */
  readonly fetch?: typeof fetch;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  npm run hes -- serve --port <n> --db <file> [--host 127.0.0.1]
      run the HES stand-in in the foreground (0 = any free port; an empty or new file gets a
      fresh database); prints its URL; Ctrl+C stops it
  npm run hes -- <command> --url http://127.0.0.1:<n> [options]
    import       --file <records.json>             import keys (output of \`npm run key -- provision\`)
    employee-add --first <name> --last <name> [--email <address>]
    reserve      --vault <serial> --employee <id>  add the vault to the employee (new activation code)
    remove       --vault <serial> --reason withdrawal|broken
    suspend      --vault <serial> [--description <text>]
    activate     --vault <serial>                  a Locked vault → Suspended with a new code
    compromise   --vault <serial> --reason lost|stolen [--description <text>]
    code         --vault <serial>                  print the pending activation code
    license-add  --vault <serial> [--end <date>]   a new licence for the vault (applied at its next connection)
    licenses     --vault <serial>                  list the vault's licences as JSON
    approve      --workstation <id>
    unapprove    --workstation <id>
    alarm-on
    alarm-off
    status       --vault <serial>                  print status, reason and history as JSON
`;

class UsageError extends Error {}
class RequestFailed extends Error {}

function parseOptions(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const arg = args[i] ?? '';
    const name = arg.slice(2);
    const value = args[i + 1];
    if (!arg.startsWith('--') || !allowed.includes(name)) {
      throw new UsageError(`unknown argument: ${arg}`);
    }
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    if (options.has(name)) throw new UsageError(`${arg} given twice`);
    options.set(name, value);
  }
  return options;
}

function required(options: Map<string, string>, name: string): string {
  const value = options.get(name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function oneOf(options: Map<string, string>, name: string, values: readonly string[]): string {
  const value = required(options, name).toLowerCase();
  if (!values.includes(value)) throw new UsageError(`--${name} must be ${values.join(' or ')}`);
  return value;
}

function serverUrl(options: Map<string, string>): URL {
  const text = required(options, 'url');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url is not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('--url must be http:// or https://');
  }
  return url;
}

function portOf(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError('--port must be an integer 0..65535');
  }
  return port;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const vaultPath = (serial: string, action: string): string =>
  `/api/standin/HardwareVaults/${encodeURIComponent(serial)}/${action}`;

interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

/** The admin commands: which options they take and the REST call they make. */
const COMMANDS: Readonly<
  Record<string, { options: readonly string[]; call: (o: Map<string, string>) => Promise<Call> }>
> = {
  import: {
    options: ['file'],
    call: async (o) => {
      const file = required(o, 'file');
      let records: unknown;
      try {
        records = JSON.parse(await readFile(file, 'utf8')) as unknown;
      } catch (e) {
        const reason = e instanceof SyntaxError ? 'is not JSON' : 'cannot be read';
        throw new UsageError(`--file ${file} ${reason}`);
      }
      return { method: 'POST', path: '/api/standin/HardwareVaults/Import', body: records };
    },
  },
  'employee-add': {
    options: ['first', 'last', 'email'],
    call: (o) => {
      const email = o.get('email');
      return Promise.resolve({
        method: 'POST',
        path: '/api/Employees',
        body: {
          firstName: required(o, 'first'),
          lastName: required(o, 'last'),
          ...(email !== undefined ? { email } : {}),
        },
      });
    },
  },
  reserve: {
    options: ['vault', 'employee'],
    call: (o) =>
      Promise.resolve({
        method: 'POST',
        path: '/api/Employees/AddHardwareVault',
        body: { employeeId: required(o, 'employee'), hardwareVaultId: required(o, 'vault') },
      }),
  },
  remove: {
    options: ['vault', 'reason'],
    call: (o) =>
      Promise.resolve({
        method: 'DELETE',
        path: '/api/Employees/RemoveHardwareVault',
        body: {
          hardwareVaultId: required(o, 'vault'),
          reason: oneOf(o, 'reason', ['withdrawal', 'broken']),
          isNeedBackup: false,
        },
      }),
  },
  suspend: {
    options: ['vault', 'description'],
    call: (o) => {
      const description = o.get('description');
      return Promise.resolve({
        method: 'POST',
        path: vaultPath(required(o, 'vault'), 'Suspend'),
        body: description !== undefined ? { description } : {},
      });
    },
  },
  activate: {
    options: ['vault'],
    call: (o) =>
      Promise.resolve({ method: 'POST', path: vaultPath(required(o, 'vault'), 'Activate') }),
  },
  compromise: {
    options: ['vault', 'reason', 'description'],
    call: (o) => {
      const description = o.get('description');
      return Promise.resolve({
        method: 'POST',
        path: vaultPath(required(o, 'vault'), 'Compromise'),
        body: {
          reason: oneOf(o, 'reason', ['lost', 'stolen']),
          ...(description !== undefined ? { description } : {}),
        },
      });
    },
  },
  'license-add': {
    options: ['vault', 'end'],
    call: (o) => {
      const end = o.get('end');
      return Promise.resolve({
        method: 'POST',
        path: vaultPath(required(o, 'vault'), 'Licenses'),
        body: end !== undefined ? { endDate: end } : {},
      });
    },
  },
  licenses: {
    options: ['vault'],
    call: (o) =>
      Promise.resolve({ method: 'GET', path: vaultPath(required(o, 'vault'), 'Licenses') }),
  },
  code: {
    options: ['vault'],
    call: (o) =>
      Promise.resolve({ method: 'GET', path: vaultPath(required(o, 'vault'), 'ActivationCode') }),
  },
  approve: {
    options: ['workstation'],
    call: (o) =>
      Promise.resolve({
        method: 'PUT',
        path: `/api/Workstations/ApproveWorkstation/${encodeURIComponent(required(o, 'workstation'))}`,
      }),
  },
  unapprove: {
    options: ['workstation'],
    call: (o) =>
      Promise.resolve({
        method: 'PUT',
        path: `/api/Workstations/UnapproveWorkstation/${encodeURIComponent(required(o, 'workstation'))}`,
      }),
  },
  'alarm-on': {
    options: [],
    call: () => Promise.resolve({ method: 'POST', path: '/api/standin/Alarm/On' }),
  },
  'alarm-off': {
    options: [],
    call: () => Promise.resolve({ method: 'POST', path: '/api/standin/Alarm/Off' }),
  },
  status: {
    options: ['vault'],
    call: (o) =>
      Promise.resolve({ method: 'GET', path: vaultPath(required(o, 'vault'), 'Status') }),
  },
};

async function request(io: CliIo, base: URL, call: Call): Promise<unknown> {
  const doFetch = io.fetch ?? fetch;
  const url = new URL(call.path, base);
  let response: Response;
  try {
    response = await doFetch(url, {
      method: call.method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    });
  } catch {
    throw new RequestFailed(`cannot reach the stand-in at ${base.origin}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    throw new RequestFailed(`the server answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    const detail = body === undefined ? '' : `\n${json(body)}`;
    throw new RequestFailed(`the server refused (HTTP ${response.status})${detail}`);
  }
  return body;
}

// The handlers stay installed: a second signal (npm and the launcher forward theirs too) must
// not kill the process while it is closing cleanly.
const waitForSignal = (): Promise<void> =>
  new Promise((resolve) => {
    const stop = (): void => resolve();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

async function serve(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseOptions(args, ['port', 'db', 'host']);
  const port = portOf(required(options, 'port'));
  const dbFile = required(options, 'db');
  let server: HesStandInServer;
  try {
    server = await startHesStandIn({
      port,
      dbFile,
      host: options.get('host') ?? '127.0.0.1',
      onError: (e) =>
        io.stderr(`hes: ${e instanceof Error ? e.name : 'error'} inside the server\n`),
    });
  } catch (e) {
    throw new RequestFailed(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
  }
  io.stdout(`HES stand-in listening on ${server.url}\n`);
  try {
    await (io.untilStopped ?? waitForSignal)(server);
  } finally {
    await server.close();
  }
  io.stdout('HES stand-in stopped\n');
  return EXIT_OK;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      (command === undefined ? io.stderr : io.stdout)(USAGE);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === 'serve') return await serve(rest, io);
    const spec = COMMANDS[command];
    if (!spec) throw new UsageError(`unknown command: ${command}`);
    const options = parseOptions(rest, ['url', ...spec.options]);
    const base = serverUrl(options);
    const body = await request(io, base, await spec.call(options));
    if (command === 'code' && typeof body === 'object' && body !== null) {
      const code = (body as Record<string, unknown>)['activationCode'];
      if (typeof code === 'string') {
        io.stdout(`${code}\n`);
        return EXIT_OK;
      }
    }
    io.stdout(body === undefined ? json({ ok: true }) : json(body));
    return EXIT_OK;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`hes: ${e.message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (e instanceof RequestFailed) {
      io.stderr(`hes: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    throw e;
  }
}

runAsMain(import.meta.url, 'hes', runCli);
