// The PIN fields' rules, all from shared/ipc/input-rules.ts: digits only (a typed
// letter is refused), and a length between the key's minimum and maximum.
import {
  InputErrorCode,
  PIN_MAX_LENGTH,
  checkPin,
  pinLengthResult,
} from '../../../shared/ipc/input-rules';
import type { MessageRef } from '../../i18n/message-ref';

export const refusePin = (text: string): InputErrorCode | undefined => {
  const check = checkPin(text);
  return !check.ok && check.code === InputErrorCode.PinNotDigits ? check.code : undefined;
};

/** The longest PIN a field takes: the key's maximum, never above the contract's. */
export const pinMaxLength = (maxLength: number): number => Math.min(maxLength, PIN_MAX_LENGTH);

/** Why `pin` cannot be sent yet, or undefined when it can. */
export function pinProblem(pin: string, min: number, max: number): MessageRef | undefined {
  const check = checkPin(pin);
  if (!check.ok) return { key: `error.${check.code}` };
  switch (pinLengthResult(pin, min, max)) {
    case 'tooShort':
      return { key: 'prompt.pin.tooShort', params: { min, count: min } };
    case 'tooLong':
      return {
        key: 'prompt.pin.tooLong',
        params: { max: pinMaxLength(max), count: pinMaxLength(max) },
      };
    default:
      return undefined;
  }
}

/** What a PIN field shows now: a refused keystroke first, else its rule once typing has started. */
export function shownPinProblem(
  field: { readonly value: string; readonly refused: InputErrorCode | undefined },
  problem: MessageRef | undefined,
): MessageRef | undefined {
  if (field.refused) return { key: `error.${field.refused}` };
  return field.value.length > 0 ? problem : undefined;
}
