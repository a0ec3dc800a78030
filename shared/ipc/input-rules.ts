// The rules for what the user types: activation codes, PINs, the server address,
// and the key serials the renderer names. Pure checks with stable outcome codes;
// never an echo of the submitted value (codes and PINs are secrets). Plain functions,
// not schemas: the renderer's dialogs, the IPC router and the workflow run them on
// every code and PIN, on the path between the user's Enter and the key; a general
// schema library's machinery cost about 0.1 ms there per call, on code run too
// rarely to be compiled.

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

/**
 * What one rule says of a value: nothing when the value keeps it, else the rule it breaks,
 * or 'shape' when the value is not even a string (a malformed call, not an input error).
 */
export type RuleResult = InputErrorCode | 'shape' | undefined;
export type InputRule = (value: unknown) => RuleResult;

// Digits are checked before length: "abc" is "not digits".
export const serialNoRule: InputRule = (value) => {
  if (typeof value !== 'string') return 'shape';
  return value.length > SERIAL_MAX_LENGTH || !SERIAL.test(value)
    ? InputErrorCode.SerialInvalid
    : undefined;
};

export const activationCodeRule: InputRule = (value) => {
  if (typeof value !== 'string') return 'shape';
  if (!DIGITS.test(value)) return InputErrorCode.CodeNotDigits;
  if (value.length < ACTIVATION_CODE_MIN_LENGTH) return InputErrorCode.CodeTooShort;
  if (value.length > ACTIVATION_CODE_MAX_LENGTH) return InputErrorCode.CodeTooLong;
  return undefined;
};

/** A PIN as it may cross IPC: 1–8 digits. The key's own minimum is the workflow's check. */
export const pinRule: InputRule = (value) => {
  if (typeof value !== 'string') return 'shape';
  if (!DIGITS.test(value)) return InputErrorCode.PinNotDigits;
  if (value.length < 1) return InputErrorCode.PinEmpty;
  if (value.length > PIN_MAX_LENGTH) return InputErrorCode.PinTooLong;
  return undefined;
};

const HTTP_URL = /^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i;
/** An http(s) address with a host, no credentials, no whitespace. */
export const serverUrlRule: InputRule = (value) => {
  if (typeof value !== 'string') return 'shape';
  return value.length > SERVER_URL_MAX_LENGTH || !HTTP_URL.test(value)
    ? InputErrorCode.UrlInvalid
    : undefined;
};

/** The same rule, or no value at all (null). */
export const orNull =
  (rule: InputRule): InputRule =>
  (value) =>
    value === null ? undefined : rule(value);

/** The outcome of one rule: plain data, without the value. */
export type InputCheck = { ok: true } | { ok: false; code: InputErrorCode };

function check(rule: InputRule, value: unknown, notAString: InputErrorCode): InputCheck {
  const broken = rule(value);
  if (broken === undefined) return { ok: true };
  return { ok: false, code: broken === 'shape' ? notAString : broken };
}

export const checkActivationCode = (code: unknown): InputCheck =>
  check(activationCodeRule, code, InputErrorCode.CodeNotDigits);
export const checkPin = (pin: unknown): InputCheck =>
  check(pinRule, pin, InputErrorCode.PinNotDigits);
export const checkServerUrl = (url: unknown): InputCheck =>
  check(serverUrlRule, url, InputErrorCode.UrlInvalid);
export const checkSerialNo = (serialNo: unknown): InputCheck =>
  check(serialNoRule, serialNo, InputErrorCode.SerialInvalid);

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
