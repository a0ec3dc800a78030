// The rules for what the user types: activation codes, PINs, the server address,
// and the key serials the renderer names. Pure checks with stable outcome codes;
// never an echo of the submitted value (codes and PINs are secrets).
import { z } from 'zod';

export const ACTIVATION_CODE_MIN_LENGTH = 6;
export const ACTIVATION_CODE_MAX_LENGTH = 8;
/** The longest PIN a key accepts; each key states its own minimum (the prompt carries it). */
export const PIN_MAX_LENGTH = 8;
export const SERIAL_MAX_LENGTH = 64;
export const SERVER_URL_MAX_LENGTH = 2048;

/** Stable codes of the input rules: the message is fixed per code and never holds the value. */
export const InputErrorCode = {
  SerialInvalid: 'INPUT_SERIAL_INVALID',
  CodeNotDigits: 'INPUT_CODE_NOT_DIGITS',
  CodeTooShort: 'INPUT_CODE_TOO_SHORT',
  CodeTooLong: 'INPUT_CODE_TOO_LONG',
  PinNotDigits: 'INPUT_PIN_NOT_DIGITS',
  PinEmpty: 'INPUT_PIN_EMPTY',
  PinTooLong: 'INPUT_PIN_TOO_LONG',
  UrlInvalid: 'INPUT_URL_INVALID',
  /** A server check refused by the address policy (link-local, metadata): main/hes/address-policy.ts. */
  UrlNotAllowed: 'INPUT_URL_NOT_ALLOWED',
} as const;
export type InputErrorCode = (typeof InputErrorCode)[keyof typeof InputErrorCode];

export const INPUT_ERROR_MESSAGES: Readonly<Record<InputErrorCode, string>> = {
  INPUT_SERIAL_INVALID: 'The key serial number is not valid.',
  INPUT_CODE_NOT_DIGITS: 'The activation code must contain digits only.',
  INPUT_CODE_TOO_SHORT: `The activation code must have at least ${ACTIVATION_CODE_MIN_LENGTH} digits.`,
  INPUT_CODE_TOO_LONG: `The activation code must have at most ${ACTIVATION_CODE_MAX_LENGTH} digits.`,
  INPUT_PIN_NOT_DIGITS: 'The PIN must contain digits only.',
  INPUT_PIN_EMPTY: 'Enter the PIN.',
  INPUT_PIN_TOO_LONG: `The PIN must have at most ${PIN_MAX_LENGTH} digits.`,
  INPUT_URL_INVALID: 'The server address must be an http or https URL.',
  INPUT_URL_NOT_ALLOWED:
    'This address cannot be a server: link-local and cloud metadata addresses are refused unless your administrator allows them.',
};

const INPUT_ERROR_CODES: ReadonlySet<string> = new Set(Object.values(InputErrorCode));
export const isInputErrorCode = (value: unknown): value is InputErrorCode =>
  typeof value === 'string' && INPUT_ERROR_CODES.has(value);

const DIGITS = /^[0-9]*$/;
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

// Each check carries its stable code as the zod message, so a failed parse maps
// back to the code (see contract.ts) and zod's own text, which could describe the
// value, is never used. Digits are checked before length: "abc" is "not digits".
export const serialNoSchema = z
  .string()
  .max(SERIAL_MAX_LENGTH, { error: InputErrorCode.SerialInvalid })
  .regex(SERIAL, { error: InputErrorCode.SerialInvalid });

export const activationCodeSchema = z
  .string()
  .regex(DIGITS, { error: InputErrorCode.CodeNotDigits })
  .min(ACTIVATION_CODE_MIN_LENGTH, { error: InputErrorCode.CodeTooShort })
  .max(ACTIVATION_CODE_MAX_LENGTH, { error: InputErrorCode.CodeTooLong });

/** A PIN as it may cross IPC: 1–8 digits. The key's own minimum is the workflow's check. */
export const pinSchema = z
  .string()
  .regex(DIGITS, { error: InputErrorCode.PinNotDigits })
  .min(1, { error: InputErrorCode.PinEmpty })
  .max(PIN_MAX_LENGTH, { error: InputErrorCode.PinTooLong });

const HTTP_URL = /^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i;
/** An http(s) address with a host, no credentials, no whitespace. */
export const serverUrlSchema = z
  .string()
  .max(SERVER_URL_MAX_LENGTH, { error: InputErrorCode.UrlInvalid })
  .regex(HTTP_URL, { error: InputErrorCode.UrlInvalid });

/** The outcome of one rule: plain data, without the value. */
export type InputCheck = { ok: true } | { ok: false; code: InputErrorCode };

function check(schema: z.ZodType, value: unknown, fallback: InputErrorCode): InputCheck {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true };
  const first = result.error.issues[0]?.message;
  return { ok: false, code: isInputErrorCode(first) ? first : fallback };
}

export const checkActivationCode = (code: unknown): InputCheck =>
  check(activationCodeSchema, code, InputErrorCode.CodeNotDigits);
export const checkPin = (pin: unknown): InputCheck =>
  check(pinSchema, pin, InputErrorCode.PinNotDigits);
export const checkServerUrl = (url: unknown): InputCheck =>
  check(serverUrlSchema, url, InputErrorCode.UrlInvalid);
export const checkSerialNo = (serialNo: unknown): InputCheck =>
  check(serialNoSchema, serialNo, InputErrorCode.SerialInvalid);

/** A PIN against a key's own bounds (the prompt's minLength/maxLength). */
export function pinLengthResult(
  pin: string,
  minLength: number,
  maxLength: number = PIN_MAX_LENGTH,
): 'ok' | 'tooShort' | 'tooLong' {
  if (pin.length < minLength) return 'tooShort';
  if (pin.length > Math.min(maxLength, PIN_MAX_LENGTH)) return 'tooLong';
  return 'ok';
}
