// Request builders (reference §3.1): each returns the plain message — header,
// payload, zero padding — ready for the session to seal (VERIFY goes unencrypted).
// Fields are checked before anything is built, so a bad code or PIN never reaches
// the wire; errors name the field and its length, never its bytes.
import { checkInteger, checkLength, concat, padTo, writeU16LE, writeU32LE } from './bytes';
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
  checkCode,
  checkPin,
  checkPublicKey,
} from './fields';
import { MAX_PAYLOAD_BYTES, encodeMessage } from './message';
import type { Key3AccessParams } from './requests';

export * from './command-codes';
export * from './fields';
export { type Key3AccessParams, type Key3Request, decodeRequest } from './requests';

const u32LE = (field: string, value: number): Uint8Array => {
  checkInteger(field, value, 0, 0xffffffff);
  const out = new Uint8Array(4);
  writeU32LE(out, 0, value);
  return out;
};

/** VERIFY (plaintext): ch ‖ hostEphemeralPub65 ‖ hostNonce8, 80 bytes padded. */
export function verify(
  channel: number,
  hostPublicKey: Uint8Array,
  hostNonce: Uint8Array,
): Uint8Array {
  checkChannel(channel);
  checkPublicKey('hostPublicKey', hostPublicKey);
  checkLength('hostNonce', hostNonce, NONCE_BYTES);
  return encodeMessage(
    Key3Command.VERIFY,
    concat(Uint8Array.of(channel), hostPublicKey, hostNonce),
  );
}

export const getInfo = (): Uint8Array => encodeMessage(Key3Command.GETINFO);
export const getRootKey = (): Uint8Array => encodeMessage(Key3Command.GETROOTKEY);
export const fetchLog = (): Uint8Array => encodeMessage(Key3Command.FETCHLOG);
export const clearLog = (): Uint8Array => encodeMessage(Key3Command.CLEARLOG);
export const boot = (): Uint8Array => encodeMessage(Key3Command.BOOT);

/** UNLOCKDEVICECODE: the activation code (6–8 ASCII digits) zero-padded to 8. */
export function unlockDeviceCode(code: Uint8Array): Uint8Array {
  checkCode(code);
  return encodeMessage(Key3Command.UNLOCKDEVICECODE, padTo(code, CODE_FIELD_BYTES));
}

/** ENTERPIN: the PIN (1–8 bytes) zero-padded to 8. */
export function enterPin(pin: Uint8Array): Uint8Array {
  checkPin('pin', pin);
  return encodeMessage(Key3Command.ENTERPIN, padTo(pin, PIN_FIELD_BYTES));
}

/** SETPIN form 1: newPin ‖ oldPin, each padded to 8; no (or an empty) old PIN is 8 zeros. */
export function setPin(newPin: Uint8Array, oldPin: Uint8Array = new Uint8Array(0)): Uint8Array {
  checkPin('newPin', newPin);
  if (oldPin.length > 0) checkPin('oldPin', oldPin);
  return encodeMessage(
    Key3Command.SETPIN,
    concat(padTo(newPin, PIN_FIELD_BYTES), padTo(oldPin, PIN_FIELD_BYTES)),
  );
}

/** SETPIN form 2 (HES): newPin padded to 8 ‖ masterKey32. */
export function setPinWithMasterKey(newPin: Uint8Array, masterKey: Uint8Array): Uint8Array {
  checkPin('newPin', newPin);
  checkLength('masterKey', masterKey, MASTER_KEY_BYTES);
  return encodeMessage(Key3Command.SETPIN, concat(padTo(newPin, PIN_FIELD_BYTES), masterKey));
}

function codeLock(
  command: number,
  masterKey: Uint8Array,
  code: Uint8Array,
  maxAttempts: number,
): Uint8Array {
  checkLength('masterKey', masterKey, MASTER_KEY_BYTES);
  checkCode(code);
  checkInteger('maxAttempts', maxAttempts, MIN_MAX_ATTEMPTS, MAX_MAX_ATTEMPTS);
  return encodeMessage(
    command,
    concat(masterKey, padTo(code, CODE_FIELD_BYTES), Uint8Array.of(maxAttempts)),
  );
}

/** LINK: masterKey32 ‖ code padded to 8 ‖ maxAttempts (3–15). */
export const link = (masterKey: Uint8Array, code: Uint8Array, maxAttempts: number): Uint8Array =>
  codeLock(Key3Command.LINK, masterKey, code, maxAttempts);

/** LOCKDEVICECODE: the LINK layout. */
export const lockDeviceCode = (
  masterKey: Uint8Array,
  code: Uint8Array,
  maxAttempts: number,
): Uint8Array => codeLock(Key3Command.LOCKDEVICECODE, masterKey, code, maxAttempts);

/**
 * ACCESS: `01 ‖ mk ‖ pin ‖ button ‖ pinMinLen ‖ pinMaxTries ‖ 00 00 ‖ time LE ‖
 * mkExpiry LE ‖ pinExpiry LE ‖ buttonExpiry ‖ 00 00 00 ‖ masterKey32` (56 bytes).
 */
export function access(params: Key3AccessParams): Uint8Array {
  for (const field of [
    'masterKeyReq',
    'pinReq',
    'buttonReq',
    'pinMinLength',
    'pinMaxTries',
    'buttonExpiry',
  ] as const) {
    checkInteger(field, params[field], 0, 0xff);
  }
  checkLength('masterKey', params.masterKey, MASTER_KEY_BYTES);
  const out = new Uint8Array(ACCESS_PAYLOAD_BYTES);
  out.set([
    ACCESS_LAYOUT,
    params.masterKeyReq,
    params.pinReq,
    params.buttonReq,
    params.pinMinLength,
    params.pinMaxTries,
  ]);
  out.set(u32LE('unixTime', params.unixTime), 8);
  out.set(u32LE('masterKeyExpiry', params.masterKeyExpiry), 12);
  out.set(u32LE('pinExpiry', params.pinExpiry), 16);
  out[20] = params.buttonExpiry;
  out.set(params.masterKey, 24);
  return encodeMessage(Key3Command.ACCESS, out);
}

/** WIPE: opaque bytes (the master key). */
export function wipe(masterKey: Uint8Array): Uint8Array {
  checkLength('masterKey', masterKey, 1, MAX_PAYLOAD_BYTES);
  return encodeMessage(Key3Command.WIPE, masterKey);
}

/** UNLOCK: opaque bytes supplied by HES. */
export function unlock(data: Uint8Array): Uint8Array {
  checkLength('data', data, 1, MAX_PAYLOAD_BYTES);
  return encodeMessage(Key3Command.UNLOCK, data);
}

/** CHECKPASSPHRASE: unixTime LE ‖ data. */
export function checkPassphrase(unixTime: number, data: Uint8Array): Uint8Array {
  checkLength('data', data, 0, MAX_PAYLOAD_BYTES - 4);
  return encodeMessage(Key3Command.CHECKPASSPHRASE, concat(u32LE('unixTime', unixTime), data));
}

/** LOADLICENSE: slot ‖ licence bytes. */
export function loadLicense(slot: number, data: Uint8Array): Uint8Array {
  checkInteger('slot', slot, 0, 0xff);
  checkLength('data', data, 1, MAX_PAYLOAD_BYTES - 1);
  return encodeMessage(Key3Command.LOADLICENSE, concat(Uint8Array.of(slot), data));
}

/** QUERYLICENSE: slot. */
export function queryLicense(slot: number): Uint8Array {
  checkInteger('slot', slot, 0, 0xff);
  return encodeMessage(Key3Command.QUERYLICENSE, Uint8Array.of(slot));
}

/** GETOTP: two 16-bit selectors, big-endian. */
export function getOtp(a: number, b: number): Uint8Array {
  checkInteger('a', a, 0, 0xffff);
  checkInteger('b', b, 0, 0xffff);
  return encodeMessage(Key3Command.GETOTP, Uint8Array.of(a >> 8, a & 0xff, b >> 8, b & 0xff));
}

/** PING: bytes the key echoes in PONG. */
export function ping(data: Uint8Array): Uint8Array {
  checkLength('data', data, 0, MAX_PAYLOAD_BYTES);
  return encodeMessage(Key3Command.PING, data);
}

/** CONFIRM: a 16-bit value, little-endian. */
export function confirm(value: number): Uint8Array {
  checkInteger('value', value, 0, 0xffff);
  const out = new Uint8Array(2);
  writeU16LE(out, 0, value);
  return encodeMessage(Key3Command.CONFIRM, out);
}
