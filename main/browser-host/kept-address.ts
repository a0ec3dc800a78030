// The browser host at a stable address per data folder: the port and token of the last
// run are kept in <dataDir>/browser-host.json (0600), so a page opened before the
// companion restarted finds it again at the same address and reconnects. A port now
// taken by another program falls back to a free one (the token stays); a missing or
// damaged file starts a new address. The token guards a loopback socket of this user's
// own companion; it is kept beside that user's other companion data, never logged.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { isBrowserHostError, BrowserHostErrorCode } from './browser-host-error';
import {
  startBrowserHost,
  TOKEN_PATTERN,
  type BrowserHost,
  type BrowserHostOptions,
} from './browser-host';

export const HOST_ADDRESS_FILE = 'browser-host.json';

interface KeptAddress {
  readonly port: number;
  readonly token: string;
}

export interface KeptBrowserHostOptions extends Omit<BrowserHostOptions, 'port' | 'token'> {
  /** The companion's data folder (the same one as the workstation id and the audit queue). */
  readonly dataDir: string;
}

export interface KeptBrowserHost extends BrowserHost {
  /** The kept port was taken: the host listens on a new one (the page must be reopened). */
  readonly portChanged: boolean;
}

async function readKept(file: string): Promise<KeptAddress | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    const { port, token } = (value ?? {}) as { port?: unknown; token?: unknown };
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return;
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return;
    return { port, token };
  } catch {
    return undefined;
  }
}

async function writeKept(file: string, address: KeptAddress): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify({ version: 1, ...address })}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

export async function startKeptBrowserHost(
  options: KeptBrowserHostOptions,
): Promise<KeptBrowserHost> {
  const { dataDir, ...hostOptions } = options;
  const file = join(dataDir, HOST_ADDRESS_FILE);
  const kept = await readKept(file);
  const token = kept?.token ?? randomBytes(32).toString('base64url');
  let host: BrowserHost;
  let portChanged = false;
  try {
    host = await startBrowserHost({ ...hostOptions, token, port: kept?.port ?? 0 });
  } catch (e) {
    if (kept === undefined || !isBrowserHostError(e, BrowserHostErrorCode.ListenFailed)) throw e;
    host = await startBrowserHost({ ...hostOptions, token, port: 0 });
    portChanged = true;
  }
  if (kept?.port !== host.port || kept.token !== token) {
    try {
      await writeKept(file, { port: host.port, token });
    } catch (e) {
      await host.close();
      throw e;
    }
  }
  return Object.assign(host, { portChanged });
}
