// The message layer (docs/protocol.md §4–§6): request = command byte + CBOR map,
// response = status byte + optional CBOR map, event = event byte + CBOR map. Maps
// have small integer keys; a map with no fields may be left out. Unknown keys are
// ignored so a newer peer can add fields; unknown commands, events and statuses are
// refused. Every malformed input throws ProtocolError, nothing else.
import { DeviceErrorCode, isDeviceErrorCode } from '../../shared/errors/device-error-code';
import {
  type CborMap,
  check,
  decodeOptionalMap,
  encodeCborMap,
  readBool,
  readBytes,
  readOptionalBytes,
  readOptionalUint,
  readUint,
} from './cbor-map';
import { LICENSE_MAX_BYTES, LICENSE_SLOTS } from '../key/key-operations';
import { MAX_MESSAGE_SIZE } from './ctaphid';
import { decodeKeyInfo, encodeKeyInfo } from './key-info-codec';
import { Command, type Event, KeyEvent, type Request, type Response } from './messages';
import { ProtocolErrorCode, protocolError } from './protocol-error';

/** Codes and PINs are opaque bytes to the codec; the key enforces its own policy. */
export const SECRET_MIN_BYTES = 1;
export const SECRET_MAX_BYTES = 64;
export const WAIT_BUTTON_MAX_MS = 600_000;
export const REMOTE_CHANNEL_MAX = 0xff;
export { LICENSE_MAX_BYTES, LICENSE_SLOTS } from '../key/key-operations';

/** CBOR keys of each request's map. */
export const RequestKey = {
  UnlockWithCode: { code: 1 },
  EnterPin: { pin: 1 },
  SetPin: { newPin: 1, oldPin: 2 },
  WaitButton: { timeoutMs: 1 },
  RemoteCommand: { channel: 1, sealed: 2 },
  LoadLicense: { data: 1, slot: 2 },
} as const;

/** CBOR keys of response maps. */
export const ResponseKey = {
  /** On a failure status. */
  attemptsRemain: 1,
  /** On RemoteCommand OK. */
  sealed: 1,
} as const;

/** CBOR keys of each event's map. */
export const EventKey = {
  ButtonPressed: { presses: 1 },
  Battery: { battery: 1 },
  AccessChanged: { accessBits: 1, lockedByCode: 2, lockedByPin: 3 },
} as const;

const COMMANDS: ReadonlySet<number> = new Set(Object.values(Command));
const EVENTS: ReadonlySet<number> = new Set(Object.values(KeyEvent));
export const isCommand = (value: number): value is Command => COMMANDS.has(value);
export const isKeyEvent = (value: number): value is KeyEvent => EVENTS.has(value);

const withMap = (lead: number, fields: ReadonlyArray<readonly [number, unknown]>): Uint8Array => {
  const present = fields.filter(([, value]) => value !== undefined);
  const body = present.length === 0 ? new Uint8Array(0) : encodeCborMap(present);
  const out = new Uint8Array(1 + body.length);
  out[0] = lead;
  out.set(body, 1);
  if (out.length > MAX_MESSAGE_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, 'message is longer than 7609 bytes', {
      length: out.length,
      max: MAX_MESSAGE_SIZE,
    });
  }
  return out;
};

function split(bytes: Uint8Array, what: string): { lead: number; body: Uint8Array } {
  if (bytes.length === 0) {
    throw protocolError(ProtocolErrorCode.Truncated, `${what} is empty`, { length: 0 });
  }
  if (bytes.length > MAX_MESSAGE_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, `${what} is longer than 7609 bytes`, {
      length: bytes.length,
      max: MAX_MESSAGE_SIZE,
    });
  }
  return { lead: bytes[0] ?? 0, body: bytes.subarray(1) };
}

const secret = (value: Uint8Array, what: string, field: string): Uint8Array =>
  check.bytes(value, what, field, SECRET_MIN_BYTES, SECRET_MAX_BYTES);

// ---------------------------------------------------------------- requests

export function encodeRequest(request: Request): Uint8Array {
  switch (request.command) {
    case Command.GetInfo:
      return withMap(request.command, []);
    case Command.UnlockWithCode:
      return withMap(request.command, [
        [RequestKey.UnlockWithCode.code, secret(request.code, 'UnlockWithCode', 'code')],
      ]);
    case Command.EnterPin:
      return withMap(request.command, [
        [RequestKey.EnterPin.pin, secret(request.pin, 'EnterPin', 'pin')],
      ]);
    case Command.SetPin:
      return withMap(request.command, [
        [RequestKey.SetPin.newPin, secret(request.newPin, 'SetPin', 'newPin')],
        [
          RequestKey.SetPin.oldPin,
          request.oldPin === undefined ? undefined : secret(request.oldPin, 'SetPin', 'oldPin'),
        ],
      ]);
    case Command.WaitButton:
      return withMap(request.command, [
        [
          RequestKey.WaitButton.timeoutMs,
          check.uint(request.timeoutMs, 'WaitButton', 'timeoutMs', 1, WAIT_BUTTON_MAX_MS),
        ],
      ]);
    case Command.RemoteCommand:
      return withMap(request.command, [
        [
          RequestKey.RemoteCommand.channel,
          check.uint(request.channel, 'RemoteCommand', 'channel', 0, REMOTE_CHANNEL_MAX),
        ],
        [
          RequestKey.RemoteCommand.sealed,
          check.bytes(request.sealed, 'RemoteCommand', 'sealed', 1, MAX_MESSAGE_SIZE),
        ],
      ]);
    case Command.LoadLicense:
      return withMap(request.command, [
        [
          RequestKey.LoadLicense.data,
          check.bytes(request.data, 'LoadLicense', 'data', 1, LICENSE_MAX_BYTES),
        ],
        [
          RequestKey.LoadLicense.slot,
          request.slot === undefined
            ? undefined
            : check.uint(request.slot, 'LoadLicense', 'slot', 0, LICENSE_SLOTS - 1),
        ],
      ]);
    default:
      return unknownCommand((request as { command: unknown }).command);
  }
}

function unknownCommand(command: unknown): never {
  throw protocolError(ProtocolErrorCode.UnknownCommand, 'unknown command', {
    command: typeof command === 'number' ? command : -1,
  });
}

/** The key side: bytes from the host into a Request. */
export function decodeRequest(bytes: Uint8Array): Request {
  const { lead: command, body } = split(bytes, 'request');
  if (!isCommand(command)) unknownCommand(command);
  const map = decodeOptionalMap(body, 'request');
  const ref = (what: string, key: number, field: string) => ({ what, key, field });
  switch (command) {
    case Command.GetInfo:
      return { command };
    case Command.UnlockWithCode:
      return {
        command,
        code: readBytes(
          map,
          ref('UnlockWithCode', RequestKey.UnlockWithCode.code, 'code'),
          SECRET_MIN_BYTES,
          SECRET_MAX_BYTES,
        ),
      };
    case Command.EnterPin:
      return {
        command,
        pin: readBytes(
          map,
          ref('EnterPin', RequestKey.EnterPin.pin, 'pin'),
          SECRET_MIN_BYTES,
          SECRET_MAX_BYTES,
        ),
      };
    case Command.SetPin: {
      const newPin = readBytes(
        map,
        ref('SetPin', RequestKey.SetPin.newPin, 'newPin'),
        SECRET_MIN_BYTES,
        SECRET_MAX_BYTES,
      );
      const oldPin = readOptionalBytes(
        map,
        ref('SetPin', RequestKey.SetPin.oldPin, 'oldPin'),
        SECRET_MIN_BYTES,
        SECRET_MAX_BYTES,
      );
      return oldPin === undefined ? { command, newPin } : { command, newPin, oldPin };
    }
    case Command.WaitButton:
      return {
        command,
        timeoutMs: readUint(
          map,
          ref('WaitButton', RequestKey.WaitButton.timeoutMs, 'timeoutMs'),
          1,
          WAIT_BUTTON_MAX_MS,
        ),
      };
    case Command.RemoteCommand:
      return {
        command,
        channel: readUint(
          map,
          ref('RemoteCommand', RequestKey.RemoteCommand.channel, 'channel'),
          0,
          REMOTE_CHANNEL_MAX,
        ),
        sealed: readBytes(
          map,
          ref('RemoteCommand', RequestKey.RemoteCommand.sealed, 'sealed'),
          1,
          MAX_MESSAGE_SIZE,
        ),
      };
    case Command.LoadLicense: {
      const data = readBytes(
        map,
        ref('LoadLicense', RequestKey.LoadLicense.data, 'data'),
        1,
        LICENSE_MAX_BYTES,
      );
      const slot = readOptionalUint(
        map,
        ref('LoadLicense', RequestKey.LoadLicense.slot, 'slot'),
        0,
        LICENSE_SLOTS - 1,
      );
      return slot === undefined ? { command, data } : { command, data, slot };
    }
  }
}

// ---------------------------------------------------------------- responses

export function encodeResponse(response: Response): Uint8Array {
  if (!isCommand(response.command)) unknownCommand(response.command);
  if (!isDeviceErrorCode(response.status)) {
    throw protocolError(ProtocolErrorCode.BadField, 'response: status is not a known status code', {
      field: 'status',
    });
  }
  if (response.status !== DeviceErrorCode.OK) {
    const attempts = 'attemptsRemain' in response ? response.attemptsRemain : undefined;
    return withMap(response.status, [
      [
        ResponseKey.attemptsRemain,
        attempts === undefined
          ? undefined
          : check.uint(attempts, 'response', 'attemptsRemain', 0, 255),
      ],
    ]);
  }
  if ('info' in response) {
    return withMap(DeviceErrorCode.OK, [...encodeKeyInfo(response.info)]);
  }
  if ('sealed' in response) {
    return withMap(DeviceErrorCode.OK, [
      [ResponseKey.sealed, check.bytes(response.sealed, 'response', 'sealed', 1, MAX_MESSAGE_SIZE)],
    ]);
  }
  const command = response.command as number;
  if (command === Command.GetInfo || command === Command.RemoteCommand) {
    // The types forbid it, but a caller outside TypeScript's reach may still try.
    throw protocolError(
      ProtocolErrorCode.BadField,
      'response: an OK reply to this command has a body',
      {
        field: command === Command.GetInfo ? 'info' : 'sealed',
      },
    );
  }
  return withMap(DeviceErrorCode.OK, []);
}

/** The host side: the key's reply to `command`. */
export function decodeResponse(command: Command, bytes: Uint8Array): Response {
  if (!isCommand(command)) unknownCommand(command);
  const { lead: status, body } = split(bytes, 'response');
  if (!isDeviceErrorCode(status)) {
    throw protocolError(ProtocolErrorCode.BadField, 'response: status is not a known status code', {
      field: 'status',
      status,
    });
  }
  const map: CborMap = decodeOptionalMap(body, 'response');
  if (status !== DeviceErrorCode.OK) {
    const attemptsRemain = readOptionalUint(
      map,
      { what: 'response', key: ResponseKey.attemptsRemain, field: 'attemptsRemain' },
      0,
      255,
    );
    return attemptsRemain === undefined ? { command, status } : { command, status, attemptsRemain };
  }
  switch (command) {
    case Command.GetInfo:
      if (body.length === 0) {
        throw protocolError(
          ProtocolErrorCode.BadField,
          'GetInfo response: the KeyInfo map is missing',
          {
            field: 'info',
          },
        );
      }
      return { command, status, info: decodeKeyInfo(map) };
    case Command.RemoteCommand:
      return {
        command,
        status,
        sealed: readBytes(
          map,
          { what: 'RemoteCommand response', key: ResponseKey.sealed, field: 'sealed' },
          1,
          MAX_MESSAGE_SIZE,
        ),
      };
    default:
      return { command, status };
  }
}

// ---------------------------------------------------------------- events

export function encodeEvent(event: Event): Uint8Array {
  switch (event.event) {
    case KeyEvent.ButtonPressed:
      return withMap(event.event, [
        [
          EventKey.ButtonPressed.presses,
          check.uint(event.presses, 'ButtonPressed', 'presses', 1, 255),
        ],
      ]);
    case KeyEvent.LongPress:
      return withMap(event.event, []);
    case KeyEvent.Battery:
      return withMap(event.event, [
        [EventKey.Battery.battery, check.uint(event.battery, 'Battery', 'battery', 0, 100)],
      ]);
    case KeyEvent.AccessChanged:
      return withMap(event.event, [
        [
          EventKey.AccessChanged.accessBits,
          check.uint(event.accessBits, 'AccessChanged', 'accessBits', 0, 0xff),
        ],
        [
          EventKey.AccessChanged.lockedByCode,
          check.bool(event.lockedByCode, 'AccessChanged', 'lockedByCode'),
        ],
        [
          EventKey.AccessChanged.lockedByPin,
          check.bool(event.lockedByPin, 'AccessChanged', 'lockedByPin'),
        ],
      ]);
    default:
      return unknownEvent((event as { event: unknown }).event);
  }
}

function unknownEvent(event: unknown): never {
  throw protocolError(ProtocolErrorCode.UnknownCommand, 'unknown event', {
    event: typeof event === 'number' ? event : -1,
  });
}

export function decodeEvent(bytes: Uint8Array): Event {
  const { lead: event, body } = split(bytes, 'event');
  if (!isKeyEvent(event)) unknownEvent(event);
  const map = decodeOptionalMap(body, 'event');
  switch (event) {
    case KeyEvent.ButtonPressed:
      return {
        event,
        presses: readUint(
          map,
          { what: 'ButtonPressed', key: EventKey.ButtonPressed.presses, field: 'presses' },
          1,
          255,
        ),
      };
    case KeyEvent.LongPress:
      return { event };
    case KeyEvent.Battery:
      return {
        event,
        battery: readUint(
          map,
          { what: 'Battery', key: EventKey.Battery.battery, field: 'battery' },
          0,
          100,
        ),
      };
    case KeyEvent.AccessChanged: {
      const what = 'AccessChanged';
      const keys = EventKey.AccessChanged;
      return {
        event,
        accessBits: readUint(map, { what, key: keys.accessBits, field: 'accessBits' }, 0, 0xff),
        lockedByCode: readBool(map, { what, key: keys.lockedByCode, field: 'lockedByCode' }),
        lockedByPin: readBool(map, { what, key: keys.lockedByPin, field: 'lockedByPin' }),
      };
    }
  }
}
