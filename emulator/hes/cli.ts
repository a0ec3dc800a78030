// `npm run hes -- serve --port <n> --db <file>` runs the HES stand-in in the foreground;
// `npm run hes -- <command> --url http://127.0.0.1:<n> …` drives a running one through its admin
// REST API (docs/hes-stand-in.md; the commands are in cli-commands.ts), logging in first as the
// administrator whose credentials file `serve` names (--credentials, or HES_STANDIN_CREDENTIALS).
// Usage errors exit 2, refusals and failures 1. runCli() is the in-process entry.
import { COMMANDS, required, type Call } from './cli-commands';
import { readAdminCredentials, type AdminCredentials } from './rest/admin-credentials';
import { startHesStandIn, type HesStandInServer } from './server';
import { runAsMain } from '../cli/run-as-main';
import { UsageError } from '../cli/usage-error';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** serve: resolves when the server should stop (default: SIGINT or SIGTERM). */
  readonly untilStopped?: (server: HesStandInServer) => Promise<void>;
  /** HTTP for the admin commands (default: the global fetch). */
  readonly fetch?: typeof fetch;
  /** The environment (default process.env): HES_STANDIN_CREDENTIALS. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The environment variable naming the credentials file when --credentials is not given. */
export const CREDENTIALS_ENV = 'HES_STANDIN_CREDENTIALS';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  npm run hes -- serve --port <n> --db <file> [--host 127.0.0.1] [--credentials <file>]
                       [--allowed-hosts <name,…>] [--max-connections <n>]
      run the HES stand-in in the foreground (0 = any free port; an empty or new file gets a
      fresh database); prints its URL and the administrator's credentials file (default
      <db>.credentials.json, 0600; a new password when it is missing); Ctrl+C stops it
  npm run hes -- <command> --url http://127.0.0.1:<n> [--credentials <file>] [options]
      logs in with the credentials file (default: $${CREDENTIALS_ENV}) and runs the command:
    import       --file <records.json>             import keys (output of \`npm run key -- provision\`)
    employee-add --first <name> --last <name> [--email <address>]
    reserve      --vault <serial> --employee <id>  add the vault to the employee (new activation code)
    remove       --vault <serial> --reason withdrawal|broken|…  (any VaultStatusReason name)
    suspend      --vault <serial> [--description <text>]
    activate     --vault <serial>                  a Locked vault → Suspended with a new code
    compromise   --vault <serial> --reason lost|stolen [--description <text>]
    code         --vault <serial>                  print the pending activation code
    status       --vault <serial>                  print status, reason and history as JSON
    license-add  --vault <serial> [--end <date>]   a new licence for the vault (applied at its next connection)
    licenses     --vault <serial>                  list the vault's licences as JSON
    rfid         --vault <serial> --rfid <rfid>    change the vault's RFID
    profiles                                       list the access profiles
    profile-set  --vault <serial> --profile <id>   an Active vault's access profile (a Profile task)
    company-add  --name <name>
    department-add --company <id> --name <name>
    approve      --workstation <id> [--rfid true|false] [--department <id>]   (as HES's UI: pushes WorkstationApproved)
    unapprove    --workstation <id>                (as HES's UI: pushes WorkstationUnapproved)
    workstation-edit   --workstation <id> --department <id> [--rfid true|false]
    workstation-delete --workstation <id>          (as HES's UI: pushes WorkstationUnapproved)
    proximity-add    --workstation <id> --vault <serial>   (lock 30, unlock 70, timeout 5)
    proximity-list   --workstation <id>
    proximity-delete --pair <id>
    alarm-on
    alarm-off
    events                                         the audit events, newest first
    sessions                                       the workstation sessions, newest first
`;

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

async function credentialsOf(io: CliIo, options: Map<string, string>): Promise<AdminCredentials> {
  const file = options.get('credentials') ?? (io.env ?? process.env)[CREDENTIALS_ENV];
  if (file === undefined || file === '') {
    throw new UsageError(
      `--credentials <file> is required (or ${CREDENTIALS_ENV}): the file \`serve\` names`,
    );
  }
  try {
    return await readAdminCredentials(file);
  } catch (e) {
    throw new RequestFailed(e instanceof Error ? e.message : 'cannot read the credentials');
  }
}

async function send(io: CliIo, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await (io.fetch ?? fetch)(url, init);
  } catch {
    throw new RequestFailed(`cannot reach the stand-in at ${url.origin}`);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** POST /api/Identity/Login (HES's route); the session cookie. */
async function logIn(io: CliIo, base: URL, credentials: AdminCredentials): Promise<string> {
  const response = await send(io, new URL('/api/Identity/Login', base), {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  const detail = (await response.text()).trim();
  const cookie = response.headers.get('set-cookie')?.split(';', 1)[0];
  if (!response.ok || cookie === undefined) {
    throw new RequestFailed(
      `login as ${credentials.email} refused (HTTP ${response.status})${detail ? `: ${detail}` : ''}`,
    );
  }
  return cookie;
}

async function request(io: CliIo, base: URL, cookie: string, call: Call): Promise<unknown> {
  const response = await send(io, new URL(call.path, base), {
    method: call.method,
    headers: { ...JSON_HEADERS, cookie },
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
  });
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
  const options = parseOptions(args, [
    'port',
    'db',
    'host',
    'credentials',
    'allowed-hosts',
    'max-connections',
  ]);
  const port = portOf(required(options, 'port'));
  const dbFile = required(options, 'db');
  const credentialsFile = options.get('credentials');
  const allowedHosts = options
    .get('allowed-hosts')
    ?.split(',')
    .filter((h) => h !== '');
  const maxText = options.get('max-connections');
  const maxConnections = maxText === undefined ? undefined : Number(maxText);
  if (maxConnections !== undefined && !(Number.isInteger(maxConnections) && maxConnections > 0)) {
    throw new UsageError('--max-connections must be a positive integer');
  }
  let server: HesStandInServer;
  try {
    server = await startHesStandIn({
      port,
      dbFile,
      host: options.get('host') ?? '127.0.0.1',
      ...(credentialsFile !== undefined ? { credentialsFile } : {}),
      ...(allowedHosts ? { allowedHosts } : {}),
      ...(maxConnections !== undefined ? { maxConnections } : {}),
      onError: (e) =>
        io.stderr(`hes: ${e instanceof Error ? e.name : 'error'} inside the server\n`),
    });
  } catch (e) {
    throw new RequestFailed(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
  }
  io.stdout(`HES stand-in listening on ${server.url}\n`);
  // The file, never the password: output ends up in terminals' scrollback and CI logs.
  io.stdout(
    `Administrator: ${server.admin.email}, password in ${server.admin.credentialsFile} (0600)\n` +
      `  admin commands: ${CREDENTIALS_ENV}=${server.admin.credentialsFile} npm run hes -- <command> --url ${server.url} …\n`,
  );
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
    const options = parseOptions(rest, ['url', 'credentials', ...spec.options]);
    const base = serverUrl(options);
    const call = await spec.call(options);
    const cookie = await logIn(io, base, await credentialsOf(io, options));
    const body = await request(io, base, cookie, call);
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
