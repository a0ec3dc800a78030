// Every ipcMain handler accepts a message only from our window's main frame while
// it shows our page (anchors.md §4: validate the sender of all IPC messages). An
// iframe, another window, or our window after a navigation elsewhere is refused.
import type { BrowserWindow, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { isTrustedSender, type AppPage } from './app-page';

export type SenderCheck = (event: IpcMainEvent | IpcMainInvokeEvent) => boolean;

export function createSenderCheck(
  getWindow: () => BrowserWindow | null,
  page: AppPage,
): SenderCheck {
  return (event) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return false;
    const frame = event.senderFrame;
    return isTrustedSender(
      {
        url: frame?.url ?? null,
        isOurMainFrame:
          event.sender === window.webContents && frame !== null && frame.parent === null,
      },
      page,
    );
  };
}
