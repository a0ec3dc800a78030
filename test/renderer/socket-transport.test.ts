// The page's WebSocket transport, for real: against a `ws` server started here (to
// drop sockets, send garbage and go away), and against the real browser host with
// its router (socket-rig.ts). The page side uses Node's own WebSocket, as a browser's.
// Every wait is on an event (a frame, a state change), never on time.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCompanionApi } from '../../shared/ipc/bridge';
import type { Notice } from '../../shared/ipc/contract';
import { MAX_FAILURES, socketUrlFor } from '../../renderer/bridge/socket-transport';
import { SNAPSHOT } from '../main/ipc/peer-service';
import { appSnapshot } from './fixtures';
import {
  afterTest,
  answer,
  connected,
  hostWorld,
  madeSockets,
  open,
  push,
  reach,
  startPeer,
} from './socket-rig';

const DONE = { ok: true, value: null };
/** Sockets as a page makes them (Node's own WebSocket, as a browser's). */
const pageSockets = () => madeSockets((url) => new globalThis.WebSocket(url));

describe('the socket transport', () => {
  it('sends calls as frames, matches answers by id, and delivers events', async () => {
    const { peer, api, socket } = await connected();
    const snapshots: unknown[] = [];
    api.onSnapshot((s) => snapshots.push(s));
    const notice = new Promise<Notice>((resolve) => api.onNotice(resolve));

    const frames = [peer.nextFrame(), peer.nextFrame()];
    const answers = [api.getSnapshot(), api.cancelPrompt('ST1')];
    const [first, second] = await Promise.all(frames);
    expect(first).toMatchObject({ command: 'getSnapshot', args: [] });
    expect(second).toMatchObject({ command: 'cancelPrompt', args: ['ST1'] });
    // Answered out of order: each reaches its own call.
    answer(socket, second?.id, DONE);
    answer(socket, first?.id, { ok: true, value: SNAPSHOT });
    expect(await answers[1]).toEqual(DONE);
    expect(await answers[0]).toEqual({ ok: true, value: SNAPSHOT });

    const pushed = appSnapshot();
    push(socket, 'snapshot', pushed);
    push(socket, 'notice', { serialNo: 'ST1', kind: 'locked', severity: 'error' });
    expect(await notice).toEqual({ serialNo: 'ST1', kind: 'locked', severity: 'error' });
    expect(snapshots).toEqual([pushed]);
  });

  it('ignores malformed frames and goes on working', async () => {
    const { peer, transport, api, socket } = await connected();
    const notices: Notice[] = [];
    api.onNotice((n) => notices.push(n));

    const frame = peer.nextFrame();
    const pending = api.retryKey('ST1');
    const { id } = await frame;
    for (const garbage of [
      'not json',
      '[1,2,3]',
      'null',
      '42',
      JSON.stringify({ id: 'someone else', result: DONE }),
      JSON.stringify({ id: id + 1000, result: DONE }),
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
    push(socket, 'notice', { serialNo: 'ST1', kind: 'active', severity: 'success' });
    await valid;
    expect(notices).toEqual([{ serialNo: 'ST1', kind: 'active', severity: 'success' }]);
    answer(socket, id, { ok: false, error: { code: 'X', message: 'm' } });
    expect(await pending).toEqual({ ok: false, error: { code: 'X', message: 'm' } });
    expect(transport.state()).toBe('open');
  });

  it('fails pending calls when the socket drops, reconnects, and works again', async () => {
    const { peer, transport, api, socket: first, states } = await connected();

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
    const checked = api.checkServer('https://hes.example.com');
    answer(socket, (await next).id, DONE);
    expect(await checked).toEqual(DONE);
  });

  it('keeps trying while nothing listens, and connects when the host is back', async () => {
    const sockets = pageSockets();
    // Long enough not to give up before the host is back.
    const { peer, transport } = await connected({
      maxFailures: 1000,
      createSocket: sockets.createSocket,
    });
    const port = Number(new URL(peer.url).port);

    await peer.stop();
    await reach(transport, 'lost');
    // Three refused tries while it is gone.
    await sockets.until(4);
    expect(transport.state()).toBe('lost');

    const back = await startPeer(port);
    const socket = back.nextSocket();
    await reach(transport, 'open');
    await socket;
  });

  it('gives up after MAX_FAILURES attempts in a row: the companion stopped', async () => {
    const sockets = pageSockets();
    const { peer, transport } = await connected({ createSocket: sockets.createSocket });
    await peer.stop();
    await reach(transport, 'gone');
    // The first socket, then MAX_FAILURES reconnects, and nothing after.
    expect(sockets.made).toHaveLength(1 + MAX_FAILURES);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sockets.made).toHaveLength(1 + MAX_FAILURES);
    expect(transport.state()).toBe('gone');
  });

  it('close() ends the socket for good: it does not come back', async () => {
    const { peer, transport, socket } = await connected();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const next = peer.nextPath();
    transport.close();
    await closed;
    // The next socket the server sees is another client's, not ours reconnecting.
    const probe = new WebSocket(peer.url.replace('token=t', 'token=probe'));
    const probeOpen = new Promise<void>((resolve) => probe.once('open', () => resolve()));
    afterTest(() => probe.terminate());
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
    const world = await hostWorld();
    const host = await world.start();
    // The host wants the page's Origin, which a browser sends by itself.
    const sockets = madeSockets((url) => new WebSocket(url, { origin: host.origin }));
    const url = socketUrlFor(new URL(host.url));
    expect(url).toBe(host.socketUrl);
    const transport = open(url ?? '', { createSocket: sockets.createSocket });
    const api = createCompanionApi(transport);
    const first = new Promise((resolve) => api.onSnapshot(resolve));
    expect(await first).toEqual(SNAPSHOT);

    expect(await api.submitPin('ST1', '1234')).toEqual(DONE);
    expect(await api.submitPin('ST1', '12a4')).toMatchObject({
      ok: false,
      error: { code: 'INPUT_PIN_NOT_DIGITS' },
    });
    expect(world.service.calls.map((c) => c.name)).toEqual(['submitPin']);

    // The socket drops: a new one gets the snapshot pushed again.
    const again = new Promise((resolve) => {
      const stop = api.onSnapshot((s) => {
        stop();
        resolve(s);
      });
    });
    sockets.made[0]?.terminate();
    await reach(transport, 'lost');
    expect(await again).toEqual(SNAPSHOT);
    expect(transport.state()).toBe('open');
  });

  it('gives up at once when the companion restarted with a new token (the upgrade is refused)', async () => {
    const world = await hostWorld();
    const first = await world.start();
    const sockets = madeSockets((url) => new WebSocket(url, { origin: first.origin }));
    const transport = open(first.socketUrl, { createSocket: sockets.createSocket });
    await reach(transport, 'open');

    // The companion restarts on the same port with a new token: this page's token is refused.
    await first.close();
    const second = await world.start(first.port);
    expect(second.token).not.toBe(first.token);
    await reach(transport, 'gone');
    expect(sockets.made.length).toBeLessThan(1 + MAX_FAILURES);
  });
});
