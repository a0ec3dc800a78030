// Plain HTTP on a hub path, as ASP.NET Core 5's HttpConnectionDispatcher answers it: GET starts
// or polls a long-polling connection, or starts a Server-Sent Events one (Accept:
// text/event-stream); POST carries the client's frames for either; DELETE ends a long-polling
// connection. WebSocket upgrades are handled by the server itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LongPollingTransport, type LongPollingTimings } from './long-polling';
import { ServerSentEventsTransport } from './server-sent-events';
import type { HubTransport, TransportKind } from './transport';

/** What the dispatcher needs of the server. */
export interface TransportHost {
  /** Uses up a negotiated token of `hub`: its connection id, if issued and not used. */
  take(hub: string, token: string): string | undefined;
  /** The running connection of `hub` with this token. */
  running(hub: string, token: string): HubTransport | undefined;
  /** Starts a hub connection over a new transport, known under `token` while it runs. */
  start(
    hub: string,
    token: string,
    connectionId: string,
    transport: HubTransport,
    req: IncomingMessage,
  ): void;
  readonly maxBodyBytes: number;
  readonly longPolling: LongPollingTimings;
}

const text = (res: ServerResponse, status: number, body = ''): void => {
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
};

const NO_ID = 'Connection ID required';
const UNKNOWN_ID = 'No Connection with that ID';

const wantsEventStream = (req: IncomingMessage): boolean =>
  (req.headers.accept ?? '')
    .split(',')
    .some((type) => type.split(';')[0]?.trim().toLowerCase() === 'text/event-stream');

/** The body, or undefined when it passes the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () =>
      resolve(size > limit ? undefined : new Uint8Array(Buffer.concat(chunks))),
    );
    req.once('error', reject);
  });
}

function startOrPoll(
  host: TransportHost,
  hub: string,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const kind: TransportKind = wantsEventStream(req) ? 'ServerSentEvents' : 'LongPolling';
  const running = host.running(hub, token);
  if (running) {
    if (running.kind !== kind) text(res, 400, 'Cannot change transports mid-connection');
    else if (running instanceof LongPollingTransport) running.receivePoll(res);
    else text(res, 409);
    return;
  }
  const connectionId = host.take(hub, token);
  if (connectionId === undefined) {
    text(res, 404, UNKNOWN_ID);
    return;
  }
  if (kind === 'ServerSentEvents') {
    host.start(hub, token, connectionId, new ServerSentEventsTransport(res), req);
    return;
  }
  const transport = new LongPollingTransport(host.longPolling);
  host.start(hub, token, connectionId, transport, req);
  transport.confirm(res);
}

async function send(
  host: TransportHost,
  hub: string,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const running = host.running(hub, token);
  if (!running) {
    req.resume();
    text(res, 404, UNKNOWN_ID);
    return;
  }
  if (!(running instanceof LongPollingTransport || running instanceof ServerSentEventsTransport)) {
    req.resume();
    text(res, 405, 'POST requests are not allowed for WebSocket connections.');
    return;
  }
  const body = await readBody(req, host.maxBodyBytes);
  if (body === undefined) {
    text(res, 413);
    return;
  }
  running.receive(body);
  text(res, 200);
}

function terminate(host: TransportHost, hub: string, token: string, res: ServerResponse): void {
  const running = host.running(hub, token);
  if (!running) text(res, 404, UNKNOWN_ID);
  else if (!(running instanceof LongPollingTransport)) {
    text(res, 400, 'Cannot terminate this connection using the DELETE endpoint.');
  } else {
    running.abort();
    text(res, 202);
  }
}

/** Answers a plain HTTP request on a hub's path (`?id=<token>`). */
export async function serveHubRequest(
  host: TransportHost,
  hub: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const token = query.get('id');
  if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'DELETE') {
    req.resume();
    text(res, 405);
    return;
  }
  if (token === null || token === '') {
    req.resume();
    text(res, 400, NO_ID);
    return;
  }
  if (req.method === 'POST') {
    await send(host, hub, token, req, res);
    return;
  }
  req.resume();
  if (req.method === 'DELETE') terminate(host, hub, token, res);
  else startOrPoll(host, hub, token, req, res);
}
