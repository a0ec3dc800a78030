// The Electron shell's entry: the only main-process code that imports `electron`
// (with the other modules of main/shell). It takes the single-instance lock, starts
// the hardened shell, then main's services (main/app) with the stored server address,
// and attaches their IPC router. USB's fallback poll runs only while the window shows.
// Development only (never in a packaged build): HIDEEZ_SERVER_URL overrides the stored
// server address (the demo's `npm start` passes its HES stand-in this way).
// `--trace-ble FILE` (any build) records the Hideez Key 3 sessions' frames and control
// packets, never keys, codes or PINs, for a bug report (docs/key3.md).
import { app, type BrowserWindow } from 'electron';
import { openKey3TraceFile, type Key3TraceFile } from '../../device/key3/trace/trace-file';
import { defaultDiscoveries, startCompanionApp, type CompanionApp } from '../app/companion-app';
import { traceFileArgument } from '../app/trace-argument';
import { claimSingleInstance } from './single-instance';
import { startShell, type Shell } from './shell';
import { guardWebContents } from './window-security';

let shell: Shell | null = null;
let companion: CompanionApp | null = null;
let trace: Key3TraceFile | null = null;
const currentWindow = (): BrowserWindow | null => shell?.window() ?? null;

function serverUrlFor(started: Shell): string | undefined {
  const override = app.isPackaged ? undefined : process.env['HIDEEZ_SERVER_URL'];
  return override || (started.settings.get().serverUrl ?? undefined);
}

/** USB's fallback poll follows the window: on while it shows, off when hidden or gone. */
function followWindow(window: BrowserWindow | null, setPolling: (on: boolean) => void): void {
  if (!window) return setPolling(false);
  const visible = (): void => setPolling(window.isVisible() && !window.isMinimized());
  window.on('show', visible);
  window.on('restore', visible);
  window.on('hide', () => setPolling(false));
  window.on('minimize', () => setPolling(false));
  window.on('closed', () => setPolling(false));
  visible();
}

async function startServices(started: Shell): Promise<void> {
  const tracePath = traceFileArgument(process.argv);
  trace = tracePath === undefined ? null : openKey3TraceFile(tracePath);
  const discoveries = defaultDiscoveries(trace ? { key3: { trace } } : {});
  companion = await startCompanionApp({
    dataDir: app.getPath('userData'),
    serverUrl: serverUrlFor(started),
    discoveries: discoveries.all,
    appVersion: app.getVersion(),
    onLog: (line) => {
      const text = `companion ${line.code}: ${line.message}`;
      if (line.level === 'warn') console.warn(text);
      else process.stdout.write(`${text}\n`);
    },
  });
  const { router } = companion;
  started.attach(router);
  // The address the user sets in the app is kept for the next start.
  router.onEvent((event) => {
    if (event.name !== 'snapshot') return;
    const url = event.payload.server.url ?? null;
    if (url === started.settings.get().serverUrl) return;
    started.settings
      .update({ serverUrl: url })
      .catch((e: unknown) => console.warn('server address not saved:', e));
  });
  followWindow(started.window(), (on) => discoveries.hid.setFallbackPolling(on));
}

if (!claimSingleInstance(currentWindow)) {
  app.quit();
} else {
  // Whatever webContents appears (window, frame, devtools), it cannot navigate or open windows.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  void app.whenReady().then(async () => {
    shell = await startShell();
    await startServices(shell);
  });
  app.on('activate', () => currentWindow()?.show());
  // SIGTERM/SIGINT (a logout, `kill`, Ctrl+C in a terminal) quit as the tray's Quit does, so
  // will-quit below stops the services and tells the server goodbye before the process ends.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => app.quit());
  // Stop the services (keys reported Offline, audit flushed, links and files closed) first.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !companion) return;
    event.preventDefault();
    const running = companion;
    companion = null;
    void running
      .stop()
      .then(() => trace?.close())
      .catch((e: unknown) => console.warn('companion stop failed:', e))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
}
