import { decode, encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { decodeKeyInfo, encodeKeyInfo, KeyInfoKey } from '../../../device/protocol/key-info-codec';
import {
  decodeEvent,
  decodeRequest,
  decodeResponse,
  encodeEvent,
  encodeRequest,
  encodeResponse,
} from '../../../device/protocol/message-codec';
import { Command, KeyEvent } from '../../../device/protocol/messages';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import {
  anyCommand,
  decodesOrRefuses,
  event,
  fromHex,
  hex,
  keyInfo,
  mutate,
  refusal,
  request,
  response,
} from './arbitraries';

const sampleInfo = fc.sample(keyInfo, { seed: 42, numRuns: 1 })[0]!;
const cbor = (value: unknown): Uint8Array => encode(value);
const decodeMap = (bytes: Uint8Array) => decode<Map<unknown, unknown>>(bytes, { preferMap: true });
const withLead = (lead: number, body: Uint8Array = new Uint8Array(0)) =>
  Uint8Array.from([lead, ...body]);

describe('message layer round trips', () => {
  it('every request decodes to itself', () => {
    fc.assert(
      fc.property(request, (r) => {
        expect(decodeRequest(encodeRequest(r))).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });

  it('every response decodes to itself', () => {
    fc.assert(
      fc.property(response, (r) => {
        expect(decodeResponse(r.command, encodeResponse(r))).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });

  it('every event decodes to itself', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(decodeEvent(encodeEvent(e))).toEqual(e);
      }),
      { numRuns: 300 },
    );
  });

  it('every KeyInfo decodes to itself', () => {
    fc.assert(
      fc.property(keyInfo, (info) => {
        expect(decodeKeyInfo(encodeKeyInfo(info))).toEqual(info);
      }),
      { numRuns: 300 },
    );
  });
});

describe('message layer framing', () => {
  it('a request with no fields is the command byte alone, and an empty map is accepted too', () => {
    expect(hex(encodeRequest({ command: Command.GetInfo }))).toBe('01');
    expect(decodeRequest(fromHex('01a0'))).toEqual({ command: Command.GetInfo });
  });

  it('UnlockWithCode carries the code as a byte string under key 1', () => {
    const code = new TextEncoder().encode('123456');
    expect(hex(encodeRequest({ command: Command.UnlockWithCode, code }))).toBe(
      '02a10146313233343536',
    );
  });

  it('a failure carries attemptsRemain under key 1', () => {
    const bytes = encodeResponse({
      command: Command.UnlockWithCode,
      status: DeviceErrorCode.ERR_PIN_WRONG,
      attemptsRemain: 2,
    });
    expect(hex(bytes)).toBe('13a10102');
  });

  it('unknown keys are ignored for forward compatibility', () => {
    const body = cbor(
      new Map<number, unknown>([
        [1, Uint8Array.of(1)],
        [99, 'future'],
      ]),
    );
    expect(decodeRequest(withLead(Command.EnterPin, body))).toEqual({
      command: Command.EnterPin,
      pin: Uint8Array.of(1),
    });
  });
});

describe('VerifyChannel (0x08)', () => {
  const nonce = (length: number) => new Uint8Array(length).fill(0xa5);
  const requestBytes = (channel: unknown, bytes: unknown) =>
    withLead(
      Command.VerifyChannel,
      cbor(
        new Map<number, unknown>([
          [1, channel],
          [2, bytes],
        ]),
      ),
    );

  it('carries the channel under key 1 and the nonce under key 2; the reply under key 1', () => {
    expect(
      hex(encodeRequest({ command: Command.VerifyChannel, channel: 4, nonce: nonce(16) })),
    ).toBe(`08a201040250${'a5'.repeat(16)}`);
    expect(
      hex(
        encodeResponse({
          command: Command.VerifyChannel,
          status: DeviceErrorCode.OK,
          verifyReply: Uint8Array.of(1, 2),
        }),
      ),
    ).toBe('00a101420102');
  });

  it('a nonce must be 16..64 bytes and a channel 0..255, both ways', () => {
    for (const length of [16, 64]) {
      expect(decodeRequest(requestBytes(0, nonce(length)))).toEqual({
        command: Command.VerifyChannel,
        channel: 0,
        nonce: nonce(length),
      });
    }
    for (const [channel, length] of [
      [4, 15],
      [4, 65],
      [4, 0],
      [256, 16],
      [-1, 16],
    ] as const) {
      const field = length < 16 || length > 64 ? 'nonce' : 'channel';
      const decoded = refusal(
        () => decodeRequest(requestBytes(channel, nonce(length))),
        ProtocolErrorCode.BadField,
      );
      expect(decoded.details).toEqual({ field });
      refusal(
        () => encodeRequest({ command: Command.VerifyChannel, channel, nonce: nonce(length) }),
        ProtocolErrorCode.BadField,
      );
    }
    refusal(() => decodeRequest(requestBytes(4, 'a text nonce')), ProtocolErrorCode.BadField);
    refusal(() => decodeRequest(fromHex('08a10104')), ProtocolErrorCode.BadField);
  });

  it('an OK reply must carry a verifyReply of 1..128 bytes; a failure carries none', () => {
    refusal(
      () => decodeResponse(Command.VerifyChannel, Uint8Array.of(0)),
      ProtocolErrorCode.BadField,
    );
    for (const length of [0, 129]) {
      const bytes = withLead(0, cbor(new Map([[1, new Uint8Array(length)]])));
      refusal(() => decodeResponse(Command.VerifyChannel, bytes), ProtocolErrorCode.BadField);
      refusal(
        () =>
          encodeResponse({
            command: Command.VerifyChannel,
            status: DeviceErrorCode.OK,
            verifyReply: new Uint8Array(length),
          }),
        ProtocolErrorCode.BadField,
      );
    }
    // A body-less OK, which the types forbid, is refused rather than sent.
    const bodiless = { command: Command.VerifyChannel, status: DeviceErrorCode.OK } as never;
    expect(refusal(() => encodeResponse(bodiless), ProtocolErrorCode.BadField).details).toEqual({
      field: 'verifyReply',
    });
    expect(
      decodeResponse(Command.VerifyChannel, Uint8Array.of(DeviceErrorCode.ERR_UNSUPPORTED)),
    ).toEqual({ command: Command.VerifyChannel, status: DeviceErrorCode.ERR_UNSUPPORTED });
  });
});

describe('malformed messages', () => {
  it('an empty message is truncated', () => {
    refusal(() => decodeRequest(new Uint8Array(0)), ProtocolErrorCode.Truncated);
    refusal(() => decodeResponse(Command.GetInfo, new Uint8Array(0)), ProtocolErrorCode.Truncated);
    refusal(() => decodeEvent(new Uint8Array(0)), ProtocolErrorCode.Truncated);
  });

  it('an unknown command or event byte is refused', () => {
    expect(
      refusal(() => decodeRequest(Uint8Array.of(0x7e)), ProtocolErrorCode.UnknownCommand).details,
    ).toEqual({
      command: 0x7e,
    });
    refusal(() => decodeEvent(Uint8Array.of(0x00)), ProtocolErrorCode.UnknownCommand);
    refusal(
      () => decodeResponse(0x42 as Command, Uint8Array.of(0)),
      ProtocolErrorCode.UnknownCommand,
    );
  });

  it('an unknown status byte is a bad field', () => {
    refusal(
      () => decodeResponse(Command.EnterPin, Uint8Array.of(0xee)),
      ProtocolErrorCode.BadField,
    );
  });

  it('bad CBOR: not well-formed, trailing bytes, not a map, text keys, duplicate keys, indefinite length', () => {
    const cases = ['a1', 'a1010100', '8101', 'a1616101', 'a201400140', 'bf0140ff', 'a101f97e00'];
    for (const body of cases) {
      refusal(() => decodeRequest(fromHex(`03${body}`)), ProtocolErrorCode.BadCbor);
    }
  });

  it('a missing or mistyped field is a bad field, naming the field and not the value', () => {
    const missing = refusal(() => decodeRequest(fromHex('03a0')), ProtocolErrorCode.BadField);
    expect(missing.details).toEqual({ field: 'pin' });
    refusal(() => decodeRequest(fromHex('03a10101')), ProtocolErrorCode.BadField);
    refusal(
      () => decodeRequest(withLead(3, cbor(new Map([[1, new Uint8Array(65)]])))),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => decodeRequest(withLead(3, cbor(new Map([[1, new Uint8Array(0)]])))),
      ProtocolErrorCode.BadField,
    );
    refusal(() => decodeRequest(withLead(5, cbor(new Map([[1, 0]])))), ProtocolErrorCode.BadField);
    refusal(
      () => decodeRequest(withLead(5, cbor(new Map([[1, 600_001]])))),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () =>
        decodeRequest(
          withLead(
            6,
            cbor(
              new Map<number, unknown>([
                [1, 256],
                [2, Uint8Array.of(1)],
              ]),
            ),
          ),
        ),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => decodeEvent(withLead(KeyEvent.Battery, cbor(new Map([[1, 101]])))),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => decodeEvent(withLead(KeyEvent.ButtonPressed, cbor(new Map([[1, 0]])))),
      ProtocolErrorCode.BadField,
    );
    // AccessChanged's lock state comes whole or not at all, with a known lock reason.
    const flags: [number, unknown][] = [
      [1, 0x18],
      [2, false],
      [3, false],
    ];
    refusal(
      () => decodeEvent(withLead(KeyEvent.AccessChanged, cbor(new Map([...flags, [5, 3]])))),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () =>
        decodeEvent(
          withLead(
            KeyEvent.AccessChanged,
            cbor(new Map([...flags, [4, false], [5, 3], [6, 5], [7, 9]])),
          ),
        ),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => decodeResponse(Command.EnterPin, withLead(0x13, cbor(new Map([[1, 256]])))),
      ProtocolErrorCode.BadField,
    );
    refusal(() => decodeResponse(Command.GetInfo, Uint8Array.of(0)), ProtocolErrorCode.BadField);
    refusal(
      () => decodeResponse(Command.RemoteCommand, Uint8Array.of(0)),
      ProtocolErrorCode.BadField,
    );
  });

  it('a PIN never appears in the error for a malformed request', () => {
    const pin = 'S3CR3T-PIN-4242';
    const body = cbor(new Map<number, unknown>([[1, pin]]));
    const error = refusal(
      () => decodeRequest(withLead(Command.EnterPin, body)),
      ProtocolErrorCode.BadField,
    );
    expect(JSON.stringify(error.toJSON())).not.toContain(pin);
    expect(error.message).not.toContain(pin);
  });

  it('KeyInfo fields are range-checked', () => {
    const good = encodeKeyInfo(sampleInfo);
    const withField = (key: number, value: unknown) => new Map([...good, [key, value]]);
    const bad: [number, unknown][] = [
      [KeyInfoKey.battery, 101],
      [KeyInfoKey.mac, new Uint8Array(5)],
      [KeyInfoKey.firmwareVersion, '1.2'],
      [KeyInfoKey.firmwareVersion, '1.2.65536'],
      [KeyInfoKey.serialNo, ''],
      [KeyInfoKey.serialNo, 'x'.repeat(65)],
      [KeyInfoKey.unlockAttemptsRemain, 256],
      [KeyInfoKey.pinAttemptsRemain, -1],
      [KeyInfoKey.codeLockReason, 7],
      [KeyInfoKey.maxMessageSize, 7610],
      [KeyInfoKey.storageFreeSize, sampleInfo.storageTotalSize + 1],
      [KeyInfoKey.bootloaderMode, 1],
      [KeyInfoKey.storageTimestamp, 2 ** 32],
    ];
    for (const [key, value] of bad) {
      refusal(() => decodeKeyInfo(withField(key, value)), ProtocolErrorCode.BadField);
    }
    const missing = new Map(good);
    missing.delete(KeyInfoKey.lockedByPin);
    refusal(() => decodeKeyInfo(missing), ProtocolErrorCode.BadField);
    refusal(() => decodeKeyInfo('not a map'), ProtocolErrorCode.BadCbor);
  });

  it('access bits this version does not know are ignored', () => {
    const map = new Map([...encodeKeyInfo(sampleInfo), [KeyInfoKey.accessBits, 0x40 | 0x01]]);
    expect(decodeKeyInfo(map).access.linkRequired).toBe(true);
  });

  it('encoders refuse values the decoders would refuse', () => {
    refusal(
      () => encodeRequest({ command: Command.EnterPin, pin: new Uint8Array(0) }),
      ProtocolErrorCode.BadField,
    );
    refusal(
      () => encodeEvent({ event: KeyEvent.Battery, battery: 200 }),
      ProtocolErrorCode.BadField,
    );
    refusal(() => encodeKeyInfo({ ...sampleInfo, mac: 'aa:bb' }), ProtocolErrorCode.BadField);
    refusal(() => encodeRequest({ command: 0x77 } as never), ProtocolErrorCode.UnknownCommand);
  });

  it('arbitrary bytes decode or throw ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), anyCommand, (bytes, command) => {
        decodesOrRefuses(() => decodeRequest(bytes));
        decodesOrRefuses(() => decodeResponse(command, bytes));
        decodesOrRefuses(() => decodeEvent(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('well-formed CBOR maps of any shape decode or throw ProtocolError, nothing else', () => {
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer({ min: -1000, max: 70_000 }),
        fc.bigInt({ min: -(1n << 64n), max: (1n << 64n) - 1n }),
        fc.boolean(),
        fc.constant(null),
        fc.string({ maxLength: 70 }),
        fc.uint8Array({ maxLength: 70 }),
        fc.array(tie('value'), { maxLength: 3 }),
        tie('map'),
      ),
      map: fc
        .array(fc.tuple(fc.integer({ min: -2, max: 20 }), tie('value')), { maxLength: 20 })
        .map((entries) => new Map(entries)),
    }));
    const body = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 20 }), value), { maxLength: 20 })
      .map((entries) => cbor(new Map(entries)));
    fc.assert(
      fc.property(fc.nat(0x1f), body, anyCommand, (lead, map, command) => {
        const bytes = withLead(lead, map);
        decodesOrRefuses(() => decodeRequest(bytes));
        decodesOrRefuses(() => decodeResponse(command, bytes));
        decodesOrRefuses(() => decodeEvent(bytes));
        decodesOrRefuses(() =>
          decodeKeyInfo(new Map([...encodeKeyInfo(sampleInfo), ...decodeMap(map)])),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('mutated valid encodings decode or throw ProtocolError, nothing else', () => {
    const encoded = fc.oneof(
      request.map((r) => ({ bytes: encodeRequest(r), command: r.command })),
      response.map((r) => ({ bytes: encodeResponse(r), command: r.command })),
      event.map((e) => ({ bytes: encodeEvent(e), command: Command.GetInfo })),
    );
    fc.assert(
      fc.property(
        encoded.chain(({ bytes, command }) => fc.tuple(mutate(bytes), fc.constant(command))),
        ([bytes, command]) => {
          decodesOrRefuses(() => decodeRequest(bytes));
          decodesOrRefuses(() => decodeResponse(command, bytes));
          decodesOrRefuses(() => decodeEvent(bytes));
        },
      ),
      { numRuns: 500 },
    );
  });
});
