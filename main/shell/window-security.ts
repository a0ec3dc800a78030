// The window and its session, locked down as Electron's security checklist asks
// (anchors.md §4): isolated, sandboxed, no Node, web security on; our page only,
// with a CSP header; no navigation, no new windows, no <webview>; every browser
// permission and device request denied. The decisions themselves live in the pure
// modules (app-page, content-security-policy, permission-policy) and are tested there.
import { BrowserWindow, type Session, type WebContents } from 'electron';
import { isAllowedResourceUrl, isAppPageUrl, type AppPage } from './app-page';
import { withContentSecurityPolicy } from './content-security-policy';
import { isPermissionAllowed } from './permission-policy';

/** The window's own in-memory session: nothing else in the app shares its handlers. */
export const UI_PARTITION = 'companion-ui';

/** Deny every permission and device the page did not need (all of them, today). */
export function denyPermissions(session: Session, page: AppPage): void {
  const ours = (url: string): boolean => isAppPageUrl(url, page);
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, ours));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, ours),
  );
  session.setDevicePermissionHandler(() => false);
  // WebHID/WebUSB/Web Bluetooth/serial pickers: choose nothing (main opens the key itself).
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}

/** Serve our page only: cancel any other request, and add the CSP header to ours. */
export function restrictContent(session: Session, page: AppPage, isProduction: boolean): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedResourceUrl(details.url, page) });
  });
  // The dev server injects inline scripts (React refresh): there the page's own meta
  // CSP applies; the packaged build gets the strict header as well.
  if (!isProduction) return;
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAllowedResourceUrl(details.url, page)) {
      callback({ cancel: true });
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

/** Every webContents the app makes (the window, any frame): no navigation, no popups. */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface MainWindowOptions {
  readonly page: AppPage;
  /** Absolute path of the bundled preload (CommonJS: a sandboxed preload must be). */
  readonly preload: string;
  readonly session: Session;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 960,
    height: 680,
    show: false,
    title: 'Hideez Companion',
    webPreferences: {
      preload: options.preload,
      session: options.session,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise try to open a new window (denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  guardWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  if (options.page.kind === 'devServer') void window.loadURL(options.page.url);
  else void window.loadURL(new URL(`file://${options.page.indexPath}`).href);
  return window;
}
