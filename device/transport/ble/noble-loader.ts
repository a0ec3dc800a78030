// Loads @abandonware/noble lazily, so a machine without Bluetooth still starts.
// Importing noble opens a raw HCI socket at once (its index.js builds the
// bindings); with no Bluetooth support the import throws (EAFNOSUPPORT) and
// that is availability 'unavailable', never a crash.
//
// Linux preflight: when the kernel has no Bluetooth stack (no
// /sys/class/bluetooth), @abandonware/bluetooth-hci-socket's failed
// constructor leaves an uninitialised libuv handle that its destructor closes
// at process exit, aborting the process (uv_close assertion). So we do not
// import noble there at all: there is no adapter to use anyway.
import { access } from 'node:fs/promises';
import type { LinkAvailability } from '../transport';
import { unavailable } from './adapter-state';
import { isNobleLike, type NobleLike } from './noble-like';

export type NobleLoad =
  | { readonly ok: true; readonly noble: NobleLike }
  | { readonly ok: false; readonly availability: LinkAvailability };

export interface NobleLoaderOptions {
  /** How to import noble (default: `import('@abandonware/noble')`). */
  readonly importNoble?: () => Promise<unknown>;
  /**
   * Resolves with a reason not to load noble, or undefined to go ahead.
   * Default: the Linux check above; null skips it (tests of the real import).
   */
  readonly preflight?: (() => Promise<string | undefined>) | null;
}

export const LINUX_BLUETOOTH_CLASS = '/sys/class/bluetooth';

export async function linuxBluetoothPreflight(
  platform: NodeJS.Platform = process.platform,
  classDir: string = LINUX_BLUETOOTH_CLASS,
): Promise<string | undefined> {
  if (platform !== 'linux') return undefined;
  try {
    await access(classDir);
    return undefined;
  } catch {
    return 'No Bluetooth adapter: this system has no Bluetooth support loaded';
  }
}

const importRealNoble = (): Promise<unknown> => import('@abandonware/noble');

export async function loadNoble(options: NobleLoaderOptions = {}): Promise<NobleLoad> {
  const preflight = options.preflight === undefined ? linuxBluetoothPreflight : options.preflight;
  const reason = preflight ? await preflight() : undefined;
  if (reason !== undefined) return { ok: false, availability: unavailable(reason) };
  let loaded: unknown;
  try {
    loaded = await (options.importNoble ?? importRealNoble)();
  } catch (error) {
    return { ok: false, availability: unavailable(loadFailureDetail(error)) };
  }
  // noble is CommonJS: the instance is the default export of the ESM wrapper.
  const noble = isNobleLike(loaded) ? loaded : (loaded as { default?: unknown } | null)?.default;
  if (!isNobleLike(noble)) {
    return {
      ok: false,
      availability: unavailable('The Bluetooth library has an unexpected shape'),
    };
  }
  return { ok: true, noble };
}

/** A short reason by error code; the message may carry paths, so it is left out. */
export function loadFailureDetail(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  switch (code) {
    case 'EAFNOSUPPORT':
      return 'Bluetooth is not supported on this system (EAFNOSUPPORT)';
    case 'ERR_DLOPEN_FAILED':
      return 'The Bluetooth library could not be loaded (ERR_DLOPEN_FAILED)';
    case 'MODULE_NOT_FOUND':
    case 'ERR_MODULE_NOT_FOUND':
      return 'The Bluetooth library is not installed';
    case 'EPERM':
    case 'EACCES':
      return `No permission to use Bluetooth (${code})`;
    default:
      return code ? `Bluetooth could not be started (${code})` : 'Bluetooth could not be started';
  }
}
