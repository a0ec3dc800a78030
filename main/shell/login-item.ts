// Start at login, as a setting. Electron implements login items on macOS and
// Windows; on Linux the desktop's autostart folder is the user's business.
import { app } from 'electron';

export const startAtLoginSupported = (): boolean =>
  process.platform === 'darwin' || process.platform === 'win32';

/** Apply the setting to the OS; false where the OS offers no login items. */
export function applyStartAtLogin(enabled: boolean): boolean {
  if (!startAtLoginSupported()) return false;
  app.setLoginItemSettings({ openAtLogin: enabled });
  return true;
}
