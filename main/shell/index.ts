// The Electron shell's entry: the only main-process code that imports `electron`
// (with the other modules of main/shell). It takes the single-instance lock, then
// starts the hardened shell. Main's services are attached to it with
// shell.attach(createIpcRouter(service)) once they are wired here.
import { app, type BrowserWindow } from 'electron';
import { claimSingleInstance } from './single-instance';
import { startShell, type Shell } from './shell';
import { guardWebContents } from './window-security';

let shell: Shell | null = null;
const currentWindow = (): BrowserWindow | null => shell?.window() ?? null;

if (!claimSingleInstance(currentWindow)) {
  app.quit();
} else {
  // Whatever webContents appears (window, frame, devtools), it cannot navigate or open windows.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  void app.whenReady().then(async () => {
    shell = await startShell();
  });
  app.on('activate', () => currentWindow()?.show());
}
