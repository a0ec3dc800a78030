import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
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
  it('answers POST <hub>/negotiate?negotiateVersion=1 with an id, a separate token and the three transports', async () => {
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
      { transport: 'ServerSentEvents', transferFormats: ['Text'] },
      { transport: 'LongPolling', transferFormats: ['Text', 'Binary'] },
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

  it('refuses an upgrade with an unknown or other-hub token (404) and one in use (409)', async () => {
    const host = await startHost({ hubs: { ...hubs, '/deviceHub': { methods: {} } } });
    await expect(rawSocket(host, '/appHub', 'no-such-token')).rejects.toThrow('HTTP 404');
    const { connectionToken } = await negotiate(host, '/appHub');
    await expect(rawSocket(host, '/deviceHub', connectionToken)).rejects.toThrow('HTTP 404');
    const first = await rawSocket(host, '/appHub', connectionToken);
    await expect(rawSocket(host, '/appHub', connectionToken)).rejects.toThrow('HTTP 409');
    await expect(rawSocket(host, '/elsewhere', connectionToken)).rejects.toThrow('HTTP 404');
    first.socket.terminate();
    await first.closed;
    await expect(rawSocket(host, '/appHub', connectionToken)).rejects.toThrow('HTTP 404');
  });

  it('accepts a WebSocket upgrade without a token (the client’s skipNegotiation)', async () => {
    const host = await startHost({
      hubs: { '/appHub': { methods: { Who: { arity: 0, handler: (c) => c.connectionId } } } },
    });
    const connection = new HubConnectionBuilder()
      .withUrl(`${host.base}/appHub`, {
        transport: HttpTransportType.WebSockets,
        skipNegotiation: true,
      })
      .configureLogging(LogLevel.None)
      .build();
    await connection.start();
    await expect(connection.invoke('Who')).resolves.toMatch(/^[A-Za-z0-9_-]{22}$/);
    await connection.stop();
    const raw = await rawSocket(host, '/appHub', '');
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });

  it('answers plain HTTP on the hub path as ASP.NET’s dispatcher does', async () => {
    const host = await startHost({ hubs });
    const status = async (method: string, query: string, headers?: Record<string, string>) => {
      const res = await fetch(`${host.base}/appHub${query}`, {
        method,
        ...(headers ? { headers } : {}),
      });
      return [res.status, await res.text()];
    };
    expect(await status('GET', '')).toEqual([400, 'Connection ID required']);
    expect(await status('POST', '?id=')).toEqual([400, 'Connection ID required']);
    expect(await status('GET', '?id=unknown')).toEqual([404, 'No Connection with that ID']);
    expect(await status('POST', '?id=unknown')).toEqual([404, 'No Connection with that ID']);
    expect(await status('DELETE', '?id=unknown')).toEqual([404, 'No Connection with that ID']);
    expect((await status('PUT', '?id=x'))[0]).toBe(405);
    // A WebSocket connection takes no POST, no DELETE and no other transport.
    const { connectionToken } = await negotiate(host, '/appHub');
    await rawSocket(host, '/appHub', connectionToken);
    expect(await status('POST', `?id=${connectionToken}`)).toEqual([
      405,
      'POST requests are not allowed for WebSocket connections.',
    ]);
    expect(await status('DELETE', `?id=${connectionToken}`)).toEqual([
      400,
      'Cannot terminate this connection using the DELETE endpoint.',
    ]);
    expect(await status('GET', `?id=${connectionToken}`)).toEqual([
      400,
      'Cannot change transports mid-connection',
    ]);
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
