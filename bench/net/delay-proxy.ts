// A TCP proxy between the companion's HES client and the stand-in that delays every
// byte by `oneWayMs` in each direction: a real network-level round trip of
// 2 × oneWayMs, with no change to product code. Bytes keep their order. Every
// connection is tapped (signalr-tap.ts) so server calls can be counted and timed.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { nowMs } from '../clock';
import { ConnectionTap, type Direction, type WireEvent } from './signalr-tap';

export interface DelayProxy {
  /** http://127.0.0.1:<port>: what the companion is given as its server. */
  readonly url: string;
  oneWayMs: number;
  readonly events: WireEvent[];
  /** nowMs() of the last byte that was not a SignalR ping. */
  readonly lastActivity: number;
  onEvent(listener: (event: WireEvent) => void): () => void;
  close(): Promise<void>;
}

/** Before a chunk is due, the lane stops using timers (see Lane's #arm). */
const SPIN_MS = 2;

/** One direction: chunks leave in order, each `delay()` ms after it arrived. */
class Lane {
  #queue: { due: number; chunk: Buffer }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #spinning = false;
  #ending = false;

  constructor(
    private readonly to: Socket,
    private readonly delay: () => number,
  ) {}

  push(chunk: Buffer): void {
    const wait = this.delay();
    if (wait <= 0 && this.#queue.length === 0) {
      this.to.write(chunk);
      return;
    }
    this.#queue.push({ due: nowMs() + wait, chunk });
    this.#arm();
  }

  end(): void {
    this.#ending = true;
    if (this.#queue.length === 0) this.to.end();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
  }

  /**
   * Node's timers fire on whole milliseconds of the loop's clock, up to a millisecond late,
   * which would add up to 1 ms to each way of the modelled round trip (and the minimum
   * prices it exact): a timer waits until SPIN_MS before the chunk is due, then the loop's
   * check phase (setImmediate) until it is, a wait of the orchestrator's own.
   */
  #arm(): void {
    if (this.#timer !== undefined || this.#spinning) return;
    const head = this.#queue[0];
    if (!head) return;
    const left = head.due - nowMs();
    if (left > SPIN_MS) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#arm();
      }, left - SPIN_MS);
      return;
    }
    this.#spinning = true;
    setImmediate(() => {
      this.#spinning = false;
      this.#drain();
    });
  }

  #drain(): void {
    const now = nowMs();
    while (this.#queue.length > 0 && (this.#queue[0]?.due ?? 0) <= now) {
      const next = this.#queue.shift();
      if (next && !this.to.destroyed) this.to.write(next.chunk);
    }
    if (this.#queue.length > 0) this.#arm();
    else if (this.#ending) this.to.end();
  }
}

export async function startDelayProxy(options: {
  readonly targetPort: number;
  readonly oneWayMs: number;
}): Promise<DelayProxy> {
  const listeners = new Set<(event: WireEvent) => void>();
  const sockets = new Set<Socket>();
  const events: WireEvent[] = [];
  let connections = 0;
  let lastActivity = nowMs();
  const record = (event: WireEvent): void => {
    events.push(event);
    if (event.kind !== 'ping') lastActivity = event.at;
    for (const listener of [...listeners]) listener(event);
  };

  const server: Server = createServer((client) => {
    const id = ++connections;
    const upstream = connect({ host: '127.0.0.1', port: options.targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const tap = new ConnectionTap(id, record, nowMs);
    const lanes: Record<Direction, Lane> = {
      up: new Lane(upstream, () => proxy.oneWayMs),
      down: new Lane(client, () => proxy.oneWayMs),
    };
    const wire = (from: Socket, dir: Direction): void => {
      from.on('data', (chunk: Buffer) => {
        tap.push(dir, chunk);
        lanes[dir].push(chunk);
      });
      from.on('end', () => lanes[dir].end());
      from.on('close', () => sockets.delete(from));
      from.on('error', () => {
        lanes.up.stop();
        lanes.down.stop();
        client.destroy();
        upstream.destroy();
      });
    };
    wire(client, 'up');
    wire(upstream, 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  const proxy: DelayProxy = {
    url: `http://127.0.0.1:${port}`,
    oneWayMs: options.oneWayMs,
    events,
    get lastActivity() {
      return lastActivity;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
