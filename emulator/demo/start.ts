// `npm start`: the companion with no configuration. Starts the HES stand-in (its own
// SQLite file), two virtual keys — an open-protocol key (USB) and a Hideez Key 3
// (Bluetooth) — reserved for demo employees, and the companion's services (main/app)
// over the virtual keys; approves the workstation as an administrator would;
// then opens the UI: Electron when its binary is installed (and not --browser), else
// the browser host. Prints `URL: <page with token>` once the page can be loaded (browser
// host; the same address across runs on a kept data folder: --server mode), and
// `Activation code for <serial>: <code>` per demo key (what the admin would send the
// employee). The demo's own world lives in a per-run temp folder (demo-world.ts); with
// --server the companion's data persists (data-dir.ts). Runs until SIGINT/SIGTERM, then stops everything and exits 0.
// Arguments: see demo-args.ts. Never part of a packaged build.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { KeyDiscovery } from '../../device/key/key-connection';
import { openKey3TraceFile } from '../../device/key3/trace/trace-file';
import { startCompanionApp, type CompanionApp } from '../../main/app/companion-app';
import { startKeptBrowserHost } from '../../main/browser-host/kept-address';
import { loadWorkstationId } from '../../main/hes/workstation-id';
import type { ServerConnection } from '../../shared/view/server-state';
import { VirtualKey } from '../key/virtual-key';
import { ensureDataDir, userDataDir } from './data-dir';
import { DEMO_USAGE, DemoUsageError, parseDemoArgs, type DemoArgs } from './demo-args';
import { startDemoWorld, type DemoWorld } from './demo-world';
import { virtualDiscoveries } from './virtual-links';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const APP_VERSION = '0.1.0-demo';

const out = (line: string): void => void process.stdout.write(line + '\n');
const note = (line: string): void => void process.stderr.write(line + '\n');

/** Runs `electron-vite build` through the launcher (Electron's Node), output on stderr. */
function build(): Promise<void> {
  return new Promise((resolveBuild, rejectBuild) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'build/tools/with-electron-node.mjs'), 'electron-vite', 'build'],
      { cwd: ROOT, stdio: ['ignore', 2, 2] },
    );
    child.on('error', rejectBuild);
    child.on('exit', (code) =>
      code === 0 ? resolveBuild() : rejectBuild(new Error(`electron-vite build exited ${code}`)),
    );
  });
}

/** The installed Electron binary, without require('electron') (which would download one). */
function electronBinary(): string | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const binary = join(dir, 'dist', relative);
    return relative !== '' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener: the printed URL is enough.
  }
}

function untilServer(app: CompanionApp, state: ServerConnection['state']): Promise<void> {
  return new Promise((resolveState) => {
    if (app.hes.state.state === state) return resolveState();
    const off = app.hes.onState((s) => {
      if (s.state !== state) return;
      off();
      resolveState();
    });
  });
}

/**
 * Resolves on the first SIGINT or SIGTERM. The handlers stay: under Ctrl+C the demo
 * gets SIGINT twice (from the terminal and relayed by tsx), and the second must not
 * kill it halfway through stopping.
 */
const interrupted = new Promise<NodeJS.Signals>((resolveSignal) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => resolveSignal(signal));
  }
});

interface Running {
  readonly cleanups: (() => Promise<void>)[];
}

/** The browser host at the data folder's kept address: a page left open reconnects after a restart. */
async function runBrowser(
  args: DemoArgs,
  app: CompanionApp,
  dataDir: string,
  running: Running,
): Promise<void> {
  if (!existsSync(join(RENDERER, 'index.html'))) {
    note('Building the renderer (out/renderer is missing)…');
    await build();
  }
  const host = await startKeptBrowserHost({ router: app.router, root: RENDERER, dataDir });
  running.cleanups.push(() => host.close());
  if (host.portChanged) note('The previous address is taken by another program: open the new URL.');
  out(`URL: ${host.url}`);
  if (args.open) openBrowser(host.url);
}

/** Electron on the built app, its userData the demo's data dir, the server by env. */
async function runElectron(
  binary: string,
  serverUrl: string,
  dataDir: string,
  running: Running,
): Promise<ChildProcess> {
  if (
    !existsSync(join(ROOT, 'out', 'main', 'index.js')) ||
    !existsSync(join(RENDERER, 'index.html'))
  ) {
    note('Building the app (out/ is missing)…');
    await build();
  }
  const child = spawn(binary, [ROOT, `--user-data-dir=${dataDir}`], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, HIDEEZ_SERVER_URL: serverUrl },
  });
  running.cleanups.push(
    () =>
      new Promise<void>((resolveExit) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveExit();
        child.once('exit', () => resolveExit());
        child.kill('SIGTERM');
      }),
  );
  return child;
}

/** Electron mode: the app registers from its own process; approve it once it does. */
async function approveWhenRegistered(
  world: DemoWorld,
  id: string,
  stop: Promise<unknown>,
): Promise<void> {
  let done = false;
  void stop.then(() => (done = true));
  while (!done) {
    if (world.server.standIn.listWorkstations().some((w) => w.id === id)) {
      world.server.standIn.approveWorkstation(id);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function run(args: DemoArgs, running: Running): Promise<void> {
  const electron = args.browser ? undefined : electronBinary();
  let world: DemoWorld | undefined;
  let serverUrl: string;
  let keys: readonly VirtualKey[];
  let dataDir: string;
  if (args.server !== undefined && args.virtualKeys !== undefined) {
    serverUrl = args.server;
    keys = await VirtualKey.openFolder(resolve(args.virtualKeys));
    if (keys.length === 0) note(`No virtual keys in ${args.virtualKeys}.`);
    running.cleanups.push(() => {
      for (const key of keys) key.unplug();
      return Promise.resolve();
    });
    // Kept across runs, as the packaged app's: the same workstation id (approved once)
    // and the audit events still queued.
    dataDir = await ensureDataDir(resolve(args.dataDir ?? userDataDir()));
    note(`Companion data: ${dataDir}`);
  } else {
    world = await startDemoWorld();
    const w = world;
    running.cleanups.push(() => w.close());
    // Where the stand-in's admin API and its administrator's password are (never the password).
    note(
      `HES stand-in: ${w.server.url} (admin API: ${w.server.admin.email}, password in ` +
        `${w.server.admin.credentialsFile}, 0600; npm run hes -- <command> --url ${w.server.url} ` +
        `--credentials ${w.server.admin.credentialsFile})`,
    );
    serverUrl = world.server.url;
    keys = world.keys;
    dataDir = join(world.dir, 'app');
    await mkdir(dataDir, { recursive: true });
  }

  if (electron !== undefined) {
    note(
      'Electron found: the virtual keys stay in this process; Electron uses the real transports.',
    );
    const child = await runElectron(electron, serverUrl, dataDir, running);
    if (world !== undefined) {
      const { id } = await loadWorkstationId(dataDir);
      for (const { serialNo, code } of world.codes) out(`Activation code for ${serialNo}: ${code}`);
      void approveWhenRegistered(world, id, interrupted);
    }
    await Promise.race([interrupted, new Promise((r) => child.once('exit', r))]);
    return;
  }

  const trace = args.traceBle === undefined ? undefined : openKey3TraceFile(resolve(args.traceBle));
  if (trace) running.cleanups.push(() => trace.close());
  const discoveries: KeyDiscovery[] = virtualDiscoveries(keys, args.link, trace ? { trace } : {});
  const app = await startCompanionApp({
    dataDir,
    serverUrl,
    discoveries,
    appVersion: APP_VERSION,
    onLog: (line) => {
      if (line.level === 'warn') note(`warning ${line.code}: ${line.message}`);
    },
  });
  running.cleanups.push(() => app.stop());
  if (world !== undefined) {
    await untilServer(app, 'notApproved');
    world.server.standIn.approveWorkstation(app.workstationId);
    await untilServer(app, 'connected');
  }
  await runBrowser(args, app, dataDir, running);
  for (const { serialNo, code } of world?.codes ?? [])
    out(`Activation code for ${serialNo}: ${code}`);
  await interrupted;
}

async function main(): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof DemoUsageError)) throw e;
    note(`${e.message}\n${DEMO_USAGE}`);
    return 2;
  }
  // On stderr (stdout holds only the URL and code lines): the process to signal.
  note(`Demo process ${process.pid}: Ctrl+C (SIGINT) or SIGTERM stops it.`);
  const running: Running = { cleanups: [] };
  let code = 0;
  try {
    await Promise.race([run(args, running), interrupted]);
  } catch (e) {
    const { name, message } = e instanceof Error ? e : { name: 'Error', message: String(e) };
    note(`The demo failed: ${name}: ${message}`);
    code = 1;
  }
  for (const cleanup of running.cleanups.reverse()) {
    await cleanup().catch((e: unknown) => note(`cleanup failed: ${String(e)}`));
  }
  return code;
}

void main().then((code) => process.exit(code));
