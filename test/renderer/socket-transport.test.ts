// The page's WebSocket transport, for real: against a `ws` server started here (to
// drop sockets, send garbage and go away), and against the real browser host with
// its router. The page side uses Node's own WebSocket, as a browser's. Every wait is
// on an event (a frame, a state change), never on time.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startBrowserHost } from '../../main/browser-host/browser-host';
import { createIpcRouter } from '../../main/ipc/ipc-router';
import { createCompanionApi } from '../../shared/ipc/bridge';
import type { Notice } from '../../shared/ipc/contract';
import {
  createSocketTransport,
  MAX_FAILURES,
  socketUrlFor,
  type BridgeState,
  type SocketLike,
  type SocketTransport,
} from '../../renderer/bridge/socket-transport';
import { SNAPSHOT, peerService } from '../main/ipc/peer-service';
import { appSnapshot } from './fixtures';

const FAST = { initialMs: 5, maxMs: 40 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

interface Peer {
  readonly server: WebSocketServer;
  readonly url: string;
  /** Resolves with the next socket that connects. */
  nextSocket(): Promise<WebSocket>;
  /** Resolves with the request path of the next socket that connects. */
  nextPath(): Promise<string>;
  /** Resolves with the next frame any socket sends (parsed). */
  nextFrame(): Promise<{ id: number; command: string; args: unknown[] }>;
}

async function startPeer(port = 0): Promise<Peer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : 0;
  const socketWaiters: ((ws: WebSocket) => void)[] = [];
  const pathWaiters: ((path: string) => void)[] = [];
  const frameWaiters: ((frame: { id: number; command: string; args: unknown[] }) => void)[] = [];
  server.on('connection', (ws, request) => {
    pathWaiters.shift()?.(request.url ?? '');
    ws.on('message', (data: Buffer) => {
      frameWaiters.shift()?.(JSON.parse(data.toString()) as never);
    });
    socketWaiters.shift()?.(ws);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  return {
    server,
    url: `ws://127.0.0.1:${actualPort}/ipc?token=t`,
    nextSocket: () => new Promise((resolve) => socketWaiters.push(resolve)),
    nextPath: () => new Promise((resolve) => pathWaiters.push(resolve)),
    nextFrame: () => new Promise((resolve) => frameWaiters.push(resolve)),
  };
}

function open(
  url: string,
  options: Parameters<typeof createSocketTransport>[1] = {},
): SocketTransport {
  const transport = createSocketTransport(url, { backoff: FAST, ...options });
  cleanups.push(() => transport.close());
  return transport;
}

/** Resolves when the transport reaches `state` (at once if it is there). */
function reach(transport: SocketTransport, state: BridgeState): Promise<void> {
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

describe('the socket transport', () => {
  it('sends calls as frames, matches answers by id, and delivers events', async () => {
    const peer = await startPeer();
    const transport = open(peer.url);
    const api = createCompanionApi(transport);
    const socket = await peer.nextSocket();
    await reach(transport, 'open');

    const snapshots: unknown[] = [];
    api.onSnapshot((s) => snapshots.push(s));
    const notice = new Promise<Notice>((resolve) => api.onNotice(resolve));

    const frames = [peer.nextFrame(), peer.nextFrame()];
    const answers = [api.getSnapshot(), api.cancelPrompt('ST1')];
    const [first, second] = await Promise.all(frames);
    expect(first).toMatchObject({ command: 'getSnapshot', args: [] });
    expect(second).toMatchObject({ command: 'cancelPrompt', args: ['ST1'] });
    // Answered out of order: each reaches its own call.
    socket.send(JSON.stringify({ id: second?.id, result: { ok: true, value: null } }));
    socket.send(JSON.stringify({ id: first?.id, result: { ok: true, value: SNAPSHOT } }));
    expect(await answers[1]).toEqual({ ok: true, value: null });
    expect(await answers[0]).toEqual({ ok: true, value: SNAPSHOT });

    const pushed = appSnapshot();
    socket.send(JSON.stringify({ event: 'snapshot', payload: pushed }));
    socket.send(
      JSON.stringify({
        event: 'notice',
        payload: { serialNo: 'ST1', kind: 'locked', severity: 'error' },
      }),
    );
    expect(await notice).toEqual({ serialNo: 'ST1', kind: 'locked', severity: 'error' });
    expect(snapshots).toEqual([pushed]);
  });

  it('ignores malformed frames and goes on working', async () => {
    const peer = await startPeer();
    const transport = open(peer.url);
    const api = createCompanionApi(transport);
    const socket = await peer.nextSocket();
    await reach(transport, 'open');
    const notices: Notice[] = [];
    api.onNotice((n) => notices.push(n));

    const frame = peer.nextFrame();
    const answer = api.retryKey('ST1');
    const { id } = await frame;
    for (const garbage of [
      'not json',
      '[1,2,3]',
      'null',
      '42',
      JSON.stringify({ id: 'someone else', result: { ok: true, value: null } }),
      JSON.stringify({ id: id + 1000, result: { ok: true, value: null } }),
      JSON.stringify({ id }),
      JSON.stringify({
        event: 'notice',
        payload: { serialNo: 'ST1', kind: 'nonsense', severity: 'x' },
      }),
      JSON.stringify({ event: 42, payload: {} }),
    ]) {
      socket.send(garbage);
    }
    socket.send(Buffer.from([0xff, 0x00, 0x01]), { binary: true });
    // A valid notice after the garbage arrives, so the garbage was read and dropped.
    const valid = new Promise<Notice>((resolve) => api.onNotice(resolve));
    socket.send(
      JSON.stringify({
        event: 'notice',
        payload: { serialNo: 'ST1', kind: 'active', severity: 'success' },
      }),
    );
    await valid;
    expect(notices).toEqual([{ serialNo: 'ST1', kind: 'active', severity: 'success' }]);
    socket.send(JSON.stringify({ id, result: { ok: false, error: { code: 'X', message: 'm' } } }));
    expect(await answer).toEqual({ ok: false, error: { code: 'X', message: 'm' } });
    expect(transport.state()).toBe('open');
  });

  it('fails pending calls when the socket drops, reconnects, and works again', async () => {
    const peer = await startPeer();
    const states: BridgeState[] = [];
    const transport = open(peer.url);
    transport.onState((s) => states.push(s));
    const api = createCompanionApi(transport);
    const first = await peer.nextSocket();
    await reach(transport, 'open');

    const frame = peer.nextFrame();
    const pending = api.forgetKey('ST1');
    await frame;
    const second = peer.nextSocket();
    first.terminate();
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'IPC_DISCONNECTED', message: 'The connection to the companion was lost.' },
    });
    // While down, a call fails at once instead of waiting.
    if (transport.state() === 'lost') {
      expect((await api.retryKey('ST1')).ok).toBe(false);
    }
    const socket = await second;
    await reach(transport, 'open');
    expect(states.slice(0, 3)).toEqual(['open', 'lost', 'open']);

    const next = peer.nextFrame();
    const answer = api.checkServer('https://hes.example.com');
    socket.send(JSON.stringify({ id: (await next).id, result: { ok: true, value: null } }));
    expect(await answer).toEqual({ ok: true, value: null });
  });

  it('keeps trying while nothing listens, and connects when the host is back', async () => {
    const peer = await startPeer();
    const port = Number(new URL(peer.url).port);
    let attempts = 0;
    let onAttempt = (): void => undefined;
    const transport = open(peer.url, {
      // Long enough not to give up before the host is back.
      maxFailures: 1000,
      createSocket: (url) => {
        attempts += 1;
        onAttempt();
        return new globalThis.WebSocket(url) as unknown as SocketLike;
      },
    });
    await peer.nextSocket();
    await reach(transport, 'open');

    // The host goes away.
    await new Promise<void>((resolve) => {
      for (const client of peer.server.clients) client.terminate();
      peer.server.close(() => resolve());
    });
    await reach(transport, 'lost');
    // Three refused tries while it is gone.
    await new Promise<void>((resolve) => {
      onAttempt = () => {
        if (attempts >= 4) resolve();
      };
    });
    expect(transport.state()).toBe('lost');

    const back = await startPeer(port);
    const socket = back.nextSocket();
    await reach(transport, 'open');
    await socket;
  });

  it('gives up after MAX_FAILURES attempts in a row: the companion stopped', async () => {
    const peer = await startPeer();
    let attempts = 0;
    const transport = open(peer.url, {
      createSocket: (url) => {
        attempts += 1;
        return new globalThis.WebSocket(url) as unknown as SocketLike;
      },
    });
    await reach(transport, 'open');
    await new Promise<void>((resolve) => {
      for (const client of peer.server.clients) client.terminate();
      peer.server.close(() => resolve());
    });
    await reach(transport, 'gone');
    // The first socket, then MAX_FAILURES reconnects, and nothing after.
    expect(attempts).toBe(1 + MAX_FAILURES);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBe(1 + MAX_FAILURES);
    expect(transport.state()).toBe('gone');
  });

  it('close() ends the socket for good: it does not come back', async () => {
    const peer = await startPeer();
    const transport = open(peer.url);
    const socket = await peer.nextSocket();
    await reach(transport, 'open');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const next = peer.nextPath();
    transport.close();
    await closed;
    // The next socket the server sees is another client's, not ours reconnecting.
    const probe = new WebSocket(peer.url.replace('token=t', 'token=probe'));
    const probeOpen = new Promise<void>((resolve) => probe.once('open', () => resolve()));
    cleanups.push(() => probe.terminate());
    expect(await next).toBe('/ipc?token=probe');
    await probeOpen;
    expect(transport.state()).toBe('open');
    expect((await createCompanionApi(transport).getSnapshot()).ok).toBe(false);
  });
});

describe('the socket address', () => {
  it('comes from the page address: same host, ws scheme, the fragment token', () => {
    expect(
      socketUrlFor({ protocol: 'http:', host: '127.0.0.1:4000', hash: '#token=abc_DEF-123' }),
    ).toBe('ws://127.0.0.1:4000/ipc?token=abc_DEF-123');
    expect(socketUrlFor({ protocol: 'https:', host: 'h:1', hash: '#token=a' })).toBe(
      'wss://h:1/ipc?token=a',
    );
    expect(socketUrlFor({ protocol: 'http:', host: 'h:1', hash: '' })).toBeUndefined();
    expect(socketUrlFor({ protocol: 'http:', host: 'h:1', hash: '#token=' })).toBeUndefined();
  });
});

describe('against the real browser host', () => {
  it('gets the pushed snapshot, calls commands through the router, and reconnects after a drop', async () => {
    const peer = peerService(() => ({ ok: true, value: null }));
    const router = createIpcRouter(peer.service);
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = await mkdtemp(join(tmpdir(), 'renderer-host-'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
    const host = await startBrowserHost({ router, root });
    cleanups.push(async () => {
      await host.close();
      router.dispose();
      await rm(root, { recursive: true, force: true });
    });

    // The host wants the page's Origin, which a browser sends by itself.
    const sockets: WebSocket[] = [];
    const createSocket = (url: string): SocketLike => {
      const ws = new WebSocket(url, { origin: host.origin });
      sockets.push(ws);
      return ws as unknown as SocketLike;
    };
    const url = socketUrlFor(new URL(host.url));
    expect(url).toBe(host.socketUrl);
    const transport = open(url ?? '', { createSocket });
    const api = createCompanionApi(transport);
    const first = new Promise((resolve) => api.onSnapshot(resolve));
    expect(await first).toEqual(SNAPSHOT);

    expect(await api.submitPin('ST1', '1234')).toEqual({ ok: true, value: null });
    expect(await api.submitPin('ST1', '12a4')).toMatchObject({
      ok: false,
      error: { code: 'INPUT_PIN_NOT_DIGITS' },
    });
    expect(peer.calls.map((c) => c.name)).toEqual(['submitPin']);

    // The socket drops: a new one gets the snapshot pushed again.
    const again = new Promise((resolve) => {
      const stop = api.onSnapshot((s) => {
        stop();
        resolve(s);
      });
    });
    sockets[0]?.terminate();
    await reach(transport, 'lost');
    expect(await again).toEqual(SNAPSHOT);
    expect(transport.state()).toBe('open');
  });

  it('gives up at once when the companion restarted with a new token (the upgrade is refused)', async () => {
    const peer = peerService(() => ({ ok: true, value: null }));
    const router = createIpcRouter(peer.service);
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = await mkdtemp(join(tmpdir(), 'renderer-host-'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
    const first = await startBrowserHost({ router, root });
    const later: { second?: Awaited<ReturnType<typeof startBrowserHost>> } = {};
    cleanups.push(async () => {
      await first.close().catch(() => undefined);
      await later.second?.close();
      router.dispose();
      await rm(root, { recursive: true, force: true });
    });
    let attempts = 0;
    const createSocket = (url: string): SocketLike => {
      attempts += 1;
      return new WebSocket(url, { origin: first.origin }) as unknown as SocketLike;
    };
    const transport = open(first.socketUrl, { createSocket });
    await reach(transport, 'open');

    // The companion restarts on the same port with a new token: this page's token is refused.
    await first.close();
    const second = await startBrowserHost({ router, root, port: first.port });
    later.second = second;
    expect(second.token).not.toBe(first.token);
    await reach(transport, 'gone');
    expect(attempts).toBeLessThan(1 + MAX_FAILURES);
  });
});
