// The browser host's limits and its page for a wrong address, for real: many TCP sockets
// against a low connection cap, a request with a body, and the page a browser gets at
// localhost:<port> (how to open the companion, no token, the strict CSP).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isBrowserHostError } from '../../../main/browser-host/browser-host-error';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/browser-host';
import { contentSecurityPolicy } from '../../../main/browser-host/security-headers';
import { createIpcRouter } from '../../../main/ipc/ipc-router';
import { peerService } from '../ipc/peer-service';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function start(maxConnections?: number): Promise<BrowserHost> {
  const dir = await mkdtemp(join(tmpdir(), 'browser-host-limits-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const root = join(dir, 'renderer');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
  const router = createIpcRouter(peerService().service);
  cleanups.push(() => router.dispose());
  const host = await startBrowserHost({
    router,
    root,
    ...(maxConnections !== undefined ? { maxConnections } : {}),
  });
  cleanups.push(() => host.close());
  return host;
}

function httpGet(
  h: BrowserHost,
  hostHeader: string,
  extra: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: h.port,
        path: '/',
        method: 'GET',
        headers: { host: hostHeader, ...extra },
        agent: false,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function openSocket(h: BrowserHost): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(h.port, '127.0.0.1');
    let got = '';
    socket.on('data', (c: Buffer) => (got += c.toString()));
    const closed = new Promise<string>((done) => socket.on('close', () => done(got)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
    cleanups.push(() => void socket.destroy());
  });
}

describe('the browser host at another address', () => {
  it('answers localhost:<port> with a short page on how to open the companion, no token', async () => {
    const h = await start();
    const answer = await httpGet(h, `localhost:${h.port}`);
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('Hideez Companion');
    expect(answer.body).toContain(`http://127.0.0.1:${h.port}/`);
    expect(answer.body).toContain('#token=…');
    expect(answer.body).not.toContain(h.token);
    expect(answer.body).not.toMatch(/<script|<style|style=/i);
    expect(answer.headers['content-security-policy']).toBe(contentSecurityPolicy(h.origin));
    // The right address still serves the companion's page.
    expect((await httpGet(h, `127.0.0.1:${h.port}`)).body).toBe('<!doctype html><title>t</title>');
  });

  it('refuses a request with a body (413) rather than reading it', async () => {
    const h = await start();
    const answer = await httpGet(
      h,
      `127.0.0.1:${h.port}`,
      { 'content-type': 'text/plain', 'content-length': '1000' },
      'x'.repeat(1000),
    );
    expect(answer.status).toBe(413);
  });
});

describe('the browser host connection cap', () => {
  it('refuses a bad cap at start', async () => {
    for (const maxConnections of [0, -1, 1.5]) {
      const error: unknown = await start(maxConnections).catch((e: unknown) => e);
      expect(isBrowserHostError(error, 'BROWSER_HOST_INVALID_OPTION')).toBe(true);
    }
  });

  it('answers sockets past the cap with a 503 and closes them; the page socket too', async () => {
    const max = 30;
    const h = await start(max);
    const idle: Socket[] = [];
    for (let i = 0; i < max; i++) idle.push((await openSocket(h)).socket);
    // 200 more idle sockets: none is kept, each learns why.
    const extra = await Promise.all(Array.from({ length: 200 }, () => openSocket(h)));
    for (const reply of await Promise.all(extra.map((e) => e.closed))) {
      expect(reply).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(reply).toContain('Too many connections to the Hideez Companion');
    }
    // The page's socket is refused too, with the same answer.
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(h.socketUrl, { origin: h.origin });
      cleanups.push(() => ws.terminate());
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
      ws.once('error', reject);
    });
    expect(status).toBe(503);
    // Room again once some close.
    for (const socket of idle.splice(0, 3)) socket.destroy();
    let served = 0;
    while (served !== 200) {
      served = (await httpGet(h, `127.0.0.1:${h.port}`).catch(() => ({ status: 0 }))).status;
      if (served !== 200) await new Promise((r) => setTimeout(r, 10));
    }
    expect(served).toBe(200);
  });
});
