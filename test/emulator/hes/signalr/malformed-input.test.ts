import { afterEach, describe, expect, it } from 'vitest';
import type { HubDefinition } from '../../../../emulator/hes/signalr';
import {
  RS,
  closeAll,
  connectClient,
  negotiate,
  nextNonPing,
  rawConnected,
  rawSocket,
  records,
  startHost,
} from './signalr-hosts';

afterEach(closeAll);

const hub: HubDefinition = {
  methods: { Echo: { arity: 1, handler: (_c, [value]) => value } },
};

const CLOSE_WITH_ERROR = `{"type":7,"error":"Connection closed with an error."}${RS}`;

describe('SignalR server facing malformed frames from a raw WebSocket client', () => {
  const malformed: [string, string | Uint8Array][] = [
    ['text that is not JSON', `not json${RS}`],
    ['an empty record', RS],
    ['a JSON array', `[1,2]${RS}`],
    ['a message without type', `{"target":"Echo","arguments":[]}${RS}`],
    ['a string type', `{"type":"1","target":"Echo","arguments":[]}${RS}`],
    ['an unknown message type', `{"type":99}${RS}`],
    ['a type of the stateful-reconnect protocol (Ack)', `{"type":8,"sequenceId":1}${RS}`],
    ['an invocation without target', `{"type":1,"invocationId":"1","arguments":[]}${RS}`],
    ['an invocation without arguments', `{"type":1,"invocationId":"1","target":"Echo"}${RS}`],
    ['arguments that are not an array', `{"type":1,"target":"Echo","arguments":{"0":1}}${RS}`],
    ['a numeric invocationId', `{"type":1,"invocationId":1,"target":"Echo","arguments":[1]}${RS}`],
    [
      'a completion with result and error',
      `{"type":3,"invocationId":"1","result":1,"error":"e"}${RS}`,
    ],
    ['a partial record (no separator)', `{"type":6}`],
    ['a good record followed by a partial one', `{"type":6}${RS}{"type":6}`],
    ['a good record followed by a bad one', `{"type":6}${RS}nope${RS}`],
    ['a binary frame that is not UTF-8', new Uint8Array([0xff, 0xfe, 0x1e])],
    [
      'JSON nested deeper than the reader’s 64 levels',
      `{"type":1,"target":"Echo","arguments":[${'['.repeat(63)}${']'.repeat(63)}]}${RS}`,
    ],
  ];

  it.each(malformed)(
    'closes with an error on %s, and keeps serving others',
    async (_name, frame) => {
      const host = await startHost({ hubs: { '/appHub': hub } });
      const raw = await rawConnected(host, '/appHub');
      raw.send(frame);
      await expect(nextNonPing(raw)).resolves.toBe(CLOSE_WITH_ERROR);
      await expect(raw.closed).resolves.toBe(1000);
      const { connection } = await connectClient(host, '/appHub');
      await expect(connection.invoke('Echo', 'ok')).resolves.toBe('ok');
    },
  );

  it('reads JSON nested exactly 64 levels deep', async () => {
    const host = await startHost({ hubs: { '/appHub': hub } });
    const raw = await rawConnected(host, '/appHub');
    const nested = `${'['.repeat(62)}${']'.repeat(62)}`;
    raw.send(`{"type":1,"invocationId":"d","target":"Echo","arguments":[${nested}]}${RS}`);
    expect(records(await nextNonPing(raw))).toEqual([
      { type: 3, invocationId: 'd', result: JSON.parse(nested) as unknown },
    ]);
  });

  it('ignores an empty frame, pings, client completions and stream items', async () => {
    const host = await startHost({ hubs: { '/appHub': hub } });
    const raw = await rawConnected(host, '/appHub');
    raw.send('');
    raw.send(`{"type":6}${RS}{"type":3,"invocationId":"x","result":1}${RS}`);
    raw.send(`{"type":2,"invocationId":"x","item":1}${RS}{"type":5,"invocationId":"x"}${RS}`);
    raw.send(`{"type":1,"invocationId":"9","target":"Echo","arguments":[9]}${RS}`);
    expect(records(await nextNonPing(raw))).toEqual([{ type: 3, invocationId: '9', result: 9 }]);
  });

  it('answers a stream invocation with a completion error (no streaming methods)', async () => {
    const host = await startHost({ hubs: { '/appHub': hub } });
    const raw = await rawConnected(host, '/appHub');
    raw.send(`{"type":4,"invocationId":"s1","target":"echo","arguments":[1]}${RS}`);
    expect(records(await nextNonPing(raw))).toEqual([
      {
        type: 3,
        invocationId: 's1',
        error:
          "The client attempted to invoke the non-streaming 'echo' method with a streaming invocation.",
      },
    ]);
    raw.send(`{"type":4,"invocationId":"s2","target":"Nope","arguments":[]}${RS}`);
    expect(records(await nextNonPing(raw))).toEqual([
      {
        type: 3,
        invocationId: 's2',
        error:
          "Failed to invoke 'Nope' due to an error on the server. HubException: Method does not exist.",
      },
    ]);
    raw.send(
      `{"type":1,"invocationId":"s3","target":"Echo","arguments":[1],"streamIds":["a"]}${RS}`,
    );
    expect(records(await nextNonPing(raw))).toEqual([
      {
        type: 3,
        invocationId: 's3',
        error:
          "An unexpected error occurred invoking 'Echo' on the server. HubException: Client sent 1 stream(s), Hub method expects 0.",
      },
    ]);
  });

  it('treats a Close message from the client as the end of the connection', async () => {
    const host = await startHost({ hubs: { '/appHub': hub } });
    const raw = await rawConnected(host, '/appHub');
    raw.send(`{"type":7}${RS}`);
    await expect(raw.closed).resolves.toBe(1000);
  });
});

describe('SignalR handshake', () => {
  const open = async (handshakeTimeoutMs?: number) => {
    const host = await startHost({
      hubs: { '/appHub': hub },
      ...(handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs } : {}),
    });
    const { connectionToken } = await negotiate(host, '/appHub');
    return rawSocket(host, '/appHub', connectionToken);
  };

  const refused: [string, string, string][] = [
    [
      'another protocol',
      `{"protocol":"messagepack","version":1}${RS}`,
      "The protocol 'messagepack' is not supported.",
    ],
    [
      'another version',
      `{"protocol":"json","version":2}${RS}`,
      "The server does not support version 2 of the 'json' protocol.",
    ],
    [
      'a handshake that is not JSON',
      `hello${RS}`,
      'An unexpected error occurred during connection handshake. InvalidDataException',
    ],
    [
      'a handshake without version',
      `{"protocol":"json"}${RS}`,
      'An unexpected error occurred during connection handshake. InvalidDataException',
    ],
    [
      'a handshake without separator',
      `{"protocol":"json","version":1}`,
      'An unexpected error occurred during connection handshake. InvalidDataException',
    ],
  ];

  it.each(refused)(
    'refuses %s with a handshake error, then closes',
    async (_name, request, error) => {
      const raw = await open();
      raw.send(request);
      expect(records(await raw.next())).toEqual([{ error }]);
      await expect(raw.closed).resolves.toBe(1000);
    },
  );

  it('cancels a handshake that does not come within handshakeTimeoutMs', async () => {
    const raw = await open(20);
    expect(records(await raw.next())).toEqual([{ error: 'Handshake was canceled.' }]);
    await expect(raw.closed).resolves.toBe(1000);
  });
});
