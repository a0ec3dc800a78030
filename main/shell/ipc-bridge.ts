// Electron's side of the IPC contract: one ipcMain handler per command of the
// table (fixed channels, see ipc-channels.ts), each behind the sender check, each
// passing the raw arguments to main/ipc's router, which validates them. Events go
// to our window only while it shows our page.
import { ipcMain, type BrowserWindow } from 'electron';
import { COMMAND_NAMES, IpcErrorCode, failure } from '../../shared/ipc/contract';
import type { IpcRouter } from '../ipc/ipc-router';
import { isAppPageUrl, type AppPage } from './app-page';
import { commandChannel, eventChannel } from './ipc-channels';
import type { SenderCheck } from './sender-check';

/** Serve `router` to the window; returns a function that removes every handler. */
export function exposeRouter(
  router: IpcRouter,
  getWindow: () => BrowserWindow | null,
  page: AppPage,
  isTrusted: SenderCheck,
): () => void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), (event, ...args: unknown[]) =>
      isTrusted(event) ? router.handle(name, args) : failure(IpcErrorCode.BadRequest),
    );
  }
  const unsubscribe = router.onEvent((event) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return;
    const contents = window.webContents;
    if (!isAppPageUrl(contents.getURL(), page)) return;
    contents.send(eventChannel(event.name), event.payload);
  });
  return () => {
    unsubscribe();
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name));
  };
}
