// A server for the ASP.NET Core SignalR JSON hub protocol over WebSockets, enough
// for the unmodified @microsoft/signalr client to connect as it does to HES:
// negotiate over HTTP, then the upgrade on `<hub>?id=<connectionToken>`.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { HubCaller, HubDefinition, SignalRServerOptions } from './hub-definition';
import { HubConnection, type HubConnectionTimings } from './hub-connection';
import { methodTable, type MethodTable } from './hub-methods';
import { HubRoutes } from './hub-routes';
import { Negotiations, negotiateVersion } from './negotiate';

const DEFAULTS = {
  keepAliveMs: 15_000,
  clientTimeoutMs: 30_000,
  handshakeTimeoutMs: 15_000,
  maxMessageBytes: 32_768,
} as const;

/** How long a negotiated token waits for its upgrade. */
const NEGOTIATION_LIFETIME_MS = 30_000;
/** How long close() waits for a client to answer the WebSocket close before dropping it. */
const CLOSE_GRACE_MS = 1_000;

interface Hub {
  readonly definition: HubDefinition;
  readonly methods: MethodTable;
}

/** Header values as strings; repeated headers joined as HTTP folds them. */
function headerRecord(req: IncomingMessage): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return Object.freeze(headers);
}

function refuseUpgrade(socket: Duplex, status: 404 | 400, reason: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export class SignalRServer {
  private readonly hubs = new Map<string, Hub>();
  private readonly routes: HubRoutes;
  private readonly timings: HubConnectionTimings;
  private readonly negotiations = new Negotiations(NEGOTIATION_LIFETIME_MS);
  private readonly sockets: WebSocketServer;
  /** Every live connection, from upgrade on (including those still in the handshake). */
  private readonly live = new Set<HubConnection>();
  /** Connections past the handshake, in order of arrival. */
  private readonly open = new Set<HubConnection>();
  private readonly attached = new Map<
    Server,
    (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  >();
  private closing = false;

  constructor(options: SignalRServerOptions) {
    for (const [path, definition] of Object.entries(options.hubs)) {
      this.hubs.set(path, { definition, methods: methodTable(path, definition) });
    }
    this.routes = new HubRoutes([...this.hubs.keys()]);
    this.timings = {
      keepAliveMs: options.keepAliveMs ?? DEFAULTS.keepAliveMs,
      clientTimeoutMs: options.clientTimeoutMs ?? DEFAULTS.clientTimeoutMs,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
    };
    // Frames larger than one message still reach the record check, which answers
    // with a Close message; only absurd frames are cut off by ws itself.
    this.sockets = new WebSocketServer({
      noServer: true,
      maxPayload: Math.max(1 << 20, this.timings.maxMessageBytes * 4),
      perMessageDeflate: false,
    });
  }

  /** Serves `POST <hub>/negotiate?negotiateVersion=1`; returns false if the request is not for a hub. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const route = this.routes.match(req.url);
    if (route === undefined) return false;
    req.resume();
    if (this.closing) {
      res.writeHead(503).end();
    } else if (route.negotiate) {
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
      } else {
        const body = this.negotiations.create(route.hub, negotiateVersion(route.query));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      }
    } else if (!this.negotiations.has(route.hub, route.query.get('id'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('No Connection with that ID');
    } else {
      // Long polling and server-sent events are not offered in the negotiate response.
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Only WebSockets are supported.');
    }
    return true;
  }

  /** Handles WebSocket upgrades on `<hub>?id=<connectionToken>` for the given http.Server. */
  attach(server: Server): void {
    if (this.attached.has(server)) return;
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      const route = this.routes.match(req.url);
      if (route === undefined || route.negotiate) {
        // Leave other paths to other upgrade handlers, if there are any.
        if (server.listenerCount('upgrade') <= 1) refuseUpgrade(socket, 404, 'Not Found');
        return;
      }
      const connectionId = this.closing
        ? undefined
        : this.negotiations.take(route.hub, route.query.get('id'));
      const hub = this.hubs.get(route.hub);
      if (connectionId === undefined || hub === undefined) {
        refuseUpgrade(socket, 404, 'Not Found');
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => {
        const connection = new HubConnection({
          socket: ws,
          connectionId,
          hub: route.hub,
          definition: hub.definition,
          methods: hub.methods,
          headers: headerRecord(req),
          timings: this.timings,
          opened: (c) => this.open.add(c),
          closed: (c) => this.open.delete(c),
        });
        this.live.add(connection);
        void connection.done.then(() => this.live.delete(connection));
      });
    };
    this.attached.set(server, listener);
    server.on('upgrade', listener);
  }

  /** Connections past the handshake, all or those of one hub (by its configured path). */
  connections(hub?: string): readonly HubCaller[] {
    return [...this.open].filter((c) => hub === undefined || c.hub === hub);
  }

  /** Closes every connection (Close message, then the WebSocket close) and stops all timers. */
  async close(): Promise<void> {
    this.closing = true;
    for (const [server, listener] of this.attached) server.off('upgrade', listener);
    this.attached.clear();
    this.negotiations.clear();
    const connections = [...this.live];
    for (const connection of connections) connection.close();
    const grace = setTimeout(() => {
      for (const connection of connections) connection.abort();
    }, CLOSE_GRACE_MS);
    await Promise.all(connections.map((c) => c.done));
    clearTimeout(grace);
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
  }
}
