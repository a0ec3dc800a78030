// What crosses the proxy, as SignalR sees it: each HTTP request (the negotiate POST,
// the WebSocket upgrade) and each JSON hub-protocol record (0x1E-separated): the
// handshake, invocations (type 1) with their target, completions (type 3), pings (6)
// and close (7). This is how server calls are counted exactly without touching the
// companion: every client → server invocation is one call the companion waited for.
import { HttpStream } from './http-stream';
import { WsStream } from './websocket-frames';

export type Direction = 'up' | 'down';

export type WireKind =
  | 'negotiate'
  | 'upgrade'
  | 'http'
  | 'handshake'
  | 'invocation'
  | 'completion'
  | 'ping'
  | 'close'
  | 'other';

export interface WireEvent {
  /** nowMs() when the bytes reached the proxy (before its delay). */
  readonly at: number;
  readonly connection: number;
  readonly hub: string;
  readonly dir: Direction;
  readonly kind: WireKind;
  readonly target?: string;
  readonly invocationId?: string;
  /** The record's bytes, separator included (HTTP: 0). */
  readonly bytes: number;
}

const RECORD_SEPARATOR = '\u001e';

const hubOf = (path: string): string => {
  const first =
    path
      .split('?')[0]
      ?.split('/')
      .find((part) => part !== '') ?? '';
  return first;
};

interface RecordFields {
  readonly type?: number;
  readonly target?: string;
  readonly invocationId?: string;
  readonly protocol?: string;
}

function fields(json: string): RecordFields | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as Record<string, unknown>;
    return {
      ...(typeof v['type'] === 'number' ? { type: v['type'] } : {}),
      ...(typeof v['target'] === 'string' ? { target: v['target'] } : {}),
      ...(typeof v['invocationId'] === 'string' ? { invocationId: v['invocationId'] } : {}),
      ...(typeof v['protocol'] === 'string' ? { protocol: v['protocol'] } : {}),
    };
  } catch {
    return undefined;
  }
}

const kindOf = (f: RecordFields | undefined): WireKind => {
  if (f === undefined) return 'other';
  if (f.protocol !== undefined) return 'handshake';
  switch (f.type) {
    case 1:
      return 'invocation';
    case 3:
      return 'completion';
    case 6:
      return 'ping';
    case 7:
      return 'close';
    default:
      return 'other';
  }
};

/** Taps one proxied connection; `emit` gets its events in order. */
export class ConnectionTap {
  readonly #http: Record<Direction, HttpStream> = {
    up: new HttpStream('request'),
    down: new HttpStream('response'),
  };
  readonly #ws: Record<Direction, WsStream> = { up: new WsStream(), down: new WsStream() };
  #hub = '';

  constructor(
    private readonly connection: number,
    private readonly emit: (event: WireEvent) => void,
    private readonly now: () => number,
  ) {}

  push(dir: Direction, chunk: Buffer): void {
    const at = this.now();
    const http = this.#http[dir];
    let ws: Buffer | undefined = chunk;
    if (!http.switched) {
      const { heads, upgraded } = http.push(chunk);
      for (const head of heads) {
        if (head.kind !== 'request') continue;
        this.#hub = hubOf(head.path);
        const kind = head.upgrade
          ? 'upgrade'
          : /\/negotiate/.test(head.path)
            ? 'negotiate'
            : 'http';
        this.emit({ at, connection: this.connection, hub: this.#hub, dir, kind, bytes: 0 });
      }
      ws = upgraded;
    }
    if (ws === undefined || ws.length === 0) return;
    for (const message of this.#ws[dir].push(ws)) {
      for (const record of message.text.split(RECORD_SEPARATOR)) {
        if (record === '') continue;
        const f = fields(record);
        this.emit({
          at,
          connection: this.connection,
          hub: this.#hub,
          dir,
          kind: kindOf(f),
          ...(f?.target !== undefined ? { target: f.target } : {}),
          ...(f?.invocationId !== undefined ? { invocationId: f.invocationId } : {}),
          bytes: Buffer.byteLength(record, 'utf8') + 1,
        });
      }
    }
  }
}
