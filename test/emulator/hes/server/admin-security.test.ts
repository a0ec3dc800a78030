// The stand-in's admin API against other sites and floods, over real sockets: a foreign Host
// (DNS rebinding) or Origin is refused before any route, a simple cross-site request (a
// text/plain POST, a form) never reaches an action, and past its connection cap the server
// answers a new socket with a 503 and closes it, idle sockets included.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HesStandInServer } from '../../../../emulator/hes/server';
import { adminCookie, closeAll, closeWith, rest, startServer } from './stand-in-hosts';

afterEach(closeAll);

interface RawReply {
  readonly status: number;
  readonly body: string;
}

/** An HTTP request with exactly these headers (fetch would not send a foreign Host). */
function raw(
  server: HesStandInServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers, agent: false },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const alarmOn = async (server: HesStandInServer): Promise<boolean> =>
  ((await rest(server, 'GET', '/api/standin/Alarm')).body as { isAlarm: boolean }).isAlarm;

describe('the admin API and other sites', () => {
  it('refuses a foreign Host (DNS rebinding) and a foreign Origin before any route', async () => {
    const server = await startServer({ allowedHosts: ['hes.test'] });
    const cookie = await adminCookie(server);
    const get = (headers: Record<string, string>) =>
      raw(server, 'GET', '/api/Employees/GetEmployees', { cookie, ...headers });
    for (const host of [`evil.example:${server.port}`, `127.0.0.1.nip.io:${server.port}`]) {
      const refused = await get({ host });
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'HostNotAllowed' });
    }
    // Another port is another server.
    expect((await get({ host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get({ host: 'evil.example' })).status).toBe(403);
    // IP literals, localhost and a configured name are this server.
    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      `LOCALHOST:${server.port}`,
      `[::1]:${server.port}`,
      `hes.test:${server.port}`,
    ]) {
      expect((await get({ host })).status, host).toBe(200);
    }
    // A browser's Origin must be this server's own, on reads too.
    const host = `127.0.0.1:${server.port}`;
    expect((await get({ host, origin: `http://${host}` })).status).toBe(200);
    for (const origin of ['http://evil.example', `http://localhost:${server.port + 1}`, 'null']) {
      const refused = await get({ host, origin });
      expect(refused.status, origin).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'OriginNotAllowed' });
    }
    // The hubs are HES's: no Host check (workstations may name the server as they like).
    expect(
      (
        await raw(server, 'POST', '/appHub/negotiate?negotiateVersion=1', {
          host: `evil.example:${server.port}`,
        })
      ).status,
    ).toBe(200);
  });

  it('never changes state on a simple cross-site request, even with the cookie', async () => {
    const server = await startServer();
    const cookie = await adminCookie(server);
    const host = `127.0.0.1:${server.port}`;
    // What a page can send cross-site without a preflight: text/plain, a form, no type at all.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      for (const path of ['/api/Workstations/LockAllWorkstations', '/api/standin/Alarm/On']) {
        const reply = await raw(server, 'POST', path, { host, cookie, 'content-type': type }, '{}');
        expect(reply.status, `${type} ${path}`).toBe(415);
      }
    }
    expect((await raw(server, 'POST', '/api/standin/Alarm/On', { host, cookie })).status).toBe(415);
    expect(await alarmOn(server)).toBe(false);
    // The same call as JSON, from the CLI (no Origin), is served.
    const json = { host, cookie, 'content-type': 'application/json; charset=utf-8' };
    expect((await raw(server, 'POST', '/api/standin/Alarm/On', json)).status).toBe(204);
    expect(await alarmOn(server)).toBe(true);
    // A preflight from another site is refused, and never granted (no CORS headers).
    const preflight = await raw(server, 'OPTIONS', '/api/standin/Alarm/Off', {
      host,
      origin: 'http://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(403);
  });
});

/** A plain TCP socket to the server, open (or refused: the bytes it got before closing). */
function openSocket(
  server: HesStandInServer,
): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let got = '';
    socket.on('data', (chunk: Buffer) => (got += chunk.toString()));
    const closed = new Promise<string>((done) => socket.on('close', () => done(got)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
    closeWith(() => void socket.destroy());
  });
}

describe('the stand-in connection cap', () => {
  it('answers a socket past the cap with a 503 and closes it; idle ones count', async () => {
    const max = 40;
    const server = await startServer({ maxConnections: max });
    const cookie = await adminCookie(server);
    // adminCookie's keep-alive socket may still be open: fill up to the cap with idle sockets.
    const idle: Socket[] = [];
    while (server.openConnections() < max) {
      idle.push((await openSocket(server)).socket);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(server.openConnections()).toBe(max);
    // 60 more: each gets the refusal at once, without sending a byte, and is closed.
    const extra = await Promise.all(Array.from({ length: 60 }, () => openSocket(server)));
    const replies = await Promise.all(extra.map((e) => e.closed));
    for (const reply of replies) {
      expect(reply).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(reply).toContain('Connection: close');
      expect(JSON.parse(reply.split('\r\n\r\n')[1] ?? '')).toEqual({
        error: 'TooManyConnections',
        message: `More than ${max} connections are open: try again later`,
      });
    }
    expect(server.openConnections()).toBe(max);
    // A request racing the refusal never reaches an action.
    const late = await openSocket(server);
    late.socket.write(
      `POST /api/standin/Alarm/On HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
        `Cookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n`,
    );
    expect(await late.closed).toMatch(/^HTTP\/1\.1 503/);
    // Closing idle sockets makes room again.
    for (const socket of idle.splice(0, 5)) socket.destroy();
    while (server.openConnections() > max - 5) await new Promise((r) => setTimeout(r, 5));
    expect((await rest(server, 'GET', '/api/standin/Alarm')).body).toMatchObject({
      isAlarm: false,
    });
    for (const socket of idle) socket.destroy();
  });
});
