// Which URLs are the app's own page. The window loads one page: the bundled
// index.html from disk, or (in development) the renderer's dev server. Every
// allow-decision compares parsed URLs (never string prefixes): navigation,
// IPC senders, requests and the CSP header all ask this module. No electron import.
import { pathToFileURL } from 'node:url';

/** The packaged renderer: the URL path of index.html; its folder holds the assets. */
export interface FileAppPage {
  readonly kind: 'file';
  readonly indexPath: string;
  readonly folderPath: string;
}
/** electron-vite's dev server (development only): one http origin on loopback. */
export interface DevServerAppPage {
  readonly kind: 'devServer';
  readonly url: string;
  readonly origin: string;
}
export type AppPage = FileAppPage | DevServerAppPage;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const parse = (text: string): URL | null => {
  try {
    return new URL(text);
  } catch {
    return null;
  }
};

/** The page of a packaged build: an absolute path to the renderer's index.html. */
export function fileAppPage(indexHtmlPath: string): FileAppPage {
  const index = pathToFileURL(indexHtmlPath);
  return { kind: 'file', indexPath: index.pathname, folderPath: new URL('./', index).pathname };
}

/** The dev server's page; refused unless it is http on a loopback host. */
export function devServerAppPage(url: string): DevServerAppPage {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'http:' || !LOOPBACK.has(parsed.hostname)) {
    throw new RangeError('the renderer dev server must be http on a loopback address');
  }
  return { kind: 'devServer', url: parsed.href, origin: parsed.origin };
}

/** Whether `url` is the app's page itself (query and fragment ignored). */
export function isAppPageUrl(url: string, page: AppPage): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (page.kind === 'file') {
    return isLocalFile(parsed) && parsed.pathname === page.indexPath;
  }
  return parsed.origin === page.origin;
}

/**
 * Whether the page may load `url` (its scripts, styles, images, dev-server socket).
 * Everything else (any remote http/https, other files) is cancelled: no remote content.
 */
export function isAllowedResourceUrl(url: string, page: AppPage): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  // Chromium's own pages (DevTools in development) and inline images the CSP allows.
  if (parsed.protocol === 'devtools:' || parsed.protocol === 'data:') return true;
  if (page.kind === 'file') {
    // The URL parser has already resolved "..", also when written "%2e%2e"; an
    // encoded slash or backslash could still reach another folder once decoded.
    return (
      isLocalFile(parsed) &&
      parsed.pathname.startsWith(page.folderPath) &&
      !/%2f|%5c/i.test(parsed.pathname)
    );
  }
  if (parsed.protocol === 'ws:') return `http://${parsed.host}` === page.origin;
  return parsed.origin === page.origin;
}

/** What the sender check needs to know about the frame that sent an IPC message. */
export interface SenderFrameFacts {
  /** The frame's URL, or null when the frame is gone. */
  readonly url: string | null;
  /** True for the top frame of our window's webContents (not an iframe, not another window). */
  readonly isOurMainFrame: boolean;
}

/** IPC is accepted only from our window's main frame while it shows our page. */
export function isTrustedSender(frame: SenderFrameFacts, page: AppPage): boolean {
  return frame.isOurMainFrame && frame.url !== null && isAppPageUrl(frame.url, page);
}

function isLocalFile(url: URL): boolean {
  return url.protocol === 'file:' && url.host === '';
}
