// `npm run key -- provision --count <n> --dir <folder> [--family open|key3]`: creates n
// virtual keys (open-protocol keys by default, or Hideez Key 3s certified by the test
// vendor key) and prints their provisioning records (one JSON array, what a server imports).
// `npm run key -- show --dir <folder>`: prints each key's state without secrets.
// Usage errors exit with 2, failures with 1. runCli() is the in-process entry.
import { isKeyStateError } from './key-state-error';
import { keyReport } from './key-report';
import { provisionKey3s } from '../key3/provision-key3';
import { MAX_PROVISION_COUNT, provisionKeys } from './provision';
import { KeyStateStore, listStateFiles } from './state-store';
import { runAsMain } from '../cli/run-as-main';
import { UsageError } from '../cli/usage-error';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now?: () => number;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  npm run key -- provision --count <n> --dir <folder> [--family open|key3]
                                                        create n virtual keys (1..${MAX_PROVISION_COUNT}): open-protocol keys (default)
                                                        or Hideez Key 3s; prints their provisioning records as JSON
  npm run key -- show --dir <folder>                    print each virtual key's state (no secrets) as JSON
`;

function parseOptions(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i] ?? '';
    const value = args[i + 1];
    if (!name.startsWith('--') || !allowed.includes(name.slice(2))) {
      throw new UsageError(`unknown argument: ${name}`);
    }
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(`${name} needs a value`);
    if (options.has(name.slice(2))) throw new UsageError(`${name} given twice`);
    options.set(name.slice(2), value);
  }
  return options;
}

function required(options: Map<string, string>, name: string): string {
  const value = options.get(name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const now = io.now ?? Date.now;
  try {
    switch (command) {
      case 'provision': {
        const options = parseOptions(rest, ['count', 'dir', 'family']);
        const family = options.get('family') ?? 'open';
        if (family !== 'open' && family !== 'key3')
          throw new UsageError('--family is open or key3');
        const countText = required(options, 'count');
        const count = /^\d+$/.test(countText) ? Number(countText) : NaN;
        if (!Number.isInteger(count) || count < 1 || count > MAX_PROVISION_COUNT) {
          throw new UsageError(`--count must be an integer 1..${MAX_PROVISION_COUNT}`);
        }
        const dir = required(options, 'dir');
        const records =
          family === 'key3'
            ? await provisionKey3s(dir, count, { now: now() })
            : await provisionKeys(dir, count, now());
        io.stdout(json(records));
        return EXIT_OK;
      }
      case 'show': {
        const options = parseOptions(rest, ['dir']);
        const paths = await listStateFiles(required(options, 'dir'));
        let failed = false;
        const reports: unknown[] = [];
        for (const path of paths) {
          try {
            reports.push(keyReport(await new KeyStateStore(path).load(), now()));
          } catch (e) {
            if (!isKeyStateError(e)) throw e;
            failed = true;
            reports.push({ file: path, error: e.toJSON() });
          }
        }
        io.stdout(json(reports));
        return failed ? EXIT_FAILURE : EXIT_OK;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        (command === undefined ? io.stderr : io.stdout)(USAGE);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`key: ${e.message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (isKeyStateError(e)) {
      io.stderr(`key: ${e.message}\n${json(e.toJSON())}`);
      return EXIT_FAILURE;
    }
    throw e;
  }
}

runAsMain(import.meta.url, 'key', runCli);
