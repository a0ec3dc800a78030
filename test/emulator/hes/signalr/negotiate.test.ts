import { afterEach, describe, expect, it } from 'vitest';
import { SignalRServer, isSignalRError } from '../../../../emulator/hes/signalr';
import {
  buildClient,
  closeAll,
  negotiate,
  rawConnected,
  rawSocket,
  startHost,
} from './signalr-hosts';

afterEach(closeAll);

const hubs = { '/appHub': { methods: {} } };

describe('SignalR negotiate and upgrade', () => {
  it('answers POST <hub>/negotiate?negotiateVersion=1 with an id, a separate token and WebSockets', async () => {
    const host = await startHost({ hubs });
    const res = await fetch(`${host.base}/appHub/negotiate?negotiateVersion=1`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'availableTransports',
      'connectionId',
      'connectionToken',
      'negotiateVersion',
    ]);
    expect(body['negotiateVersion']).toBe(1);
    expect(body['connectionId']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body['connectionToken']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body['availableTransports']).toEqual([
      { transport: 'WebSockets', transferFormats: ['Text', 'Binary'] },
    ]);
    expect(body['connectionToken']).not.toBe(body['connectionId']);
    const again = await negotiate(host, '/appHub');
    expect(again.connectionToken).not.toBe(body['connectionToken']);
  });

  it('answers a version-0 negotiate with the connection id as the token', async () => {
    const host = await startHost({ hubs });
    const res = await fetch(`${host.base}/appHub/negotiate`, { method: 'POST' });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body['negotiateVersion']).toBeUndefined();
    expect(body['connectionToken']).toBeUndefined();
    const raw = await rawSocket(host, '/appHub', String(body['connectionId']));
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });

  it('refuses a negotiate that is not a POST with 405', async () => {
    const host = await startHost({ hubs });
    const res = await fetch(`${host.base}/appHub/negotiate?negotiateVersion=1`);
    expect(res.status).toBe(405);
  });

  it('leaves other paths to the HTTP server: an unknown hub is a 404 and the client fails', async () => {
    const host = await startHost({ hubs });
    const res = await fetch(`${host.base}/otherHub/negotiate?negotiateVersion=1`, {
      method: 'POST',
    });
    expect(res.status).toBe(404);
    await expect(buildClient(host, '/otherHub').connection.start()).rejects.toThrow(/404/);
  });

  it('refuses an upgrade with an unknown, used or other-hub token with 404', async () => {
    const host = await startHost({ hubs: { ...hubs, '/deviceHub': { methods: {} } } });
    await expect(rawSocket(host, '/appHub', 'no-such-token')).rejects.toThrow('HTTP 404');
    await expect(rawSocket(host, '/appHub', '')).rejects.toThrow('HTTP 404');
    const { connectionToken } = await negotiate(host, '/appHub');
    await expect(rawSocket(host, '/deviceHub', connectionToken)).rejects.toThrow('HTTP 404');
    await rawSocket(host, '/appHub', connectionToken);
    await expect(rawSocket(host, '/appHub', connectionToken)).rejects.toThrow('HTTP 404');
    await expect(rawSocket(host, '/elsewhere', connectionToken)).rejects.toThrow('HTTP 404');
  });

  it('refuses plain HTTP on the hub path: only WebSockets are offered', async () => {
    const host = await startHost({ hubs });
    const { connectionToken } = await negotiate(host, '/appHub');
    expect((await fetch(`${host.base}/appHub?id=${connectionToken}`)).status).toBe(400);
    expect((await fetch(`${host.base}/appHub?id=unknown`)).status).toBe(404);
    const raw = await rawConnected(host, '/appHub');
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });

  it('refuses hub definitions it could not serve', () => {
    const handler = () => undefined;
    const bad = [
      { appHub: { methods: {} } },
      { '/': { methods: {} } },
      { '/appHub': { methods: {} }, '/APPHUB/': { methods: {} } },
      { '/appHub': { methods: { Echo: { arity: 1, handler }, echo: { arity: 1, handler } } } },
      { '/appHub': { methods: { Echo: { arity: -1, handler } } } },
      { '/appHub': { methods: { Echo: { arity: 1.5, handler } } } },
    ];
    for (const hubs of bad) {
      let error: unknown;
      try {
        new SignalRServer({ hubs });
      } catch (e) {
        error = e;
      }
      expect(isSignalRError(error, 'SIGNALR_BAD_HUB_DEFINITION')).toBe(true);
    }
  });
});
