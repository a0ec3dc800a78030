import { HttpTransportType } from '@microsoft/signalr';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubCaller, HubDefinition } from '../../../../emulator/hes/signalr';
import {
  RS,
  buildClient,
  closeAll,
  connectClient,
  deferred,
  rawConnected,
  records,
  startHost,
} from './signalr-hosts';

afterEach(closeAll);

const hub = (extra: Partial<HubDefinition> = {}): HubDefinition => ({
  methods: { Echo: { arity: 1, handler: (_c, [value]) => value } },
  ...extra,
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('SignalR connection lifecycle', () => {
  it('keeps an idle connection open with keep-alive pings both ways', async () => {
    const host = await startHost({
      hubs: { '/appHub': hub() },
      keepAliveMs: 20,
      clientTimeoutMs: 200,
    });
    const client = await connectClient(host, '/appHub', { serverTimeoutMs: 200, keepAliveMs: 20 });
    let closedEarly = false;
    void client.closed.then(() => (closedEarly = true));
    // Idle for many times both timeouts: without pings either side would drop it.
    for (let i = 0; i < 8; i += 1) await sleep(100);
    expect(closedEarly).toBe(false);
    expect(client.connection.state).toBe('Connected');
    await expect(client.connection.invoke('Echo', 'still here')).resolves.toBe('still here');
  });

  it('sends a ping {"type":6} whenever it has sent nothing for keepAliveMs', async () => {
    const host = await startHost({ hubs: { '/appHub': hub() }, keepAliveMs: 10 });
    const raw = await rawConnected(host, '/appHub');
    for (let i = 0; i < 3; i += 1) await expect(raw.next()).resolves.toBe(`{"type":6}${RS}`);
  });

  it('drops a connection from which nothing arrives within clientTimeoutMs', async () => {
    const disconnected = deferred<HubCaller>();
    const host = await startHost({
      hubs: { '/appHub': hub({ onDisconnected: (c) => disconnected.resolve(c) }) },
      clientTimeoutMs: 30,
    });
    const raw = await rawConnected(host, '/appHub');
    await raw.closed;
    await disconnected.promise;
    expect(host.signalr.connections()).toEqual([]);
  });

  it('calls onDisconnected when the client stops, and forgets the caller', async () => {
    const connected = deferred<HubCaller>();
    const disconnected = deferred<HubCaller>();
    const host = await startHost({
      hubs: {
        '/appHub': hub({
          onConnected: (c) => connected.resolve(c),
          onDisconnected: (c) => disconnected.resolve(c),
        }),
      },
    });
    const client = await connectClient(host, '/appHub');
    const caller = await connected.promise;
    await client.connection.stop();
    await expect(disconnected.promise).resolves.toBe(caller);
    await expect(client.closed).resolves.toBeUndefined();
    expect(host.signalr.connections()).toEqual([]);
  });

  it('abort() drops the socket: the client closes with an error', async () => {
    const disconnected = deferred<HubCaller>();
    const host = await startHost({
      hubs: { '/appHub': hub({ onDisconnected: (c) => disconnected.resolve(c) }) },
    });
    const client = await connectClient(host, '/appHub');
    host.signalr.connections('/appHub')[0]?.abort();
    const error = await client.closed;
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain('1006');
    await disconnected.promise;
  });

  it('close(error) sends a Close message the client reports as its close error', async () => {
    const host = await startHost({ hubs: { '/appHub': hub() } });
    const client = await connectClient(host, '/appHub');
    host.signalr.connections('/appHub')[0]?.close('Workstation removed');
    const error = await client.closed;
    expect(error?.message).toBe('Server returned an error on close: Workstation removed');
  });

  it('close() without an error ends the client cleanly', async () => {
    const host = await startHost({ hubs: { '/appHub': hub() } });
    const client = await connectClient(host, '/appHub');
    host.signalr.connections('/appHub')[0]?.close();
    await expect(client.closed).resolves.toBeUndefined();
  });

  it('closes the connection with an error on a message over maxMessageBytes', async () => {
    const disconnected = deferred<HubCaller>();
    const host = await startHost({
      hubs: { '/appHub': hub({ onDisconnected: (c) => disconnected.resolve(c) }) },
      maxMessageBytes: 1024,
    });
    const client = await connectClient(host, '/appHub');
    await expect(client.connection.invoke('Echo', 'x'.repeat(900))).resolves.toHaveLength(900);
    const invocation = client.connection.invoke('Echo', 'x'.repeat(2000));
    await expect(invocation).rejects.toThrow();
    const error = await client.closed;
    expect(error?.message).toBe(
      'Server returned an error on close: Connection closed with an error.',
    );
    await disconnected.promise;
    expect(host.signalr.connections()).toEqual([]);
  });

  it('sendRaw writes text as is: a malformed frame makes the real client give up', async () => {
    const host = await startHost({ hubs: { '/appHub': hub() } });
    const client = await connectClient(host, '/appHub');
    host.signalr.connections('/appHub')[0]?.sendRaw(`{"type":1,"target":${RS}`);
    const error = await client.closed;
    expect(error).toBeInstanceOf(Error);
  });

  it('server close() closes every connection, then refuses new ones', async () => {
    const host = await startHost({ hubs: { '/appHub': hub(), '/deviceHub': hub() } });
    const a = await connectClient(host, '/appHub');
    const b = await connectClient(host, '/deviceHub');
    await host.signalr.close();
    await expect(a.closed).resolves.toBeUndefined();
    await expect(b.closed).resolves.toBeUndefined();
    expect(host.signalr.connections()).toEqual([]);
    await expect(buildClient(host, '/appHub').connection.start()).rejects.toThrow();
  });

  it('processes several records in one frame, in order', async () => {
    const host = await startHost({ hubs: { '/appHub': hub() } });
    const raw = await rawConnected(host, '/appHub');
    raw.send(
      `{"type":1,"invocationId":"1","target":"Echo","arguments":["a"]}${RS}` +
        `{"type":6}${RS}` +
        `{"type":1,"invocationId":"2","target":"echo","arguments":["b"]}${RS}`,
    );
    const first = records(await raw.next());
    const second = records(await raw.next());
    expect([...first, ...second]).toEqual([
      { type: 3, invocationId: '1', result: 'a' },
      { type: 3, invocationId: '2', result: 'b' },
    ]);
  });

  it('accepts the handshake together with the first invocation in one frame', async () => {
    const host = await startHost({ hubs: { '/appHub': hub() } });
    const { negotiate, rawSocket } = await import('./signalr-hosts');
    const { connectionToken } = await negotiate(host, '/appHub');
    const raw = await rawSocket(host, '/appHub', connectionToken);
    raw.send(
      `{"protocol":"json","version":1}${RS}{"type":1,"invocationId":"7","target":"Echo","arguments":[7]}${RS}`,
    );
    await expect(raw.next()).resolves.toBe(`{}${RS}`);
    expect(records(await raw.next())).toEqual([{ type: 3, invocationId: '7', result: 7 }]);
  });
});

describe('SignalR over Server-Sent Events and long polling (offered as by AddSignalR())', () => {
  const http = [
    ['Server-Sent Events', HttpTransportType.ServerSentEvents],
    ['long polling', HttpTransportType.LongPolling],
  ] as const;

  it.each(http)(
    '%s: the real client connects, invokes, gets pushes, and stops',
    async (_, transport) => {
      const connected = deferred<HubCaller>();
      const disconnected = deferred<HubCaller>();
      const host = await startHost({
        hubs: {
          '/appHub': hub({
            onConnected: (c) => connected.resolve(c),
            onDisconnected: (c) => disconnected.resolve(c),
          }),
        },
      });
      const client = await connectClient(host, '/appHub', {
        transport,
        headers: { WorkstationId: 'ws-9' },
      });
      const caller = await connected.promise;
      expect(caller.headers['workstationid']).toBe('ws-9');
      await expect(client.connection.invoke('Echo', { a: 1 })).resolves.toEqual({ a: 1 });
      const pushed = deferred<unknown>();
      client.connection.on('SetAlarmState', (on: unknown) => pushed.resolve(on));
      caller.send('SetAlarmState', true);
      await expect(pushed.promise).resolves.toBe(true);
      await client.connection.stop();
      await expect(disconnected.promise).resolves.toBe(caller);
      expect(host.signalr.connections()).toEqual([]);
    },
  );

  it.each(http)('%s: close(error) reaches the client as its close error', async (_, transport) => {
    const host = await startHost({ hubs: { '/appHub': hub() } });
    const client = await connectClient(host, '/appHub', { transport });
    host.signalr.connections('/appHub')[0]?.close('Workstation removed');
    const error = await client.closed;
    expect(error?.message).toBe('Server returned an error on close: Workstation removed');
  });

  it('long polling: the first poll confirms at once, a poll waits at most pollTimeoutMs, DELETE ends it', async () => {
    const disconnected = deferred<HubCaller>();
    const host = await startHost({
      hubs: { '/appHub': hub({ onDisconnected: (c) => disconnected.resolve(c) }) },
      pollTimeoutMs: 50,
      keepAliveMs: 60_000,
    });
    const { negotiate } = await import('./signalr-hosts');
    const { connectionToken } = await negotiate(host, '/appHub');
    const url = `${host.base}/appHub?id=${connectionToken}`;
    expect((await fetch(url)).status).toBe(200);
    const handshake = await fetch(url, {
      method: 'POST',
      body: `{"protocol":"json","version":1}${RS}`,
    });
    expect(handshake.status).toBe(200);
    expect(await (await fetch(url)).text()).toBe(`{}${RS}`);
    const idle = await fetch(url);
    expect([idle.status, await idle.text()]).toEqual([200, '']);
    expect(host.signalr.connections()).toHaveLength(1);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(202);
    await disconnected.promise;
    expect((await fetch(url)).status).toBe(404);
  });

  it('long polling: a connection nobody polls for disconnectTimeoutMs is dropped', async () => {
    const disconnected = deferred<HubCaller>();
    const host = await startHost({
      hubs: { '/appHub': hub({ onDisconnected: (c) => disconnected.resolve(c) }) },
      disconnectTimeoutMs: 50,
    });
    const { negotiate } = await import('./signalr-hosts');
    const { connectionToken } = await negotiate(host, '/appHub');
    const url = `${host.base}/appHub?id=${connectionToken}`;
    await fetch(url);
    await fetch(url, { method: 'POST', body: `{"protocol":"json","version":1}${RS}` });
    await disconnected.promise;
    expect(host.signalr.connections()).toEqual([]);
  });
});
