// A server for the ASP.NET Core 5 SignalR JSON hub protocol, enough for the unmodified
// @microsoft/signalr client to connect as it does to HES: negotiate over HTTP (offering
// WebSockets, Server-Sent Events and long polling, as `AddSignalR()` does), then the
// WebSocket upgrade on `<hub>?id=<connectionToken>` (or without a token: skipNegotiation),
// or the HTTP transports on the same path (http-transports.ts).

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { HubCaller, HubDefinition, SignalRServerOptions } from './hub-definition';
import { HubConnection, type HubConnectionTimings } from './hub-connection';
import { methodTable, type MethodTable } from './hub-methods';
import { HubRoutes } from './hub-routes';
import { serveHubRequest, type TransportHost } from './http-transports';
import type { LongPollingTimings } from './long-polling';
import { Negotiations, negotiateVersion, newConnectionId } from './negotiate';
import { WebSocketTransport, type HubTransport } from './transport';

const DEFAULTS = {
  keepAliveMs: 15_000,
  clientTimeoutMs: 30_000,
  handshakeTimeoutMs: 15_000,
  maxMessageBytes: 32_768,
  pollTimeoutMs: 90_000,
  disconnectTimeoutMs: 15_000,
} as const;

/** How long a negotiated token waits for its upgrade. */
const NEGOTIATION_LIFETIME_MS = 30_000;
/** How long close() waits for a client to answer the WebSocket close before dropping it. */
const CLOSE_GRACE_MS = 1_000;

interface Hub {
  readonly definition: HubDefinition;
  readonly methods: MethodTable;
}

/** Header values as strings; a repeated header's values joined with ',' (StringValues.ToString). */
function headerRecord(req: IncomingMessage): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values === undefined) continue;
    headers[name.toLowerCase()] = values.join(',');
  }
  return Object.freeze(headers);
}

function refuseUpgrade(socket: Duplex, status: 400 | 404 | 409, reason: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

interface Running {
  readonly hub: string;
  readonly transport: HubTransport;
}

export class SignalRServer {
  private readonly hubs = new Map<string, Hub>();
  private readonly routes: HubRoutes;
  private readonly timings: HubConnectionTimings;
  private readonly detailedErrors: boolean;
  private readonly negotiations = new Negotiations(NEGOTIATION_LIFETIME_MS);
  /** Connections by the token they were started with, while they run. */
  private readonly runningByToken = new Map<string, Running>();
  private readonly sockets: WebSocketServer;
  /** What the HTTP transports use of the server. */
  private readonly transportHost: TransportHost;
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
    this.detailedErrors = options.detailedErrors ?? false;
    // Frames larger than one message still reach the record check, which answers
    // with a Close message; only absurd frames are cut off by ws itself.
    const maxBodyBytes = Math.max(1 << 20, this.timings.maxMessageBytes * 4);
    this.sockets = new WebSocketServer({
      noServer: true,
      maxPayload: maxBodyBytes,
      perMessageDeflate: false,
    });
    const longPolling: LongPollingTimings = {
      pollTimeoutMs: options.pollTimeoutMs ?? DEFAULTS.pollTimeoutMs,
      disconnectTimeoutMs: options.disconnectTimeoutMs ?? DEFAULTS.disconnectTimeoutMs,
    };
    this.transportHost = {
      take: (hub, token) => this.negotiations.take(hub, token),
      running: (hub, token) => this.running(hub, token),
      start: (hub, token, connectionId, transport, req) =>
        this.start(hub, token, connectionId, transport, req),
      maxBodyBytes,
      longPolling,
    };
  }

  /**
   * Serves `POST <hub>/negotiate?negotiateVersion=1` and the HTTP transports on `<hub>?id=…`;
   * returns false if the request is not for a hub.
   */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const route = this.routes.match(req.url);
    if (route === undefined) return false;
    if (this.closing) {
      req.resume();
      res.writeHead(503).end();
    } else if (route.negotiate) {
      req.resume();
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
      } else {
        const body = this.negotiations.create(route.hub, negotiateVersion(route.query));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      }
    } else {
      serveHubRequest(this.transportHost, route.hub, route.query, req, res).catch(() =>
        res.destroy(),
      );
    }
    return true;
  }

  /** The running connection of `hub` started with `token`. */
  private running(hub: string, token: string): HubTransport | undefined {
    const running = this.runningByToken.get(token);
    return running?.hub === hub ? running.transport : undefined;
  }

  /** Starts a hub connection over its transport, known under `token` while it runs. */
  private start(
    hub: string,
    token: string,
    connectionId: string,
    transport: HubTransport,
    req: IncomingMessage,
  ): void {
    const definition = this.hubs.get(hub);
    if (definition === undefined) return;
    this.runningByToken.set(token, { hub, transport });
    const connection = new HubConnection({
      transport,
      connectionId,
      hub,
      definition: definition.definition,
      methods: definition.methods,
      headers: headerRecord(req),
      timings: this.timings,
      detailedErrors: this.detailedErrors,
      opened: (c) => this.open.add(c),
      closed: (c) => this.open.delete(c),
    });
    this.live.add(connection);
    void connection.done.then(() => {
      this.live.delete(connection);
      if (this.runningByToken.get(token)?.transport === transport)
        this.runningByToken.delete(token);
    });
  }

  /** Handles WebSocket upgrades on `<hub>?id=<connectionToken>` for the given http.Server. */
  attach(server: Server): void {
    if (this.attached.has(server)) return;
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      // A socket already ended (refused by a connection cap) is never upgraded.
      if (!socket.writable) return void socket.destroy();
      const route = this.routes.match(req.url);
      if (route === undefined || route.negotiate) {
        // Leave other paths to other upgrade handlers, if there are any.
        if (server.listenerCount('upgrade') <= 1) refuseUpgrade(socket, 404, 'Not Found');
        return;
      }
      // Without a token (the client's skipNegotiation) ASP.NET makes a new connection.
      const given = route.query.get('id');
      const token = given === null || given === '' ? newConnectionId() : given;
      const running = this.running(route.hub, token);
      if (running) {
        // A token in use: the same transport again is a conflict, another one a bad request.
        if (running.kind === 'WebSockets') refuseUpgrade(socket, 409, 'Conflict');
        else refuseUpgrade(socket, 400, 'Bad Request');
        return;
      }
      const connectionId = this.closing
        ? undefined
        : given === null || given === ''
          ? token
          : this.negotiations.take(route.hub, token);
      if (connectionId === undefined) {
        refuseUpgrade(socket, 404, 'Not Found');
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => {
        this.start(route.hub, token, connectionId, new WebSocketTransport(ws), req);
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
