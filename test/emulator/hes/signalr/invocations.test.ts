import { afterEach, describe, expect, it } from 'vitest';
import type { HubCaller, HubDefinition } from '../../../../emulator/hes/signalr';
import { bindBoolean } from '../../../../emulator/hes/signalr/argument-binder';
import { closeAll, connectClient, deferred, startHost } from './signalr-hosts';

afterEach(closeAll);

const echoHub = (seen: unknown[] = []): HubDefinition => ({
  methods: {
    Echo: { arity: 1, handler: (_c, [value]) => ({ echoed: value }) },
    Add: { arity: 2, handler: (_c, [a, b]) => Number(a) + Number(b) },
    Nothing: { arity: 0, handler: () => undefined },
    Slow: { arity: 0, handler: () => new Promise((r) => setImmediate(() => r('later'))) },
    Fail: {
      arity: 0,
      handler: () => {
        throw new Error('database password is hunter2');
      },
    },
    FailAsync: { arity: 0, handler: () => Promise.reject(new Error('secret detail')) },
    Record: { arity: 1, handler: (_c, [value]) => void seen.push(value) },
    Huge: { arity: 0, handler: () => 10n },
  },
});

describe('SignalR hub invocations from the real @microsoft/signalr client', () => {
  it('connects, completes the handshake and registers the caller under its hub', async () => {
    const connected = deferred<HubCaller>();
    const host = await startHost({
      hubs: { '/appHub': { ...echoHub(), onConnected: (c) => connected.resolve(c) } },
    });
    const { connection } = await connectClient(host, '/appHub');
    const caller = await connected.promise;
    expect(connection.state).toBe('Connected');
    expect(caller.connectionId).toBe(connection.connectionId);
    expect(caller.hub).toBe('/appHub');
    expect(host.signalr.connections('/appHub')).toEqual([caller]);
    expect(host.signalr.connections('/deviceHub')).toEqual([]);
  });

  it('returns a handler result as the completion result', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() } });
    const { connection } = await connectClient(host, '/appHub');
    await expect(connection.invoke('Echo', { a: [1, 'x', null] })).resolves.toEqual({
      echoed: { a: [1, 'x', null] },
    });
    await expect(connection.invoke('Add', 2, 3)).resolves.toBe(5);
    await expect(connection.invoke('Slow')).resolves.toBe('later');
    await expect(connection.invoke('Nothing')).resolves.toBeUndefined();
  });

  it('turns a thrown error into the generic ASP.NET text without leaking its message', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() } });
    const { connection } = await connectClient(host, '/appHub');
    const error: unknown = await connection.invoke('Fail').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      "An unexpected error occurred invoking 'Fail' on the server.",
    );
    expect(String(error)).not.toContain('hunter2');
    await expect(connection.invoke('FailAsync')).rejects.toThrow(
      /^An unexpected error occurred invoking 'FailAsync' on the server\.$/,
    );
    // A result JSON cannot carry fails the same way, and the connection lives on.
    await expect(connection.invoke('Huge')).rejects.toThrow(
      "An unexpected error occurred invoking 'Huge' on the server.",
    );
    await expect(connection.invoke('Add', 1, 1)).resolves.toBe(2);
  });

  it('answers an unknown method as a binding failure, with the HubException ASP.NET always shows', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() } });
    const { connection } = await connectClient(host, '/appHub');
    await expect(connection.invoke('NoSuchMethod', 1)).rejects.toThrow(
      /^Failed to invoke 'NoSuchMethod' due to an error on the server\. HubException: Method does not exist\.$/,
    );
    expect(connection.state).toBe('Connected');
  });

  it('checks the arity exactly: a binding failure without detail, as with detailed errors off', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() } });
    const { connection } = await connectClient(host, '/appHub');
    await expect(connection.invoke('Add', 1)).rejects.toThrow(
      /^Failed to invoke 'Add' due to an error on the server\.$/,
    );
    await expect(connection.invoke('Nothing', 1, 2, 3)).rejects.toThrow(
      /^Failed to invoke 'Nothing' due to an error on the server\.$/,
    );
  });

  it('says why a binding failed when detailed errors are on', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() }, detailedErrors: true });
    const { connection } = await connectClient(host, '/appHub');
    await expect(connection.invoke('Add', 1)).rejects.toThrow(
      /^Failed to invoke 'Add' due to an error on the server\. InvalidDataException: Invocation provides 1 argument\(s\) but target expects 2\.$/,
    );
    // A thrown error's own message stays hidden even then.
    await expect(connection.invoke('Fail')).rejects.toThrow(
      /^An unexpected error occurred invoking 'Fail' on the server\.$/,
    );
  });

  it('fails an invocation whose bind step refuses an argument, before the method runs', async () => {
    const ran: unknown[] = [];
    const host = await startHost({
      hubs: {
        '/appHub': {
          methods: {
            Flag: {
              arity: 1,
              bind: ([v]) => [bindBoolean(v, 'flag')],
              handler: (_c, [v]) => void ran.push(v),
            },
          },
        },
      },
    });
    const { connection } = await connectClient(host, '/appHub');
    await expect(connection.invoke('Flag', 'yes')).rejects.toThrow(
      /^Failed to invoke 'Flag' due to an error on the server\.$/,
    );
    await expect(connection.invoke('Flag', null)).rejects.toThrow('Failed to invoke');
    await connection.invoke('Flag', true);
    expect(ran).toEqual([true]);
  });

  it('matches method names case-insensitively and reports the name as sent', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() } });
    const { connection } = await connectClient(host, '/appHub');
    await expect(connection.invoke('echo', 1)).resolves.toEqual({ echoed: 1 });
    await expect(connection.invoke('ECHO', 2)).resolves.toEqual({ echoed: 2 });
    await expect(connection.invoke('fAIL')).rejects.toThrow("invoking 'fAIL' on the server");
  });

  it('runs a fire-and-forget invocation (no invocationId) and sends nothing back', async () => {
    const seen: unknown[] = [];
    const host = await startHost({ hubs: { '/appHub': echoHub(seen) } });
    const { connection } = await connectClient(host, '/appHub');
    await connection.send('Record', 'first');
    await connection.send('record', 'second');
    await connection.send('Fail');
    await connection.send('NoSuchMethod');
    // Invocations run one at a time, in order: once this completes, the sends ran.
    await expect(connection.invoke('Add', 0, 0)).resolves.toBe(0);
    expect(seen).toEqual(['first', 'second']);
    expect(connection.state).toBe('Connected');
  });

  it('delivers a server→client send to connection.on(...)', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() } });
    const { connection } = await connectClient(host, '/appHub');
    const received = deferred<unknown[]>();
    connection.on('SetAlarmState', (...args: unknown[]) => received.resolve(args));
    const [caller] = host.signalr.connections('/appHub');
    caller?.send('SetAlarmState', true, { n: 1 }, undefined);
    await expect(received.promise).resolves.toEqual([true, { n: 1 }, null]);
    // Arguments JSON cannot carry are the caller's bug: a typed error, nothing sent.
    expect(() => caller?.send('SetAlarmState', 1n)).toThrow(
      expect.objectContaining({ code: 'SIGNALR_UNSERIALIZABLE' }),
    );
    await expect(connection.invoke('Add', 1, 2)).resolves.toBe(3);
  });

  it('shows the headers the client sent on the caller, names lower-cased', async () => {
    const seen = deferred<Readonly<Record<string, string>>>();
    const host = await startHost({
      hubs: {
        '/deviceHub': {
          methods: { Headers: { arity: 0, handler: (c) => seen.resolve(c.headers) } },
        },
      },
    });
    const { connection } = await connectClient(host, '/deviceHub', {
      headers: { WorkstationId: 'ws-42', DeviceId: 'ST10231190805' },
    });
    await connection.invoke('Headers');
    const headers = await seen.promise;
    expect(headers['workstationid']).toBe('ws-42');
    expect(headers['deviceid']).toBe('ST10231190805');
    expect(headers['user-agent']).toMatch(/^Microsoft SignalR\/\d+\.\d+ /);
    expect(headers['WorkstationId']).toBeUndefined();
  });

  it('serves two hubs on one server, each with its own methods and connections', async () => {
    const host = await startHost({
      hubs: {
        '/appHub': { methods: { Who: { arity: 0, handler: (c) => `app:${c.hub}` } } },
        '/deviceHub': { methods: { Who: { arity: 0, handler: (c) => `device:${c.hub}` } } },
      },
    });
    const app = await connectClient(host, '/appHub');
    const device = await connectClient(host, '/deviceHub');
    await expect(app.connection.invoke('Who')).resolves.toBe('app:/appHub');
    await expect(device.connection.invoke('who')).resolves.toBe('device:/deviceHub');
    expect(host.signalr.connections('/appHub').map((c) => c.connectionId)).toEqual([
      app.connection.connectionId,
    ]);
    expect(host.signalr.connections('/deviceHub').map((c) => c.connectionId)).toEqual([
      device.connection.connectionId,
    ]);
    expect(host.signalr.connections()).toHaveLength(2);
  });

  it('matches hub paths case-insensitively and with a trailing slash', async () => {
    const host = await startHost({ hubs: { '/appHub': echoHub() } });
    const lower = await connectClient(host, '/apphub');
    const slash = await connectClient(host, '/appHub/');
    await expect(lower.connection.invoke('Add', 1, 2)).resolves.toBe(3);
    await expect(slash.connection.invoke('Add', 2, 2)).resolves.toBe(4);
    expect(host.signalr.connections('/appHub')).toHaveLength(2);
  });
});
