// The built renderer as static files: a request path maps to a regular file inside
// the root or to nothing. Decoding errors, NUL bytes, backslashes, dot segments and
// anything whose real path (after symlinks) leaves the root answer "not found".
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeOf = (file: string): string =>
  CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/** The relative segments of a URL path, or undefined when it is not a plain path. */
export function safeSegments(urlPath: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return undefined;
  }
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..' || /^[a-zA-Z]:$/.test(s))) return undefined;
  if (segments.at(-1) === '') segments[segments.length - 1] = 'index.html';
  if (segments.slice(0, -1).some((s) => s === '')) return undefined;
  return segments;
}

/** The file a request path names inside root (an absolute, real path), or undefined. */
export async function resolveStatic(root: string, urlPath: string): Promise<string | undefined> {
  const segments = safeSegments(urlPath);
  if (segments === undefined) return undefined;
  const candidate = resolve(root, ...segments);
  if (!candidate.startsWith(root + sep)) return undefined;
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(root + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
