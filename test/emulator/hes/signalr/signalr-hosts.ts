// Test scaffolding: a SignalRServer on 127.0.0.1 (ephemeral port), the REAL
// @microsoft/signalr client against it, and a raw `ws` client for frames the real
// client never sends. Everything made here is closed by closeAll().

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HttpTransportType,
  HubConnectionBuilder,
  LogLevel,
  type HubConnection as ClientConnection,
} from '@microsoft/signalr';
import { WebSocket } from 'ws';
import { SignalRServer } from '../../../../emulator/hes/signalr';
import type { SignalRServerOptions } from '../../../../emulator/hes/signalr';

export interface Host {
  readonly base: string;
  readonly signalr: SignalRServer;
  readonly http: Server;
}

const closers: (() => Promise<void>)[] = [];

/** Closes clients first, then servers (in reverse order of creation). */
export async function closeAll(): Promise<void> {
  while (closers.length > 0) await closers.pop()?.();
}

export async function startHost(options: SignalRServerOptions): Promise<Host> {
  const signalr = new SignalRServer(options);
  const http = createServer((req, res) => {
    if (!signalr.handleRequest(req, res)) res.writeHead(404).end();
  });
  signalr.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  closers.push(async () => {
    await signalr.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return { base: `http://127.0.0.1:${port}`, signalr, http };
}

export interface ClientOptions {
  readonly headers?: Record<string, string>;
  /** WebSockets unless said (as the companion connects). */
  readonly transport?: HttpTransportType;
  readonly serverTimeoutMs?: number;
  readonly keepAliveMs?: number;
}

export interface Client {
  readonly connection: ClientConnection;
  /** Resolves with the error (or undefined) the client's onclose reported. */
  readonly closed: Promise<Error | undefined>;
}

/** Builds (does not start) a real client for `<base><hub>`, WebSockets unless said otherwise. */
export function buildClient(host: Host, hub: string, options: ClientOptions = {}): Client {
  const connection = new HubConnectionBuilder()
    .withUrl(`${host.base}${hub}`, {
      transport: options.transport ?? HttpTransportType.WebSockets,
      headers: options.headers ?? {},
    })
    .configureLogging(LogLevel.None)
    .build();
  if (options.serverTimeoutMs !== undefined) {
    connection.serverTimeoutInMilliseconds = options.serverTimeoutMs;
  }
  if (options.keepAliveMs !== undefined) {
    connection.keepAliveIntervalInMilliseconds = options.keepAliveMs;
  }
  const closed = new Promise<Error | undefined>((resolve) => connection.onclose(resolve));
  closers.push(() => connection.stop());
  return { connection, closed };
}

export async function connectClient(
  host: Host,
  hub: string,
  options: ClientOptions = {},
): Promise<Client> {
  const client = buildClient(host, hub, options);
  await client.connection.start();
  return client;
}

export const RS = '\u001e';

export interface RawClient {
  readonly socket: WebSocket;
  /** The next text frame received. */
  next(): Promise<string>;
  /** Text frames received so far and not yet taken by next(). */
  readonly pending: string[];
  /** Resolves with the close code once the socket closed. */
  readonly closed: Promise<number>;
  send(data: string | Uint8Array): void;
}

export async function negotiate(
  host: Host,
  hub: string,
): Promise<{ connectionId: string; connectionToken: string }> {
  const res = await fetch(`${host.base}${hub}/negotiate?negotiateVersion=1`, { method: 'POST' });
  return (await res.json()) as { connectionId: string; connectionToken: string };
}

/** Opens a raw WebSocket on `<hub>?id=<token>`; rejects with the HTTP status if refused. */
export async function rawSocket(host: Host, hub: string, token: string): Promise<RawClient> {
  const socket = new WebSocket(`${host.base.replace(/^http/, 'ws')}${hub}?id=${token}`);
  const pending: string[] = [];
  const waiters: ((text: string) => void)[] = [];
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else pending.push(text);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  closers.push(async () => {
    socket.terminate();
    await closed;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    socket.once('error', reject);
  });
  return {
    socket,
    pending,
    closed,
    next: () => {
      const text = pending.shift();
      return text !== undefined ? Promise.resolve(text) : new Promise((r) => waiters.push(r));
    },
    send: (data) => socket.send(data),
  };
}

/** A raw client past negotiate and the JSON handshake. */
export async function rawConnected(host: Host, hub: string): Promise<RawClient> {
  const { connectionToken } = await negotiate(host, hub);
  const raw = await rawSocket(host, hub, connectionToken);
  raw.send(`{"protocol":"json","version":1}${RS}`);
  const response = await raw.next();
  if (response !== `{}${RS}`) throw new Error(`handshake failed: ${response}`);
  return raw;
}

/** Parses the records of one frame. */
export const records = (frame: string): unknown[] =>
  frame
    .split(RS)
    .filter((r) => r !== '')
    .map((r) => JSON.parse(r) as unknown);

/** Next frame that is not a ping. */
export async function nextNonPing(raw: RawClient): Promise<string> {
  for (;;) {
    const frame = await raw.next();
    if (frame !== `{"type":6}${RS}`) return frame;
  }
}

export const deferred = <T>(): { promise: Promise<T>; resolve: (value: T) => void } => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};
