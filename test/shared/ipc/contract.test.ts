// The command table: any call is either parsed exactly or refused with a stable code,
// never thrown, and a refusal never carries what was submitted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_NAMES,
  COMMANDS,
  EVENTS,
  EVENT_NAMES,
  INPUT_ERROR_MESSAGES,
  InputErrorCode,
  IpcErrorCode,
  IPC_ERROR_MESSAGES,
  SECRET_ARGS,
  parseCommand,
  activationCodeRule,
  pinRule,
} from '../../../shared/ipc/contract';

const digitString = fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 12 });
const argument = fc.oneof(
  digitString,
  fc.string(),
  fc.constant('ST10000000000001'),
  fc.constant('https://hes.example.com'),
  fc.constant(null),
  fc.anything(),
);
const call = fc.record({
  name: fc.oneof(fc.constantFrom(...COMMAND_NAMES), fc.string(), fc.anything()),
  args: fc.oneof(fc.array(argument, { maxLength: 5 }), fc.anything()),
});
const KNOWN_CODES = new Set<string>([
  ...Object.values(InputErrorCode),
  ...Object.values(IpcErrorCode),
]);
const KNOWN_MESSAGES = new Set([
  ...Object.values(INPUT_ERROR_MESSAGES),
  ...Object.values(IPC_ERROR_MESSAGES),
]);

describe('parseCommand', () => {
  it('never throws; refusals are {code, message} with a fixed message, free of the input', () => {
    fc.assert(
      fc.property(call, ({ name, args }) => {
        const result = parseCommand(name, args);
        if (result.ok) {
          expect(result.command.name).toBe(name);
          expect(result.command.args).toEqual(args);
          return;
        }
        expect(Object.keys(result.error).sort()).toEqual(['code', 'message']);
        expect(KNOWN_MESSAGES.has(result.error.message)).toBe(true);
        // Code and message come from fixed sets, so nothing submitted can be in them.
        expect(KNOWN_CODES.has(String(result.error.code))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts nothing the table does not: arity is exact, names are own keys', () => {
    expect(parseCommand('toString', []).ok).toBe(false);
    expect(parseCommand('__proto__', []).ok).toBe(false);
    expect(parseCommand('constructor', []).ok).toBe(false);
    expect(parseCommand('getSnapshot', [1]).ok).toBe(false);
    expect(parseCommand('getSnapshot', {}).ok).toBe(false);
    expect(parseCommand('cancelPrompt', []).ok).toBe(false);
    expect(parseCommand('submitPin', ['ST1', '1234', 'extra']).ok).toBe(false);
    expect(parseCommand('setServerUrl', [null])).toEqual({
      ok: true,
      command: { name: 'setServerUrl', args: [null] },
    });
    expect(parseCommand('checkServer', [null]).ok).toBe(false);
  });

  it('a rule broken in a well-formed call answers the rule; a wrong shape is IPC_BAD_REQUEST', () => {
    const code = (name: string, args: unknown): unknown => {
      const r = parseCommand(name, args);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code('submitActivationCode', ['ST1', '12345'])).toBe('INPUT_CODE_TOO_SHORT');
    expect(code('submitActivationCode', ['ST1', '123456789'])).toBe('INPUT_CODE_TOO_LONG');
    expect(code('submitActivationCode', ['ST1', '12345x'])).toBe('INPUT_CODE_NOT_DIGITS');
    expect(code('submitActivationCode', ['ST1', 123456])).toBe('IPC_BAD_REQUEST');
    expect(code('submitActivationCode', ['ST1'])).toBe('IPC_BAD_REQUEST');
    expect(code('submitNewPin', ['ST1', '1234', '123456789'])).toBe('INPUT_PIN_TOO_LONG');
    expect(code('changePin', ['ST1', '', '1234', '1234'])).toBe('INPUT_PIN_EMPTY');
    expect(code('setServerUrl', ['ftp://x'])).toBe('INPUT_URL_INVALID');
    expect(code('cancelPrompt', ['../etc'])).toBe('INPUT_SERIAL_INVALID');
    expect(code('nope', [])).toBe('IPC_BAD_REQUEST');
  });

  it('every command marks its secret arguments inside its tuple', () => {
    for (const name of COMMAND_NAMES) {
      const items: readonly unknown[] = COMMANDS[name];
      const secretItems = items
        .map((item, index) => (item === pinRule || item === activationCodeRule ? index : -1))
        .filter((index) => index >= 0);
      expect([name, SECRET_ARGS[name]]).toEqual([name, secretItems]);
    }
    expect(SECRET_ARGS.submitActivationCode).toEqual([1]);
    expect(SECRET_ARGS.changePin).toEqual([1, 2, 3]);
  });
});

describe('event schemas', () => {
  it('never throw on arbitrary payloads', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_NAMES), fc.anything(), (name, payload) => {
        expect(() => EVENTS[name].safeParse(payload)).not.toThrow();
      }),
    );
  });

  it('accept a well-formed notice and snapshot, refuse broken ones', () => {
    expect(
      EVENTS.notice.safeParse({ serialNo: 'ST1', kind: 'locked', severity: 'error' }).success,
    ).toBe(true);
    expect(
      EVENTS.notice.safeParse({ serialNo: 'ST1', kind: 'nope', severity: 'error' }).success,
    ).toBe(false);
    const snapshot = {
      server: { connection: { state: 'offline', reason: 'timeout' } },
      links: { usb: 'ready', ble: 'poweredOff', bleDetail: 'Bluetooth is off' },
      keys: [
        {
          serialNo: 'ST1',
          name: 'Key',
          connection: 'connected',
          step: 'awaitingPin',
          prompt: { kind: 'pin', attemptsRemain: 3, minLength: 4, maxLength: 8 },
          view: {
            kind: 'pinRequired',
            messageKey: 'view.pinRequired',
            params: { attemptsRemain: 3, minPinLength: 4 },
            severity: 'info',
            actions: ['enterPin'],
          },
          history: [
            { time: '2025-01-01T00:00:00Z', from: null, to: 2, reason: null, source: 'server' },
          ],
        },
      ],
    };
    const parsed = EVENTS.snapshot.safeParse(snapshot);
    expect(parsed.success).toBe(true);
    expect(
      EVENTS.snapshot.safeParse({ ...snapshot, keys: [{ ...snapshot.keys[0], step: 'x' }] })
        .success,
    ).toBe(false);
    expect(
      EVENTS.snapshot.safeParse({ ...snapshot, links: { usb: 'on', ble: 'ready' } }).success,
    ).toBe(false);
  });
});
