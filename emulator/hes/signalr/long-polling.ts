// The long-polling transport as ASP.NET Core 5 serves it (HttpConnectionDispatcher,
// LongPollingServerTransport): the first GET is answered at once (200, empty) to confirm the
// connection; each later GET waits for records (200 with them), for the poll timeout (200,
// empty) or for a newer poll (204); once the connection has ended a poll gets 204. POST bodies
// are the client's frames. A connection nobody polls for the disconnect timeout is dropped.
import type { ServerResponse } from 'node:http';
import type { HubTransport } from './transport';

export interface LongPollingTimings {
  /** How long a poll waits for records before an empty 200 (ASP.NET: 90 s). */
  readonly pollTimeoutMs: number;
  /** How long a connection may go without a poll before it is dropped (ASP.NET: 15 s). */
  readonly disconnectTimeoutMs: number;
}

const answer = (res: ServerResponse, status: 200 | 204, body = ''): void => {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': status === 200 && body !== '' ? 'application/octet-stream' : 'text/plain',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
  });
  res.end(body);
};

export class LongPollingTransport implements HubTransport {
  readonly kind = 'LongPolling';
  private readonly queued: string[] = [];
  private poll: ServerResponse | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private ended = false;
  private closed = false;
  private onFrame: (bytes: Uint8Array) => void = () => undefined;
  private onClosed: () => void = () => undefined;

  constructor(private readonly timings: LongPollingTimings) {}

  get writable(): boolean {
    return !this.ended;
  }

  /** Whether the connection is over: a request for it is then answered 404. */
  get isClosed(): boolean {
    return this.closed;
  }

  start(onFrame: (bytes: Uint8Array) => void, onClosed: () => void): void {
    this.onFrame = onFrame;
    this.onClosed = onClosed;
    this.armIdle();
  }

  /** The first GET: confirms the connection without waiting. */
  confirm(res: ServerResponse): void {
    answer(res, 200);
    this.armIdle();
  }

  /** A later GET: answered with what is queued, or when something is, or on timeout. */
  receivePoll(res: ServerResponse): void {
    if (this.poll) this.finishPoll(204);
    if (this.closed) {
      answer(res, 204);
      return;
    }
    clearTimeout(this.idleTimer);
    this.poll = res;
    if (this.queued.length > 0 || this.ended) {
      this.finishPoll(this.queued.length > 0 ? 200 : 204);
      return;
    }
    res.once('close', () => {
      if (this.poll === res) this.finishPoll(undefined);
    });
    this.pollTimer = setTimeout(() => this.finishPoll(200), this.timings.pollTimeoutMs);
  }

  /** A POST body: the client's frame. */
  receive(bytes: Uint8Array): void {
    if (!this.closed) this.onFrame(bytes);
  }

  write(text: string): void {
    if (this.ended) return;
    this.queued.push(text);
    if (this.poll) this.finishPoll(200);
  }

  /** The server ends it: what was written last (a Close message) still goes out by a poll. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.poll) this.finishPoll(this.queued.length > 0 ? 200 : 204);
    else if (this.queued.length === 0) this.close();
  }

  /** A DELETE from the client, or a drop: over at once. */
  abort(): void {
    this.ended = true;
    this.queued.length = 0;
    if (this.poll) this.finishPoll(204);
    this.close();
  }

  /** Answers the pending poll (undefined: the client went away), then waits for the next. */
  private finishPoll(status: 200 | 204 | undefined): void {
    const res = this.poll;
    this.poll = undefined;
    clearTimeout(this.pollTimer);
    if (res && status !== undefined) {
      answer(res, status, status === 200 ? this.queued.splice(0).join('') : '');
    }
    if (this.ended && this.queued.length === 0) this.close();
    else this.armIdle();
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.closed || this.poll) return;
    this.idleTimer = setTimeout(() => this.close(), this.timings.disconnectTimeoutMs);
    this.idleTimer.unref();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ended = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.pollTimer);
    this.onClosed();
  }
}
