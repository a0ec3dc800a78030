// The browser host: the real renderer and the IPC contract over a WebSocket instead
// of Electron IPC, for the e2e tests and `npm start` without an Electron binary.
// Never part of a packaged build (only the dev start script imports it).
//   - listens on 127.0.0.1 only; any other address is refused at start
//   - serves the built renderer (out/renderer) with a strict CSP, GET/HEAD only
//   - every request must name this host exactly (Host: 127.0.0.1:<port>): no DNS rebinding
//   - the socket (/ipc) needs the per-run random token and Origin http://127.0.0.1:<port>
//   - the page URL carries the token in its fragment (#token=…), never sent in requests
//   - a page asked for under another name (localhost:<port>) gets a short page saying how to
//     open the companion (no token in it); requests with a body are refused (413)
//   - at most `maxConnections` sockets at once; past it a new one gets a 503 and is closed
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { IpcRouter } from '../ipc/ipc-router';
import { capConnections } from '../net/connection-cap';
import { BrowserHostError, BrowserHostErrorCode } from './browser-host-error';
import { howToOpenPage } from './how-to-open';
import { securityHeaders } from './security-headers';
import { answerFrame, badFrame, eventFrame, parseCall } from './socket-protocol';
import { contentTypeOf, resolveStatic } from './static-files';

export const LOOPBACK = '127.0.0.1';
export const SOCKET_PATH = '/ipc';
/** The largest frame a browser may send: calls are small. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;
/** Sockets at once: a page holds one socket and a few fetches; tabs and reloads add some. */
export const DEFAULT_MAX_CONNECTIONS = 64;

export interface BrowserHostOptions {
  readonly router: IpcRouter;
  /** The built renderer (out/renderer). */
  readonly root: string;
  /** Only 127.0.0.1 is accepted; the default. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** For tests only; otherwise 32 random bytes per run. */
  readonly token?: string;
  /** Sockets open at once (DEFAULT_MAX_CONNECTIONS); past it a new one gets a 503. */
  readonly maxConnections?: number;
}

export interface BrowserHost {
  /** The page to open: http://127.0.0.1:<port>/#token=<token>. */
  readonly url: string;
  /** http://127.0.0.1:<port>, the only Origin the socket accepts. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** The socket address, token included: ws://127.0.0.1:<port>/ipc?token=<token>. */
  readonly socketUrl: string;
  close(): Promise<void>;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data))).toString('utf8');
}

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };
  socket.end(
    `HTTP/1.1 ${status} ${text[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
  socket.destroy();
}

function checkOptions(options: BrowserHostOptions): void {
  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK) {
    throw new BrowserHostError(
      BrowserHostErrorCode.BindRefused,
      `The browser host listens on ${LOOPBACK} only.`,
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BrowserHostError(BrowserHostErrorCode.InvalidOption, 'The port must be 0–65535.');
  }
  const max = options.maxConnections;
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    throw new BrowserHostError(
      BrowserHostErrorCode.InvalidOption,
      'The connection cap must be a positive integer.',
    );
  }
  if (options.token !== undefined && !TOKEN_PATTERN.test(options.token)) {
    throw new BrowserHostError(
      BrowserHostErrorCode.InvalidOption,
      'The token must be 32–128 URL-safe characters.',
    );
  }
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  checkOptions(options);
  let root: string;
  try {
    root = await realpath(options.root);
    if (!(await stat(root)).isDirectory()) throw new Error('not a folder');
  } catch (cause) {
    throw new BrowserHostError(
      BrowserHostErrorCode.InvalidOption,
      'The renderer folder does not exist.',
      { cause },
    );
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const { router } = options;
  let origin = '';
  let hostHeader = '';
  let port = 0;

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const headers = securityHeaders(origin);
    const send = (status: number, extra: Record<string, string> = {}): void => {
      response.writeHead(status, { ...headers, 'Content-Length': '0', ...extra }).end();
    };
    if (request.headers.host !== hostHeader) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(403);
      // Someone typed localhost:<port> or followed an old link: say how to open the companion.
      const page = howToOpenPage(port);
      response.writeHead(403, {
        ...headers,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(page)),
      });
      response.end(request.method === 'HEAD' ? undefined : page);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(405, { Allow: 'GET, HEAD' });
    // GET and HEAD carry no body here: refuse one rather than read it.
    if (
      request.headers['transfer-encoding'] !== undefined ||
      (request.headers['content-length'] ?? '0') !== '0'
    )
      return send(413, { Connection: 'close' });
    const path = (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    const file = await resolveStatic(root, path);
    if (file === undefined) return send(404);
    const { size } = await stat(file);
    response.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(size),
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  };

  const server = createServer((request, response) => {
    if (cap.refused(request.socket)) return void request.socket.destroy();
    serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, securityHeaders(origin));
      response.end();
    });
  });
  const cap = capConnections(server, {
    max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    body: 'Too many connections to the Hideez Companion: close some of its tabs and try again.\n',
    contentType: 'text/plain; charset=utf-8',
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (cap.refused(socket)) return void socket.destroy();
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== SOCKET_PATH) return refuseUpgrade(socket, 404);
    if (request.headers.host !== hostHeader) return refuseUpgrade(socket, 403);
    if (request.headers.origin !== origin) return refuseUpgrade(socket, 403);
    if (!sameToken(url.searchParams.get('token'), token)) return refuseUpgrade(socket, 401);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      sockets.emit('connection', ws, request);
    });
  });

  sockets.on('connection', (ws: WebSocket) => {
    const sendIfOpen = (frame: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    };
    const unsubscribe = router.onEvent((event) => sendIfOpen(eventFrame(event)));
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      const call = isBinary ? undefined : parseCall(textOf(data));
      if (call === undefined) return sendIfOpen(badFrame());
      void router.handle(call.command, call.args).then((result) => {
        sendIfOpen(answerFrame(call.id, result));
      });
    });
    // The current state at once: the page draws without waiting for a change.
    const snapshot = router.snapshot();
    if (snapshot !== undefined) sendIfOpen(eventFrame({ name: 'snapshot', payload: snapshot }));
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', (cause) =>
      rejectListen(
        new BrowserHostError(
          BrowserHostErrorCode.ListenFailed,
          'The browser host could not listen.',
          {
            cause,
          },
        ),
      ),
    );
    server.listen({ host: LOOPBACK, port: options.port ?? 0 }, () => resolveListen());
  });
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
  origin = `http://${LOOPBACK}:${port}`;
  hostHeader = `${LOOPBACK}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    socketUrl: `ws://${LOOPBACK}:${port}${SOCKET_PATH}?token=${token}`,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolveClose());
      });
      return closing;
    },
  };
}
