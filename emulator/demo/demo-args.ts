// The arguments of `npm start` (emulator/demo/start.ts):
//   (none)                      the demo: HES stand-in, one virtual key reserved for "Demo User"
//   --browser                   the browser host even when Electron is present
//   --no-open                   do not open a browser (browser host only)
//   --link usb|ble              how the virtual keys reach the companion (default usb)
//   --server <url> --virtual-keys <folder>
//                               use that server and attach the keys stored in that folder;
//                               the companion's data persists in the packaged app's folder
//   --data-dir <folder>         (with --server) keep the companion's data there instead
//   --trace-ble <file>          record the Key 3 sessions' frames (never secrets) to <file>
import { CompanionError } from '../../shared/errors/companion-error';

export class DemoUsageError extends CompanionError<'DEMO_USAGE'> {
  override readonly name = 'DemoUsageError';

  constructor(message: string) {
    super('DEMO_USAGE', message);
  }
}

export interface DemoArgs {
  readonly browser: boolean;
  readonly open: boolean;
  readonly link: 'usb' | 'ble';
  /** Both set (attach mode) or both undefined (the demo set). */
  readonly server?: string;
  readonly virtualKeys?: string;
  /** With --server: the companion's data folder (default: the packaged app's, data-dir.ts). */
  readonly dataDir?: string;
  /** Where the Key 3 field trace goes (none by default). */
  readonly traceBle?: string;
}

export const DEMO_USAGE = `Usage: npm start -- [--browser] [--no-open] [--link usb|ble]
                 [--server <url> --virtual-keys <folder> [--data-dir <folder>]]
                 [--trace-ble <file>]`;

export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let browser = false;
  let open = true;
  let link: 'usb' | 'ble' = 'usb';
  let server: string | undefined;
  let virtualKeys: string | undefined;
  let traceBle: string | undefined;
  let dataDir: string | undefined;
  const value = (i: number, name: string): string => {
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--'))
      throw new DemoUsageError(`${name} needs a value`);
    return next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--browser':
        browser = true;
        break;
      case '--no-open':
        open = false;
        break;
      case '--link': {
        const given = value(i++, arg);
        if (given !== 'usb' && given !== 'ble') throw new DemoUsageError('--link is usb or ble');
        link = given;
        break;
      }
      case '--server':
        server = value(i++, arg);
        break;
      case '--virtual-keys':
        virtualKeys = value(i++, arg);
        break;
      case '--trace-ble':
        traceBle = value(i++, arg);
        break;
      case '--data-dir':
        dataDir = value(i++, arg);
        break;
      default:
        throw new DemoUsageError(`unknown argument: ${String(arg)}`);
    }
  }
  if ((server === undefined) !== (virtualKeys === undefined)) {
    throw new DemoUsageError('--server and --virtual-keys go together');
  }
  // The self-contained demo's data is its own, per run: it dies with the run.
  if (dataDir !== undefined && server === undefined) {
    throw new DemoUsageError('--data-dir goes with --server');
  }
  if (server !== undefined) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new DemoUsageError('--server is not an address');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DemoUsageError('--server must be an http or https address');
    }
  }
  return {
    browser,
    open,
    link,
    ...(server !== undefined ? { server } : {}),
    ...(virtualKeys !== undefined ? { virtualKeys } : {}),
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(traceBle !== undefined ? { traceBle } : {}),
  };
}
