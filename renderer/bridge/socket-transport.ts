// The browser host's side of the IPC contract: a BridgeTransport over one WebSocket
// (main/browser-host/socket-protocol.ts). Frames are JSON text:
//   page → host  { id, command, args }
//   host → page  { id, result }  and  { event, payload }
// Answers and events are validated by shared/ipc/bridge.ts; here a frame that is not
// JSON or not one of these shapes is dropped. When the socket drops, pending calls
// fail (the bridge answers IPC_DISCONNECTED) and the socket is opened again with a
// growing delay; the host pushes its current snapshot on every new socket. The page
// gives up ('gone') when the host answers but refuses the socket (it restarted with a
// new token: this page's address is no longer valid) or after MAX_FAILURES attempts in
// a row: reconnecting cannot succeed then, and the user must open the new address.
import type { CommandName } from '../../shared/ipc/contract';
import type { BridgeTransport } from '../../shared/ipc/bridge';
import type { EventName } from '../../shared/ipc/ipc-events';

/**
 * 'connecting' before the first open; 'lost' whenever the socket is down after that;
 * 'gone' once reconnecting is given up (the companion restarted or stopped).
 */
export type BridgeState = 'connecting' | 'open' | 'lost' | 'gone';

/** Failed attempts in a row after which the page stops reconnecting. */
export const MAX_FAILURES = 10;

export interface Backoff {
  /** The first delay before opening again (ms). */
  readonly initialMs: number;
  /** The longest delay (ms). */
  readonly maxMs: number;
}
export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5_000 };

/** The part of the WebSocket API the transport uses (the DOM's, or Node's global). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface SocketTransport extends BridgeTransport {
  state(): BridgeState;
  onState(listener: (state: BridgeState) => void): () => void;
  /** Closes the socket for good (no reconnect). */
  close(): void;
}

export interface SocketTransportOptions {
  readonly createSocket?: SocketFactory;
  readonly backoff?: Backoff;
  /** Failed attempts in a row before giving up (default MAX_FAILURES). */
  readonly maxFailures?: number;
  /**
   * Whether the host answers plain HTTP at the socket's address. A browser's WebSocket
   * hides why an upgrade failed (a 401 for an old token looks like a host that is down),
   * so a refused socket next to a host that answers means the token changed.
   */
  readonly hostAnswers?: (socketUrl: string) => Promise<boolean>;
}

/** HEAD / on the host the socket belongs to: any HTTP answer means it is up. */
export async function hostAnswersHttp(socketUrl: string): Promise<boolean> {
  try {
    const page = new URL(socketUrl);
    page.protocol = page.protocol === 'wss:' ? 'https:' : 'http:';
    await fetch(`${page.origin}/`, { method: 'HEAD', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

const OPEN = 1;

class Disconnected extends Error {
  override readonly name = 'Disconnected';
}

function readFrame(
  data: unknown,
): { id?: unknown; result?: unknown; event?: unknown; payload?: unknown } | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const frame: unknown = JSON.parse(data);
    return typeof frame === 'object' && frame !== null && !Array.isArray(frame) ? frame : undefined;
  } catch {
    return undefined;
  }
}

const defaultFactory: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

export function createSocketTransport(
  url: string,
  options: SocketTransportOptions = {},
): SocketTransport {
  const createSocket = options.createSocket ?? defaultFactory;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const maxFailures = options.maxFailures ?? MAX_FAILURES;
  const hostAnswers = options.hostAnswers ?? hostAnswersHttp;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: BridgeState) => void>();
  let state: BridgeState = 'connecting';
  let socket: SocketLike | undefined;
  let nextId = 0;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  /** The host answered HTTP after a refused socket: one more refusal means a new token. */
  let refusedWhileUp = false;

  const setState = (next: BridgeState): void => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const failPending = (): void => {
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(new Disconnected('the companion connection closed'));
  };

  const onMessage = (data: unknown): void => {
    const frame = readFrame(data);
    if (frame === undefined) return;
    if (typeof frame.event === 'string') {
      for (const listener of [...(listeners.get(frame.event) ?? [])]) listener(frame.payload);
      return;
    }
    if (typeof frame.id === 'number' && 'result' in frame) {
      const call = pending.get(frame.id);
      if (call === undefined) return;
      pending.delete(frame.id);
      call.resolve(frame.result);
    }
  };

  const giveUp = (): void => {
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    setState('gone');
  };

  const scheduleReconnect = (): void => {
    if (closed || timer !== undefined) return;
    if (failures >= maxFailures) return giveUp();
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 16));
    failures += 1;
    timer = setTimeout(() => {
      timer = undefined;
      open();
    }, delay);
  };

  function open(): void {
    if (closed) return;
    let ws: SocketLike;
    try {
      ws = createSocket(url);
    } catch {
      setState('lost');
      scheduleReconnect();
      return;
    }
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      if (socket !== ws) return;
      opened = true;
      failures = 0;
      refusedWhileUp = false;
      setState('open');
    };
    ws.onmessage = (event) => {
      if (socket === ws) onMessage(event.data);
    };
    // An error is always followed by close; the close does the work.
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      failPending();
      if (closed) return;
      setState('lost');
      // A socket that never opened: the host may be up and refusing this page's token.
      // It is tried once more while the host answers (it may have just come back with the
      // same token); refused again, the token is no longer valid.
      if (!opened && refusedWhileUp) return giveUp();
      if (!opened && failures > 0) {
        void hostAnswers(url).then((answers) => {
          if (closed) return;
          if (!answers) return scheduleReconnect();
          refusedWhileUp = true;
          open();
        });
        return;
      }
      scheduleReconnect();
    };
  }

  open();

  return {
    call(name: CommandName, args: readonly unknown[]): Promise<unknown> {
      const ws = socket;
      if (ws === undefined || ws.readyState !== OPEN) {
        return Promise.reject(new Disconnected('the companion is not connected'));
      }
      nextId += 1;
      const id = nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          ws.send(JSON.stringify({ id, command: name, args }));
        } catch {
          pending.delete(id);
          reject(new Disconnected('the companion connection failed'));
        }
      });
    },
    subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const ws = socket;
      socket = undefined;
      failPending();
      ws?.close();
    },
  };
}

/** ws://host/ipc?token=… for a page served at http://host/#token=… (undefined without a token). */
export function socketUrlFor(
  location: Pick<Location, 'protocol' | 'host' | 'hash'>,
): string | undefined {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (token === null || token === '') return undefined;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ipc?token=${encodeURIComponent(token)}`;
}
