// The browser host keeps its address per data folder: a page opened before a restart
// reconnects to the same port with the same token; a port taken meanwhile moves the host
// (same token) and says so; a damaged file starts afresh. The file is the user's only.
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BrowserHost } from '../../../main/browser-host/browser-host';
import { HOST_ADDRESS_FILE, startKeptBrowserHost } from '../../../main/browser-host/kept-address';
import { createIpcRouter } from '../../../main/ipc/ipc-router';
import { peerService } from '../ipc/peer-service';

let dir = '';
let root = '';
const cleanups: (() => Promise<unknown> | void)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kept-host-'));
  root = join(dir, 'renderer');
  await mkdir(root);
  await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await rm(dir, { recursive: true, force: true });
});

async function start(dataDir: string) {
  const router = createIpcRouter(peerService().service);
  const host = await startKeptBrowserHost({ router, root, dataDir });
  cleanups.push(
    () => router.dispose(),
    () => host.close(),
  );
  return host;
}

/** The page's socket, as the tab left open before the restart reopens it. */
const connects = (host: Pick<BrowserHost, 'socketUrl' | 'origin'>): Promise<boolean> =>
  new Promise((resolveOpen) => {
    const ws = new WebSocket(host.socketUrl, { origin: host.origin });
    ws.once('open', () => {
      ws.terminate();
      resolveOpen(true);
    });
    ws.once('error', () => resolveOpen(false));
  });

describe('the browser host kept per data folder', () => {
  it('restarts at the same address, and the old page reconnects', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    const first = await start(dataDir);
    const before = { socketUrl: first.socketUrl, origin: first.origin, url: first.url };
    expect(first.portChanged).toBe(false);
    expect(statSync(join(dataDir, HOST_ADDRESS_FILE)).mode & 0o777).toBe(0o600);
    await first.close();
    expect(await connects(before)).toBe(false);

    const second = await start(dataDir);
    expect(second.url).toBe(before.url);
    expect(second.portChanged).toBe(false);
    expect(await connects(before)).toBe(true);

    // Another data folder is another companion: another address.
    const other = join(dir, 'other');
    await mkdir(other);
    const third = await start(other);
    expect(third.token).not.toBe(second.token);
    expect(third.port).not.toBe(second.port);
  });

  it('moves to a free port when the kept one is taken, keeping the token', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    const first = await start(dataDir);
    const { port, token } = first;
    await first.close();
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen({ host: '127.0.0.1', port }, () => r()));
    cleanups.push(() => new Promise<void>((r) => squatter.close(() => r())));

    const moved = await start(dataDir);
    expect(moved.portChanged).toBe(true);
    expect(moved.port).not.toBe(port);
    expect(moved.token).toBe(token);
    const kept = JSON.parse(await readFile(join(dataDir, HOST_ADDRESS_FILE), 'utf8')) as {
      port: number;
    };
    expect(kept.port).toBe(moved.port);
  });

  it('starts a new address from a damaged file', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    await writeFile(join(dataDir, HOST_ADDRESS_FILE), '{"port": 99999, "token": "short"}');
    const host = await start(dataDir);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await connects(host)).toBe(true);
  });
});
