// One companion per user session: two would fight over the keys and the server
// connection. A second start focuses the first one's window and exits.
import { app, type BrowserWindow } from 'electron';

/** False when another instance holds the lock: the caller quits. */
export function claimSingleInstance(getWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  return true;
}
