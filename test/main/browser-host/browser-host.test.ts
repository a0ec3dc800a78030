// The browser host for real: an http server on 127.0.0.1 and a WebSocket client
// (ws) acting as the page. Waits are on events (answers, frames), never on time.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isBrowserHostError } from '../../../main/browser-host/browser-host-error';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/browser-host';
import { createIpcRouter, type IpcRouter } from '../../../main/ipc/ipc-router';
import { createCompanionApi, type BridgeTransport } from '../../../shared/ipc/bridge';
import type { CommandName } from '../../../shared/ipc/contract';
import { SNAPSHOT, peerService } from '../ipc/peer-service';

let dir = '';
let root = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'browser-host-'));
  root = join(dir, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(join(root, 'assets', 'app.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'outside the root');
  await symlink(join(dir, 'secret.txt'), join(root, 'link.txt'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let host: BrowserHost | undefined;
let router: IpcRouter | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await host?.close();
  router?.dispose();
  host = undefined;
  router = undefined;
});

async function start(peer = peerService()): Promise<{ host: BrowserHost; peer: typeof peer }> {
  router = createIpcRouter(peer.service);
  host = await startBrowserHost({ router, root });
  return { host, peer };
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
/** A raw request: the path goes out exactly as written (no URL normalisation). */
function get(
  h: BrowserHost,
  path: string,
  options: { method?: string; hostHeader?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: h.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.hostHeader ?? `127.0.0.1:${h.port}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

type Opened = { ws: WebSocket; first: Promise<unknown> } | { status: number };
/** Connect as a page would; resolves with the socket or the refusal's status. */
function connect(
  url: string,
  options: { origin?: string | null; hostHeader?: string } = {},
): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.hostHeader !== undefined) headers['host'] = options.hostHeader;
    const ws = new WebSocket(url, {
      headers,
      ...(options.origin === null ? {} : { origin: options.origin ?? host?.origin }),
    });
    sockets.push(ws);
    const first = new Promise<unknown>((r) =>
      ws.once('message', (d: Buffer) => r(JSON.parse(d.toString()))),
    );
    ws.once('open', () => resolve({ ws, first }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', (e) => reject(e));
  });
}

/** Frames from a socket, awaited one by one. */
function frames(ws: WebSocket): () => Promise<unknown> {
  const queue: unknown[] = [];
  const waiting: ((v: unknown) => void)[] = [];
  ws.on('message', (d: Buffer) => {
    const v: unknown = JSON.parse(d.toString());
    const w = waiting.shift();
    if (w) w(v);
    else queue.push(v);
  });
  return () =>
    queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r));
}

describe('startBrowserHost: binding', () => {
  it('refuses every address but 127.0.0.1', async () => {
    const r = createIpcRouter(peerService().service);
    for (const bind of ['0.0.0.0', '::', '::1', 'localhost', '192.168.1.10', '']) {
      const error: unknown = await startBrowserHost({ router: r, root, host: bind }).catch(
        (e: unknown) => e,
      );
      expect(isBrowserHostError(error, 'BROWSER_HOST_BIND_REFUSED')).toBe(true);
    }
    await expect(startBrowserHost({ router: r, root: join(dir, 'nope') })).rejects.toMatchObject({
      code: 'BROWSER_HOST_INVALID_OPTION',
    });
    await expect(startBrowserHost({ router: r, root, token: 'short' })).rejects.toMatchObject({
      code: 'BROWSER_HOST_INVALID_OPTION',
    });
    r.dispose();
  });

  it('listens on loopback with a fresh random token in the printed URL', async () => {
    const { host: h } = await start();
    expect(h.origin).toBe(`http://127.0.0.1:${h.port}`);
    expect(h.url).toBe(`${h.origin}/#token=${h.token}`);
    expect(h.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await startBrowserHost({ router: createIpcRouter(peerService().service), root });
    expect(other.token).not.toBe(h.token);
    await other.close();
  });
});

describe('static files', () => {
  it('serves the renderer with types and a strict CSP on every answer', async () => {
    const { host: h } = await start();
    const index = await get(h, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${h.port}`);
    expect(csp).not.toContain('unsafe');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect((await get(h, '/assets/app.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await get(h, '/assets/app.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    const missing = await get(h, '/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(csp);
    const head = await get(h, '/index.html', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
    expect((await get(h, '/', { method: 'POST' })).status).toBe(405);
  });

  it('answers 404 to every traversal attempt', async () => {
    const { host: h } = await start();
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/link.txt',
      '/%00',
      '/index.html%00.js',
      '/%E0%A4%A',
      '//etc/passwd',
      '/assets',
      '/C:/Windows/win.ini',
    ]) {
      const answer = await get(h, path);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.body).not.toContain('outside the root');
    }
  });

  it('refuses requests that do not name this host (DNS rebinding)', async () => {
    const { host: h } = await start();
    expect((await get(h, '/', { hostHeader: `evil.example:${h.port}` })).status).toBe(403);
    expect((await get(h, '/', { hostHeader: `localhost:${h.port}` })).status).toBe(403);
  });
});

describe('the IPC socket', () => {
  it('refuses a missing or wrong token, a wrong Origin or Host, another path', async () => {
    const { host: h } = await start();
    const base = `ws://127.0.0.1:${h.port}/ipc`;
    expect(await connect(base)).toEqual({ status: 401 });
    expect(await connect(`${base}?token=`)).toEqual({ status: 401 });
    expect(await connect(`${base}?token=${h.token.slice(0, -1)}x`)).toEqual({ status: 401 });
    expect(await connect(`${base}?token=${h.token}${h.token}`)).toEqual({ status: 401 });
    expect(await connect(h.socketUrl, { origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect(h.socketUrl, { origin: `http://localhost:${h.port}` })).toEqual({
      status: 403,
    });
    expect(await connect(h.socketUrl, { origin: 'null' })).toEqual({ status: 403 });
    expect(await connect(h.socketUrl, { origin: null })).toEqual({ status: 403 });
    expect(await connect(h.socketUrl, { hostHeader: `evil.example:${h.port}` })).toEqual({
      status: 403,
    });
    expect(await connect(`ws://127.0.0.1:${h.port}/other?token=${h.token}`)).toEqual({
      status: 404,
    });
  });

  it('pushes the snapshot at once, carries a round trip and pushed events', async () => {
    const { host: h, peer } = await start();
    const opened = await connect(h.socketUrl);
    if (!('ws' in opened)) throw new Error(`refused: ${opened.status}`);
    expect(await opened.first).toEqual({ event: 'snapshot', payload: SNAPSHOT });
    const next = frames(opened.ws);

    opened.ws.send(JSON.stringify({ id: 7, command: 'submitPin', args: ['ST1', '1234'] }));
    expect(await next()).toEqual({ id: 7, result: { ok: true, value: null } });
    expect(peer.calls).toEqual([{ name: 'submitPin', args: ['ST1', '1234'] }]);

    opened.ws.send(
      JSON.stringify({ id: 'a', command: 'submitActivationCode', args: ['ST1', '123'] }),
    );
    const refused = await next();
    expect(refused).toMatchObject({
      id: 'a',
      result: { ok: false, error: { code: 'INPUT_CODE_TOO_SHORT' } },
    });
    expect(JSON.stringify(refused)).not.toContain('"123"');

    opened.ws.send(JSON.stringify({ id: 8, command: 'eval', args: ['process.exit()'] }));
    expect(await next()).toMatchObject({
      id: 8,
      result: { ok: false, error: { code: 'IPC_BAD_REQUEST' } },
    });
    opened.ws.send('not json');
    expect(await next()).toMatchObject({
      id: null,
      result: { ok: false, error: { code: 'IPC_BAD_REQUEST' } },
    });
    opened.ws.send(JSON.stringify({ command: 'getSnapshot', args: [] }));
    expect(await next()).toMatchObject({ id: null, result: { ok: false } });
    opened.ws.send(Buffer.from([1, 2, 3]));
    expect(await next()).toMatchObject({ id: null, result: { ok: false } });

    for (const l of peer.noticeListeners) l({ serialNo: 'ST1', kind: 'locked', severity: 'error' });
    expect(await next()).toEqual({
      event: 'notice',
      payload: { serialNo: 'ST1', kind: 'locked', severity: 'error' },
    });
    const changed = { ...SNAPSHOT, links: { usb: 'ready' as const, ble: 'poweredOff' as const } };
    for (const l of peer.snapshotListeners) l(changed);
    expect(await next()).toEqual({ event: 'snapshot', payload: changed });
    expect(peer.calls).toHaveLength(1);
  });

  it('closes a socket that sends an oversized frame', async () => {
    const { host: h } = await start();
    const opened = await connect(h.socketUrl);
    if (!('ws' in opened)) throw new Error('refused');
    const closed = new Promise<number>((r) => opened.ws.once('close', (code: number) => r(code)));
    opened.ws.send('x'.repeat(65 * 1024));
    expect(await closed).toBe(1009);
  });

  it('serves the same CompanionApi the preload gives (the bridge over the socket)', async () => {
    const { host: h, peer } = await start();
    const opened = await connect(h.socketUrl);
    if (!('ws' in opened)) throw new Error('refused');
    await opened.first;
    const ws = opened.ws;
    let nextId = 0;
    const pending = new Map<number, (v: unknown) => void>();
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    ws.on('message', (d: Buffer) => {
      const frame = JSON.parse(d.toString()) as {
        id?: number;
        result?: unknown;
        event?: string;
        payload?: unknown;
      };
      if (typeof frame.id === 'number') pending.get(frame.id)?.(frame.result);
      if (typeof frame.event === 'string')
        for (const l of listeners.get(frame.event) ?? []) l(frame.payload);
    });
    const transport: BridgeTransport = {
      call: (name: CommandName, args) =>
        new Promise((resolve) => {
          const id = ++nextId;
          pending.set(id, resolve);
          ws.send(JSON.stringify({ id, command: name, args }));
        }),
      subscribe(event, listener) {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    };
    const api = createCompanionApi(transport);
    expect(await api.getSnapshot()).toEqual({ ok: true, value: SNAPSHOT });
    expect(await api.changePin('ST1', '1111', '2222', '2222')).toEqual({ ok: true, value: null });
    expect(await api.setServerUrl('https://hes.example.com')).toEqual({ ok: true, value: null });
    const notice = new Promise((r) => api.onNotice(r));
    for (const l of peer.noticeListeners)
      l({ serialNo: 'ST1', kind: 'suspended', severity: 'warning' });
    expect(await notice).toEqual({ serialNo: 'ST1', kind: 'suspended', severity: 'warning' });
    expect(peer.calls.map((c) => c.name)).toEqual(['changePin', 'setServerUrl']);
  });

  it('close() ends open sockets', async () => {
    const { host: h } = await start();
    const opened = await connect(h.socketUrl);
    if (!('ws' in opened)) throw new Error('refused');
    const closed = new Promise<void>((r) => opened.ws.once('close', () => r()));
    await h.close();
    await closed;
    host = undefined;
  });
});
