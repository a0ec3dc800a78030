// The key side of the message layer: what a host sent, decoded per command with
// the same field checks as the builders (fields.ts), for the virtual Key 3. A
// payload the builders could not have produced is BadField, so the key answers
// "invalid parameter" without acting on it.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { readU16BE, readU16LE, readU32LE, stripZeroPadding } from './bytes';
import { checkChannel } from './channels';
import { Key3Command } from './command-codes';
import {
  ACCESS_LAYOUT,
  ACCESS_PAYLOAD_BYTES,
  CODE_FIELD_BYTES,
  MASTER_KEY_BYTES,
  MAX_MAX_ATTEMPTS,
  MIN_MAX_ATTEMPTS,
  NONCE_BYTES,
  PIN_FIELD_BYTES,
  PUBLIC_KEY_BYTES,
  checkCode,
  checkPin,
  checkPublicKey,
} from './fields';
import { MESSAGE_HEADER_BYTES } from './message';

/** ACCESS fields. The three requirement bytes are passed through as the server set them. */
export interface Key3AccessParams {
  readonly masterKeyReq: number;
  readonly pinReq: number;
  readonly buttonReq: number;
  readonly pinMinLength: number;
  readonly pinMaxTries: number;
  /** Unix seconds (LE on the wire). */
  readonly unixTime: number;
  /** Seconds (LE on the wire). */
  readonly masterKeyExpiry: number;
  readonly pinExpiry: number;
  /** One byte. */
  readonly buttonExpiry: number;
  readonly masterKey: Uint8Array;
}

type C = typeof Key3Command;
type Req<K extends Key3Command, T = unknown> = {
  readonly command: K;
  readonly payload: Uint8Array;
} & T;

export type Key3Request =
  | Req<
      C['VERIFY'],
      {
        readonly channel: number;
        readonly hostPublicKey: Uint8Array;
        readonly hostNonce: Uint8Array;
      }
    >
  | Req<C['GETINFO'] | C['GETROOTKEY'] | C['FETCHLOG'] | C['CLEARLOG'] | C['BOOT']>
  | Req<C['UNLOCKDEVICECODE'], { readonly code: Uint8Array }>
  | Req<C['ENTERPIN'], { readonly pin: Uint8Array }>
  /** oldPin is empty when the host sent none. */
  | Req<C['SETPIN'], { readonly newPin: Uint8Array; readonly oldPin: Uint8Array }>
  | Req<C['SETPIN'], { readonly newPin: Uint8Array; readonly masterKey: Uint8Array }>
  | Req<
      C['LINK'] | C['LOCKDEVICECODE'],
      { readonly masterKey: Uint8Array; readonly code: Uint8Array; readonly maxAttempts: number }
    >
  | Req<C['ACCESS'], { readonly access: Key3AccessParams }>
  | Req<C['CONFIRM'], { readonly value: number }>
  | Req<C['CHECKPASSPHRASE'], { readonly unixTime: number; readonly data: Uint8Array }>
  | Req<C['LOADLICENSE'], { readonly slot: number; readonly data: Uint8Array }>
  | Req<C['QUERYLICENSE'], { readonly slot: number }>
  | Req<C['GETOTP'], { readonly a: number; readonly b: number }>
  /** Opaque or echoed bytes: data is the payload. */
  | Req<
      C['PING'] | C['UNLOCK'] | C['WIPE'] | C['CLOSECHANNEL'] | C['BOOST'],
      { readonly data: Uint8Array }
    >;

function exactly(payload: Uint8Array, length: number, command: number): void {
  if (payload.length !== length) {
    throw protocolError(
      payload.length < length ? ProtocolErrorCode.Truncated : ProtocolErrorCode.BadField,
      'a payload of the wrong length',
      { command, length: payload.length, need: length },
    );
  }
}

function atLeast(payload: Uint8Array, length: number, command: number): void {
  if (payload.length < length) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a payload too short', {
      command,
      length: payload.length,
      need: length,
    });
  }
}

/** A zero-padded code field, its padding removed and its digits checked. */
function codeField(field: Uint8Array): Uint8Array {
  const code = stripZeroPadding(field);
  checkCode(code);
  return code;
}

function pinField(name: string, field: Uint8Array, optional = false): Uint8Array {
  const pin = stripZeroPadding(field);
  if (!(optional && pin.length === 0)) checkPin(name, pin);
  return pin;
}

function decodeAccess(p: Uint8Array): Key3AccessParams {
  if (p[0] !== ACCESS_LAYOUT) {
    throw protocolError(ProtocolErrorCode.BadField, 'an unknown ACCESS layout', {
      field: 'layout',
      value: p[0] ?? -1,
    });
  }
  return {
    masterKeyReq: p[1] ?? 0,
    pinReq: p[2] ?? 0,
    buttonReq: p[3] ?? 0,
    pinMinLength: p[4] ?? 0,
    pinMaxTries: p[5] ?? 0,
    unixTime: readU32LE(p, 8),
    masterKeyExpiry: readU32LE(p, 12),
    pinExpiry: readU32LE(p, 16),
    buttonExpiry: p[20] ?? 0,
    masterKey: p.slice(24, 24 + MASTER_KEY_BYTES),
  };
}

function decodePayload(command: number, p: Uint8Array): Key3Request {
  const K = Key3Command;
  switch (command) {
    case K.VERIFY: {
      exactly(p, 1 + PUBLIC_KEY_BYTES + NONCE_BYTES, command);
      const channel = p[0] ?? 0;
      checkChannel(channel);
      const hostPublicKey = p.slice(1, 1 + PUBLIC_KEY_BYTES);
      checkPublicKey('hostPublicKey', hostPublicKey);
      return {
        command,
        payload: p,
        channel,
        hostPublicKey,
        hostNonce: p.slice(1 + PUBLIC_KEY_BYTES),
      };
    }
    case K.GETINFO:
    case K.GETROOTKEY:
    case K.FETCHLOG:
    case K.CLEARLOG:
    case K.BOOT:
      exactly(p, 0, command);
      return { command, payload: p };
    case K.UNLOCKDEVICECODE:
      exactly(p, CODE_FIELD_BYTES, command);
      return { command, payload: p, code: codeField(p) };
    case K.ENTERPIN:
      exactly(p, PIN_FIELD_BYTES, command);
      return { command, payload: p, pin: pinField('pin', p) };
    case K.SETPIN: {
      if (p.length !== 2 * PIN_FIELD_BYTES) exactly(p, PIN_FIELD_BYTES + MASTER_KEY_BYTES, command);
      const newPin = pinField('newPin', p.subarray(0, PIN_FIELD_BYTES));
      const rest = p.subarray(PIN_FIELD_BYTES);
      return p.length === 2 * PIN_FIELD_BYTES
        ? { command, payload: p, newPin, oldPin: pinField('oldPin', rest, true) }
        : { command, payload: p, newPin, masterKey: rest.slice() };
    }
    case K.LINK:
    case K.LOCKDEVICECODE: {
      exactly(p, MASTER_KEY_BYTES + CODE_FIELD_BYTES + 1, command);
      const maxAttempts = p[MASTER_KEY_BYTES + CODE_FIELD_BYTES] ?? 0;
      if (maxAttempts < MIN_MAX_ATTEMPTS || maxAttempts > MAX_MAX_ATTEMPTS) {
        throw protocolError(ProtocolErrorCode.BadField, 'maxAttempts must be 3..15', {
          field: 'maxAttempts',
        });
      }
      return {
        command,
        payload: p,
        masterKey: p.slice(0, MASTER_KEY_BYTES),
        code: codeField(p.subarray(MASTER_KEY_BYTES, MASTER_KEY_BYTES + CODE_FIELD_BYTES)),
        maxAttempts,
      };
    }
    case K.ACCESS:
      exactly(p, ACCESS_PAYLOAD_BYTES, command);
      return { command, payload: p, access: decodeAccess(p) };
    case K.CONFIRM:
      exactly(p, 2, command);
      return { command, payload: p, value: readU16LE(p, 0) };
    case K.CHECKPASSPHRASE:
      atLeast(p, 4, command);
      return { command, payload: p, unixTime: readU32LE(p, 0), data: p.slice(4) };
    case K.LOADLICENSE:
      atLeast(p, 2, command);
      return { command, payload: p, slot: p[0] ?? 0, data: p.slice(1) };
    case K.QUERYLICENSE:
      exactly(p, 1, command);
      return { command, payload: p, slot: p[0] ?? 0 };
    case K.GETOTP:
      exactly(p, 4, command);
      return { command, payload: p, a: readU16BE(p, 0), b: readU16BE(p, 2) };
    case K.PING:
    case K.CLOSECHANNEL:
    case K.BOOST:
      return { command, payload: p, data: p.slice() };
    case K.UNLOCK:
    case K.WIPE:
      atLeast(p, 1, command);
      return { command, payload: p, data: p.slice() };
    default:
      throw protocolError(ProtocolErrorCode.UnknownCommand, 'an unknown request', { command });
  }
}

/**
 * A decrypted request: its command and payload (cut to the length field; the
 * padding after it is not checked) with that command's fields. Replies (INFO,
 * SUCCESS, …) and unknown codes are UnknownCommand.
 */
export function decodeRequest(plain: Uint8Array): Key3Request {
  if (plain.length < MESSAGE_HEADER_BYTES) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a request shorter than its header', {
      length: plain.length,
    });
  }
  const command = readU16BE(plain, 0);
  const length = readU16BE(plain, 2);
  const available = plain.length - MESSAGE_HEADER_BYTES;
  if (length > available) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a request length past its bytes', {
      command,
      length,
      available,
    });
  }
  return decodePayload(command, plain.slice(MESSAGE_HEADER_BYTES, MESSAGE_HEADER_BYTES + length));
}
