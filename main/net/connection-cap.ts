// A cap on the sockets an http server holds at once. Idle sockets cost memory (2000 of them
// took the browser host from 149 to 348 MB), so past the cap a new socket gets a complete
// `503 Service Unavailable` (Connection: close) at once and is closed: the client learns why,
// and nothing it sends on that socket reaches a handler.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ConnectionCap {
  /** Sockets open now (the refused ones not counted). */
  readonly open: () => number;
  /** True for a socket refused at connect: a request or upgrade on it must not be served. */
  readonly refused: (socket: Duplex) => boolean;
}

export interface ConnectionCapOptions {
  readonly max: number;
  /** The refusal's body and its content type. */
  readonly body: string;
  readonly contentType: string;
}

export function refusalResponse(body: string, contentType: string): string {
  return [
    'HTTP/1.1 503 Service Unavailable',
    'Connection: close',
    'Retry-After: 5',
    'Cache-Control: no-store',
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** Installs the cap on `server` (before its own connection handling). */
export function capConnections(server: Server, options: ConnectionCapOptions): ConnectionCap {
  if (!Number.isInteger(options.max) || options.max < 1) {
    throw new RangeError('the connection cap must be a positive integer');
  }
  const refusal = refusalResponse(options.body, options.contentType);
  const refusedSockets = new WeakSet<Duplex>();
  let open = 0;
  server.prependListener('connection', (socket: Socket) => {
    if (open >= options.max) {
      refusedSockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.end(refusal, () => socket.destroy());
      return;
    }
    open += 1;
    socket.once('close', () => {
      open -= 1;
    });
  });
  return {
    open: () => open,
    refused: (socket) => refusedSockets.has(socket),
  };
}
