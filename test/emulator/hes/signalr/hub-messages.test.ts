import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closeRecord,
  completionErrorRecord,
  completionResultRecord,
  handshakeResponseRecord,
  invocationRecord,
  parseHandshakeRequest,
  parseHubMessage,
  pingRecord,
} from '../../../../emulator/hes/signalr/hub-messages';
import { SignalRErrorCode, isSignalRError } from '../../../../emulator/hes/signalr/signalr-error';

const onlySignalRErrors = (parse: (text: string) => unknown) => (text: string) => {
  try {
    parse(text);
  } catch (e) {
    expect(isSignalRError(e)).toBe(true);
  }
};

// What JSON can carry exactly: -0 would come back as 0 and fail a round trip that is fine.
const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const invocation = fc.record(
  {
    type: fc.constant(1 as const),
    invocationId: fc.string({ minLength: 1 }),
    target: fc.string({ minLength: 1 }),
    arguments: fc.array(json, { maxLength: 4 }),
    streamIds: fc.array(fc.string(), { maxLength: 2 }),
  },
  { requiredKeys: ['type', 'target', 'arguments'] },
);
const anyMessageObject = fc.record(
  {
    type: fc.oneof(fc.integer({ min: -2, max: 10 }), json),
    invocationId: json,
    target: json,
    arguments: json,
    result: json,
    error: json,
    item: json,
    allowReconnect: json,
    streamIds: json,
  },
  { requiredKeys: [] },
);

describe('SignalR JSON hub messages', () => {
  it('never throws anything but a SignalRError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), onlySignalRErrors(parseHubMessage)));
    fc.assert(fc.property(fc.json(), onlySignalRErrors(parseHubMessage)));
    fc.assert(
      fc.property(anyMessageObject, (o) => onlySignalRErrors(parseHubMessage)(JSON.stringify(o))),
      { numRuns: 500 },
    );
  });

  it('parses every well-formed invocation to the same data', () => {
    fc.assert(
      fc.property(invocation, (message) => {
        expect(parseHubMessage(JSON.stringify(message))).toEqual(message);
      }),
    );
  });

  it('reads a null or absent invocationId as fire-and-forget', () => {
    expect(parseHubMessage('{"type":1,"invocationId":null,"target":"A","arguments":[]}')).toEqual({
      type: 1,
      target: 'A',
      arguments: [],
    });
    expect(parseHubMessage('{"type":1,"target":"A","arguments":[1]}')).toEqual({
      type: 1,
      target: 'A',
      arguments: [1],
    });
  });

  it('reads the other message types the JSON protocol version 1 defines', () => {
    expect(parseHubMessage('{"type":2,"invocationId":"1","item":null}')).toEqual({
      type: 2,
      invocationId: '1',
      item: null,
    });
    expect(parseHubMessage('{"type":3,"invocationId":"1","result":{"a":1}}')).toEqual({
      type: 3,
      invocationId: '1',
      result: { a: 1 },
    });
    expect(parseHubMessage('{"type":3,"invocationId":"1","error":"x"}')).toEqual({
      type: 3,
      invocationId: '1',
      error: 'x',
    });
    expect(parseHubMessage('{"type":3,"invocationId":"1"}')).toEqual({
      type: 3,
      invocationId: '1',
    });
    expect(parseHubMessage('{"type":4,"invocationId":"1","target":"S","arguments":[]}')).toEqual({
      type: 4,
      invocationId: '1',
      target: 'S',
      arguments: [],
    });
    expect(parseHubMessage('{"type":5,"invocationId":"1"}')).toEqual({
      type: 5,
      invocationId: '1',
    });
    expect(parseHubMessage('{"type":6}')).toEqual({ type: 6 });
    expect(parseHubMessage('{"type":7,"error":"bye","allowReconnect":true}')).toEqual({
      type: 7,
      error: 'bye',
      allowReconnect: true,
    });
  });

  it('refuses what ASP.NET refuses, with a stable code', () => {
    const cases: [string, string][] = [
      ['{', SignalRErrorCode.BadJson],
      ['null', SignalRErrorCode.BadJson],
      ['"text"', SignalRErrorCode.BadJson],
      ['{}', SignalRErrorCode.BadMessage],
      ['{"type":1.5}', SignalRErrorCode.BadMessage],
      ['{"type":0}', SignalRErrorCode.UnknownMessageType],
      ['{"type":9,"sequenceId":1}', SignalRErrorCode.UnknownMessageType],
      ['{"type":1,"arguments":[]}', SignalRErrorCode.BadMessage],
      ['{"type":1,"target":5,"arguments":[]}', SignalRErrorCode.BadMessage],
      ['{"type":1,"target":"A","arguments":[],"streamIds":[1]}', SignalRErrorCode.BadMessage],
      ['{"type":2,"invocationId":"1"}', SignalRErrorCode.BadMessage],
      ['{"type":3}', SignalRErrorCode.BadMessage],
      ['{"type":3,"invocationId":"1","error":5}', SignalRErrorCode.BadMessage],
      ['{"type":4,"invocationId":"1","target":"S"}', SignalRErrorCode.BadMessage],
      ['{"type":5}', SignalRErrorCode.BadMessage],
      ['{"type":7,"allowReconnect":"yes"}', SignalRErrorCode.BadMessage],
    ];
    for (const [text, code] of cases) {
      expect(() => parseHubMessage(text), text).toThrow(expect.objectContaining({ code }));
    }
  });

  it('parses handshake requests and refuses arbitrary text with a typed error only', () => {
    expect(parseHandshakeRequest('{"protocol":"json","version":1}')).toEqual({
      protocol: 'json',
      version: 1,
    });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), onlySignalRErrors(parseHandshakeRequest)));
    fc.assert(fc.property(fc.json(), onlySignalRErrors(parseHandshakeRequest)));
    expect(() => parseHandshakeRequest('{"protocol":"json","version":"1"}')).toThrow(
      expect.objectContaining({ code: SignalRErrorCode.BadHandshake }),
    );
  });

  it('writes the records the server sends, each ending with 0x1E', () => {
    expect(handshakeResponseRecord()).toBe('{}\u001e');
    expect(handshakeResponseRecord('no')).toBe('{"error":"no"}\u001e');
    expect(invocationRecord('SetAlarmState', [true])).toBe(
      '{"type":1,"target":"SetAlarmState","arguments":[true]}\u001e',
    );
    expect(completionResultRecord('7', { code: 0 })).toBe(
      '{"type":3,"invocationId":"7","result":{"code":0}}\u001e',
    );
    expect(completionResultRecord('7', undefined)).toBe('{"type":3,"invocationId":"7"}\u001e');
    expect(completionErrorRecord('7', 'e')).toBe('{"type":3,"invocationId":"7","error":"e"}\u001e');
    expect(pingRecord()).toBe('{"type":6}\u001e');
    expect(closeRecord()).toBe('{"type":7}\u001e');
    expect(closeRecord('x')).toBe('{"type":7,"error":"x"}\u001e');
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(json, { maxLength: 4 }), (target, args) => {
        const text = invocationRecord(target, args).slice(0, -1);
        expect(parseHubMessage(text)).toEqual(JSON.parse(text));
      }),
    );
  });
});
