// The shell's start-up: settings, the locked-down session and window, the tray,
// and (once main's services are wired) the IPC router with notifications and
// the tray following its events. index.ts is the entry that calls it.
import { join } from 'node:path';
import { app, session, type BrowserWindow } from 'electron';
import type { IpcRouter } from '../ipc/ipc-router';
import { devServerAppPage, fileAppPage, type AppPage } from './app-page';
import { exposeRouter } from './ipc-bridge';
import { applyStartAtLogin, startAtLoginSupported } from './login-item';
import { createNotifier } from './notifications';
import { createSenderCheck } from './sender-check';
import { SETTINGS_FILE, SettingsStore } from './settings';
import { createTray, type CompanionTray } from './tray';
import { overallState } from './tray-state';
import {
  UI_PARTITION,
  createMainWindow,
  denyPermissions,
  restrictContent,
} from './window-security';

export interface Shell {
  readonly settings: SettingsStore;
  readonly page: AppPage;
  window(): BrowserWindow | null;
  /** Serve a router to the window; the tray and notifications follow its events. */
  attach(router: IpcRouter): () => void;
}

function appPage(): { page: AppPage; isProduction: boolean } {
  const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  if (devUrl) return { page: devServerAppPage(devUrl), isProduction: false };
  return {
    page: fileAppPage(join(import.meta.dirname, '../renderer/index.html')),
    isProduction: true,
  };
}

/** Call once the app is ready (and the single-instance lock is ours). */
export async function startShell(): Promise<Shell> {
  const { page, isProduction } = appPage();
  const opened = await SettingsStore.open(join(app.getPath('userData'), SETTINGS_FILE));
  if (opened.problem) console.warn('settings ignored:', opened.problem.toJSON());
  const settings = opened.store;
  applyStartAtLogin(settings.get().startAtLogin);

  denyPermissions(session.defaultSession, page);
  const uiSession = session.fromPartition(UI_PARTITION);
  denyPermissions(uiSession, page);
  restrictContent(uiSession, page, isProduction);

  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  let window: BrowserWindow | null = null;
  const getWindow = (): BrowserWindow | null => (window && !window.isDestroyed() ? window : null);
  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const show = (): void => {
    if (!getWindow()) {
      window = createMainWindow({ page, preload, session: uiSession });
      // Closing the window keeps the companion running in the tray: keys stay in sync.
      window.on('close', (event) => {
        if (!quitting) {
          event.preventDefault();
          window?.hide();
        }
      });
      return;
    }
    window?.show();
    window?.focus();
  };
  show();

  const tray: CompanionTray = createTray(
    { level: 'idle', keyCount: 0 },
    {
      show,
      quit: () => app.quit(),
      ...(startAtLoginSupported()
        ? {
            startAtLogin: {
              get: () => settings.get().startAtLogin,
              set: (on: boolean) => {
                void settings
                  .update({ startAtLogin: on })
                  .then((saved) => applyStartAtLogin(saved.startAtLogin))
                  .catch((e: unknown) => console.warn('start at login not saved:', e));
              },
            },
          }
        : {}),
    },
  );
  app.on('will-quit', () => tray.destroy());

  return {
    settings,
    page,
    window: getWindow,
    attach(router) {
      const detach = exposeRouter(router, getWindow, page, createSenderCheck(getWindow, page));
      const notify = createNotifier(show);
      const unsubscribe = router.onEvent((event) => {
        if (event.name === 'snapshot') tray.update(overallState(event.payload));
        else notify(event.payload);
      });
      return () => {
        unsubscribe();
        detach();
      };
    },
  };
}
