// The message layer (docs/protocol.md §4–§6): request = command byte + CBOR map,
// response = status byte + optional CBOR map, event = event byte + CBOR map. Maps
// have small integer keys; a map with no fields may be left out. Unknown keys are
// ignored so a newer peer can add fields; unknown commands, events and statuses are
// refused. Every malformed input throws ProtocolError, nothing else. Requests and
// responses are coded here; events in event-codec.ts, re-exported here so the
// message layer keeps one entry point.
import { DeviceErrorCode, isDeviceErrorCode } from '../../shared/errors/device-error-code';
import {
  type CborMap,
  check,
  decodeOptionalMap,
  readBytes,
  readOptionalBytes,
  readOptionalUint,
  readUint,
} from './cbor-map';
import { LICENSE_MAX_BYTES, LICENSE_SLOTS } from '../key/key-operations';
import { MAX_MESSAGE_SIZE } from './ctaphid';
import { decodeKeyInfo, encodeKeyInfo } from './key-info-codec';
import { split, withMap } from './message-frame';
import { Command, type Request, type Response } from './messages';
import { ProtocolErrorCode, protocolError } from './protocol-error';
export { decodeEvent, encodeEvent, EventKey, isKeyEvent } from './event-codec';

/** Codes and PINs are opaque bytes to the codec; the key enforces its own policy. */
export const SECRET_MIN_BYTES = 1;
export const SECRET_MAX_BYTES = 64;
export const WAIT_BUTTON_MAX_MS = 600_000;
export const REMOTE_CHANNEL_MAX = 0xff;
/** The server's VerifyChannel challenge: at least 128 bits, so a recorded answer never fits again. */
export const VERIFY_NONCE_MIN_BYTES = 16;
export const VERIFY_NONCE_MAX_BYTES = 64;
/** The key's verifyReply is opaque to the host; the bound only keeps the field small. */
export const VERIFY_REPLY_MAX_BYTES = 128;
export { LICENSE_MAX_BYTES, LICENSE_SLOTS } from '../key/key-operations';

/** CBOR keys of each request's map. */
export const RequestKey = {
  UnlockWithCode: { code: 1 },
  EnterPin: { pin: 1 },
  SetPin: { newPin: 1, oldPin: 2 },
  WaitButton: { timeoutMs: 1 },
  RemoteCommand: { channel: 1, sealed: 2 },
  LoadLicense: { data: 1, slot: 2 },
  VerifyChannel: { channel: 1, nonce: 2 },
} as const;

/** CBOR keys of response maps. */
export const ResponseKey = {
  /** On a failure status. */
  attemptsRemain: 1,
  /** On RemoteCommand OK. */
  sealed: 1,
  /** On VerifyChannel OK. */
  verifyReply: 1,
} as const;

const COMMANDS: ReadonlySet<number> = new Set(Object.values(Command));
export const isCommand = (value: number): value is Command => COMMANDS.has(value);

const secret = (value: Uint8Array, what: string, field: string): Uint8Array =>
  check.bytes(value, what, field, SECRET_MIN_BYTES, SECRET_MAX_BYTES);

/** The server's channel, as RemoteCommand and VerifyChannel both carry it. */
type ChannelCommand = 'RemoteCommand' | 'VerifyChannel';
const channelEntry = (what: ChannelCommand, channel: number): readonly [number, number] => [
  RequestKey[what].channel,
  check.uint(channel, what, 'channel', 0, REMOTE_CHANNEL_MAX),
];
const readChannel = (map: CborMap, what: ChannelCommand): number =>
  readUint(map, { what, key: RequestKey[what].channel, field: 'channel' }, 0, REMOTE_CHANNEL_MAX);

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
        channelEntry('RemoteCommand', request.channel),
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
    case Command.VerifyChannel:
      return withMap(request.command, [
        channelEntry('VerifyChannel', request.channel),
        [
          RequestKey.VerifyChannel.nonce,
          check.bytes(
            request.nonce,
            'VerifyChannel',
            'nonce',
            VERIFY_NONCE_MIN_BYTES,
            VERIFY_NONCE_MAX_BYTES,
          ),
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
        channel: readChannel(map, 'RemoteCommand'),
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
    case Command.VerifyChannel:
      return {
        command,
        channel: readChannel(map, 'VerifyChannel'),
        nonce: readBytes(
          map,
          ref('VerifyChannel', RequestKey.VerifyChannel.nonce, 'nonce'),
          VERIFY_NONCE_MIN_BYTES,
          VERIFY_NONCE_MAX_BYTES,
        ),
      };
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
  if ('verifyReply' in response) {
    return withMap(DeviceErrorCode.OK, [
      [
        ResponseKey.verifyReply,
        check.bytes(response.verifyReply, 'response', 'verifyReply', 1, VERIFY_REPLY_MAX_BYTES),
      ],
    ]);
  }
  const field = OK_BODY[response.command];
  if (field !== undefined) {
    // The types forbid it, but a caller outside TypeScript's reach may still try.
    throw protocolError(
      ProtocolErrorCode.BadField,
      'response: an OK reply to this command has a body',
      { field },
    );
  }
  return withMap(DeviceErrorCode.OK, []);
}

/** The body field of an OK reply to the commands that have one. */
const OK_BODY: Partial<Record<Command, string>> = {
  [Command.GetInfo]: 'info',
  [Command.RemoteCommand]: 'sealed',
  [Command.VerifyChannel]: 'verifyReply',
};

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
    case Command.VerifyChannel:
      return {
        command,
        status,
        verifyReply: readBytes(
          map,
          { what: 'VerifyChannel response', key: ResponseKey.verifyReply, field: 'verifyReply' },
          1,
          VERIFY_REPLY_MAX_BYTES,
        ),
      };
    default:
      return { command, status };
  }
}
