// The socket transport's test rig: a `ws` server standing in for the companion (to drop
// sockets, send garbage and go away), the real browser host over its router, and the page
// side, a transport on quick retries. Everything started here is closed after each test,
// last first. Every wait is on an event (a frame, a state change), never on time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../main/browser-host/browser-host';
import { createIpcRouter } from '../../main/ipc/ipc-router';
import { createCompanionApi, type CompanionApi } from '../../shared/ipc/bridge';
import {
  createSocketTransport,
  type BridgeState,
  type SocketFactory,
  type SocketLike,
  type SocketTransport,
} from '../../renderer/bridge/socket-transport';
import { peerService } from '../main/ipc/peer-service';

const FAST = { initialMs: 5, maxMs: 40 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

/** Runs `clean` after the test (before what was started earlier). */
export function afterTest(clean: () => Promise<void> | void): void {
  cleanups.push(clean);
}

export interface Frame {
  readonly id: number;
  readonly command: string;
  readonly args: unknown[];
}

export interface Peer {
  readonly server: WebSocketServer;
  readonly url: string;
  /** Resolves with the next socket that connects. */
  nextSocket(): Promise<WebSocket>;
  /** Resolves with the request path of the next socket that connects. */
  nextPath(): Promise<string>;
  /** Resolves with the next frame any socket sends (parsed). */
  nextFrame(): Promise<Frame>;
  /** The companion goes away: its sockets dropped, the server closed. */
  stop(): Promise<void>;
}

export async function startPeer(port = 0): Promise<Peer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : 0;
  const socketWaiters: ((ws: WebSocket) => void)[] = [];
  const pathWaiters: ((path: string) => void)[] = [];
  const frameWaiters: ((frame: Frame) => void)[] = [];
  server.on('connection', (ws, request) => {
    pathWaiters.shift()?.(request.url ?? '');
    ws.on('message', (data: Buffer) => {
      frameWaiters.shift()?.(JSON.parse(data.toString()) as never);
    });
    socketWaiters.shift()?.(ws);
  });
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    });
  afterTest(stop);
  return {
    server,
    url: `ws://127.0.0.1:${actualPort}/ipc?token=t`,
    nextSocket: () => new Promise((resolve) => socketWaiters.push(resolve)),
    nextPath: () => new Promise((resolve) => pathWaiters.push(resolve)),
    nextFrame: () => new Promise((resolve) => frameWaiters.push(resolve)),
    stop,
  };
}

/** The page's transport to `url`, retrying quickly; closed after the test. */
export function open(
  url: string,
  options: Parameters<typeof createSocketTransport>[1] = {},
): SocketTransport {
  const transport = createSocketTransport(url, { backoff: FAST, ...options });
  afterTest(() => transport.close());
  return transport;
}

/** Resolves when the transport reaches `state` (at once if it is there). */
export function reach(transport: SocketTransport, state: BridgeState): Promise<void> {
  if (transport.state() === state) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = transport.onState((next) => {
      if (next === state) {
        stop();
        resolve();
      }
    });
  });
}

export interface Connected {
  readonly peer: Peer;
  readonly transport: SocketTransport;
  readonly api: CompanionApi;
  /** The peer's end of the transport's socket. */
  readonly socket: WebSocket;
  /** Every state the transport went through, from the start. */
  readonly states: BridgeState[];
}

/** A peer, and the page's transport (and API) connected to it, open. */
export async function connected(
  options: Parameters<typeof createSocketTransport>[1] = {},
): Promise<Connected> {
  const peer = await startPeer();
  const states: BridgeState[] = [];
  const transport = open(peer.url, options);
  transport.onState((s) => states.push(s));
  const api = createCompanionApi(transport);
  const socket = await peer.nextSocket();
  await reach(transport, 'open');
  return { peer, transport, api, socket, states };
}

/** The peer answers call `id` with `result`. */
export function answer(socket: WebSocket, id: number | undefined, result: unknown): void {
  socket.send(JSON.stringify({ id, result }));
}

/** The peer pushes an event. */
export function push(socket: WebSocket, event: string, payload: unknown): void {
  socket.send(JSON.stringify({ event, payload }));
}

export interface MadeSockets<S> {
  readonly createSocket: SocketFactory;
  /** Every socket made, in order. */
  readonly made: readonly S[];
  /** Resolves once `count` sockets have been made. */
  until(count: number): Promise<void>;
}

/** A socket factory for the transport that keeps every socket `make` makes. */
export function madeSockets<S extends object>(make: (url: string) => S): MadeSockets<S> {
  const made: S[] = [];
  const waiters = new Set<() => void>();
  return {
    createSocket: (url) => {
      const socket = make(url);
      made.push(socket);
      for (const wake of [...waiters]) wake();
      return socket as unknown as SocketLike;
    },
    made,
    until: (count) =>
      new Promise((resolve) => {
        if (made.length >= count) return resolve();
        const wake = (): void => {
          if (made.length < count) return;
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      }),
  };
}

export interface HostWorld {
  /** The companion service behind the router: it records the calls. */
  readonly service: ReturnType<typeof peerService>;
  /** A real browser host over the router, serving a page (on `port`, else any). */
  start(port?: number): Promise<BrowserHost>;
}

/** A router to a test service, and a temp folder with a page for browser hosts to serve. */
export async function hostWorld(): Promise<HostWorld> {
  const service = peerService(() => ({ ok: true, value: null }));
  const router = createIpcRouter(service.service);
  const root = await mkdtemp(join(tmpdir(), 'renderer-host-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
  const hosts: BrowserHost[] = [];
  afterTest(async () => {
    for (const host of hosts) await host.close();
    router.dispose();
    await rm(root, { recursive: true, force: true });
  });
  return {
    service,
    start: async (port) => {
      const host = await startBrowserHost({ router, root, ...(port ? { port } : {}) });
      hosts.push(host);
      return host;
    },
  };
}
