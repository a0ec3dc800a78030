// fast-check generators for every valid protocol value, and the checks the
// property tests share ("decodes or throws ProtocolError, and nothing else").
import fc from 'fast-check';
import { expect } from 'vitest';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import {
  AccessFlagBit,
  type AccessFlagName,
  type AccessFlags,
  CodeLockReason,
  type KeyInfo,
} from '../../../shared/key/key-info';
import { MAX_MESSAGE_SIZE } from '../../../device/protocol/ctaphid';
import {
  Command,
  type Event,
  KeyEvent,
  type Request,
  type Response,
} from '../../../device/protocol/messages';
import {
  type ProtocolError,
  type ProtocolErrorCode,
  isProtocolError,
} from '../../../device/protocol/protocol-error';
import {
  type AccessParams,
  type RemoteOp,
  RemoteOpCode,
  type RemoteReply,
} from '../../../emulator/remote-channel/ops';

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const name = fc.string({ unit: printable, minLength: 1, maxLength: 64 });
const version = fc
  .tuple(fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffff))
  .map((parts) => parts.join('.'));
const mac = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((b) => [...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(':'));
const byte = fc.nat(255);
const uint32 = fc.nat(0xffffffff);

export const accessFlags: fc.Arbitrary<AccessFlags> = fc.record(
  Object.fromEntries(
    (Object.keys(AccessFlagBit) as AccessFlagName[]).map((n) => [n, fc.boolean()]),
  ) as Record<AccessFlagName, fc.Arbitrary<boolean>>,
);

export const keyInfo: fc.Arbitrary<KeyInfo> = fc
  .record({
    serialNo: name,
    mac,
    model: name,
    firmwareVersion: version,
    bootloaderVersion: version,
    bootloaderMode: fc.boolean(),
    battery: fc.integer({ min: 0, max: 100 }),
    storageTotalSize: uint32,
    freeFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    storageTimestamp: uint32,
    access: accessFlags,
    lockedByCode: fc.boolean(),
    lockedByPin: fc.boolean(),
    canUnlock: fc.boolean(),
    unlockAttemptsRemain: byte,
    pinAttemptsRemain: byte,
    minPinLength: fc.integer({ min: 0, max: 64 }),
    codeLockReason: fc.constantFrom(...Object.values(CodeLockReason)),
    maxMessageSize: fc.integer({ min: 64, max: MAX_MESSAGE_SIZE }),
  })
  .map(({ freeFraction, ...rest }) => ({
    ...rest,
    storageFreeSize: Math.floor(rest.storageTotalSize * freeFraction),
  }));

/** A VerifyChannel challenge (16..64 bytes). */
export const verifyNonce = fc.uint8Array({ minLength: 16, maxLength: 64 });

/** Opaque secret bytes as the message layer carries them (1..64). */
const secretBytes = fc.uint8Array({ minLength: 1, maxLength: 64 });

export const request: fc.Arbitrary<Request> = fc.oneof(
  fc.constant({ command: Command.GetInfo } as const),
  secretBytes.map((code) => ({ command: Command.UnlockWithCode, code }) as const),
  secretBytes.map((pin) => ({ command: Command.EnterPin, pin }) as const),
  fc
    .tuple(secretBytes, fc.option(secretBytes, { nil: undefined }))
    .map(([newPin, oldPin]) =>
      oldPin === undefined
        ? ({ command: Command.SetPin, newPin } as const)
        : ({ command: Command.SetPin, newPin, oldPin } as const),
    ),
  fc
    .integer({ min: 1, max: 600_000 })
    .map((timeoutMs) => ({ command: Command.WaitButton, timeoutMs }) as const),
  fc
    .tuple(byte, fc.uint8Array({ minLength: 1, maxLength: 2000 }))
    .map(([channel, sealed]) => ({ command: Command.RemoteCommand, channel, sealed }) as const),
  fc
    .tuple(
      fc.uint8Array({ minLength: 1, maxLength: 1024 }),
      fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
    )
    .map(([data, slot]) =>
      slot === undefined
        ? ({ command: Command.LoadLicense, data } as const)
        : ({ command: Command.LoadLicense, data, slot } as const),
    ),
  fc
    .tuple(byte, verifyNonce)
    .map(([channel, nonce]) => ({ command: Command.VerifyChannel, channel, nonce }) as const),
);

type FailureStatus = Exclude<DeviceErrorCode, typeof DeviceErrorCode.OK>;
const failureStatus = fc.constantFrom<FailureStatus>(
  ...Object.values(DeviceErrorCode).filter((s): s is FailureStatus => s !== DeviceErrorCode.OK),
);
export const anyCommand = fc.constantFrom(...Object.values(Command));

export const response: fc.Arbitrary<Response> = fc.oneof(
  keyInfo.map((info) => ({ command: Command.GetInfo, status: DeviceErrorCode.OK, info }) as const),
  fc
    .uint8Array({ minLength: 1, maxLength: 2000 })
    .map(
      (sealed) => ({ command: Command.RemoteCommand, status: DeviceErrorCode.OK, sealed }) as const,
    ),
  fc
    .uint8Array({ minLength: 1, maxLength: 128 })
    .map(
      (verifyReply) =>
        ({ command: Command.VerifyChannel, status: DeviceErrorCode.OK, verifyReply }) as const,
    ),
  fc
    .constantFrom(Command.UnlockWithCode, Command.EnterPin, Command.SetPin, Command.WaitButton)
    .map((command) => ({ command, status: DeviceErrorCode.OK }) as const),
  fc
    .tuple(anyCommand, failureStatus, fc.option(byte, { nil: undefined }))
    .map(([command, status, attemptsRemain]) =>
      attemptsRemain === undefined ? { command, status } : { command, status, attemptsRemain },
    ),
);

export const event: fc.Arbitrary<Event> = fc.oneof(
  fc
    .integer({ min: 1, max: 255 })
    .map((presses) => ({ event: KeyEvent.ButtonPressed, presses }) as const),
  fc.constant({ event: KeyEvent.LongPress } as const),
  fc
    .integer({ min: 0, max: 100 })
    .map((battery) => ({ event: KeyEvent.Battery, battery }) as const),
  fc
    .record(
      {
        accessBits: byte,
        lockedByCode: fc.boolean(),
        lockedByPin: fc.boolean(),
        lockDetail: fc.record(
          {
            canUnlock: fc.boolean(),
            unlockAttemptsRemain: byte,
            pinAttemptsRemain: byte,
            codeLockReason: fc.constantFrom(0, 1, 2),
            pinSet: fc.boolean(),
          },
          {
            requiredKeys: [
              'canUnlock',
              'unlockAttemptsRemain',
              'pinAttemptsRemain',
              'codeLockReason',
            ],
          },
        ),
      },
      { requiredKeys: ['accessBits', 'lockedByCode', 'lockedByPin'] },
    )
    .map((r) => ({ event: KeyEvent.AccessChanged, ...r }) as const),
);

export const masterKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
export const activationCode = fc
  .array(fc.integer({ min: 0x30, max: 0x39 }), { minLength: 6, maxLength: 8 })
  .map((digits) => Uint8Array.from(digits));

export const accessParams: fc.Arbitrary<AccessParams> = fc.record({
  masterKeyBond: fc.boolean(),
  masterKeyConnect: fc.boolean(),
  masterKeyChannel: fc.boolean(),
  buttonBond: fc.boolean(),
  buttonConnect: fc.boolean(),
  buttonChannel: fc.boolean(),
  pinBond: fc.boolean(),
  pinConnect: fc.boolean(),
  pinChannel: fc.boolean(),
  pinMinLength: fc.integer({ min: 1, max: 64 }),
  pinMaxTries: fc.integer({ min: 1, max: 255 }),
  pinExpirationSeconds: uint32,
  buttonExpirationSeconds: uint32,
  masterKeyExpirationSeconds: uint32,
});

export const remoteOp: fc.Arbitrary<RemoteOp> = fc.oneof(
  fc.constant({ op: RemoteOpCode.GetState } as const),
  fc.record({
    op: fc.constantFrom(RemoteOpCode.Link, RemoteOpCode.LockDeviceCode),
    masterKey,
    code: activationCode,
    attempts: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    op: fc.constant(RemoteOpCode.Access),
    time: uint32,
    masterKey,
    profile: accessParams,
  }),
  fc.record({
    op: fc.constantFrom(RemoteOpCode.Wipe, RemoteOpCode.CheckPassphrase),
    masterKey,
  }),
);

const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
export const sealCounter = uint64;

export const remoteReply: fc.Arbitrary<RemoteReply> = fc.oneof(
  keyInfo.map((info) => ({ status: DeviceErrorCode.OK, info }) as const),
  fc
    .tuple(failureStatus, fc.option(uint64, { nil: undefined }))
    .map(([status, lastCounter]) =>
      lastCounter === undefined ? { status } : { status, lastCounter },
    ),
);

/** Flips, inserts, deletes or truncates bytes of a valid encoding. */
export const mutate = (bytes: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc
      .tuple(fc.nat(Math.max(0, bytes.length - 1)), fc.integer({ min: 1, max: 255 }))
      .map(([at, xor]) => {
        const copy = Uint8Array.from(bytes);
        if (copy.length > 0) copy[at] = (copy[at] ?? 0) ^ xor;
        return copy;
      }),
    fc.nat(bytes.length).map((cut) => bytes.slice(0, cut)),
    fc
      .tuple(fc.nat(bytes.length), fc.uint8Array({ minLength: 1, maxLength: 4 }))
      .map(([at, extra]) => Uint8Array.from([...bytes.slice(0, at), ...extra, ...bytes.slice(at)])),
    fc
      .tuple(fc.nat(Math.max(0, bytes.length - 1)), fc.integer({ min: 1, max: 8 }))
      .map(([at, n]) => Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(at + n)])),
  );

/** Runs a decoder: it may return, or throw a ProtocolError; any other throw fails the test. */
export function decodesOrRefuses(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    if (!isProtocolError(e)) {
      throw new Error(`expected a ProtocolError, got ${String(e)}`, { cause: e });
    }
  }
}

/** Asserts that fn throws a ProtocolError with this code, and returns it. */
export function refusal(fn: () => unknown, code: ProtocolErrorCode): ProtocolError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isProtocolError(caught), `expected ProtocolError ${code}, got ${String(caught)}`).toBe(
    true,
  );
  expect((caught as { code: string }).code).toBe(code);
  return caught as ProtocolError;
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (text: string): Uint8Array =>
  Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/**
 * Payloads of 0..max bytes spread over the whole range (fast-check's default size
 * would keep them under ~10 bytes), with the framing boundaries picked often. The
 * bytes come from a seeded generator so big payloads stay cheap to build.
 */
export function payload(max: number, boundaries: readonly number[] = []): fc.Arbitrary<Uint8Array> {
  const length = fc.oneof(
    fc.constantFrom(...[0, 1, max, ...boundaries].filter((n) => n >= 0 && n <= max)),
    fc.integer({ min: 0, max }),
  );
  return fc.tuple(length, fc.integer()).map(([n, seed]) => {
    const out = new Uint8Array(n);
    let x = seed | 1;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  });
}
