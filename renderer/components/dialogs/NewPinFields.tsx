// The new PIN and its confirmation, as both the set-PIN and the change-PIN dialogs ask them:
// useNewPin holds the two fields and their rules (the key's minimum and maximum, both typed,
// the same twice), NewPinFields shows them.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { translate, type MessageRef } from '../../i18n/message-ref';
import { pinProblem, refusePin, shownPinProblem } from './pin-rules';
import { PinInput } from './PinInput';
import { useSecretField, type SecretField } from './secret-field';
import type { Refusal } from './secret-submit';

export interface NewPin {
  readonly pin: SecretField;
  readonly confirm: SecretField;
  readonly min: number;
  readonly max: number;
  /** Why the new PIN breaks its rule, or undefined. */
  readonly problem: MessageRef | undefined;
  /** Both typed, the new PIN by its rule: it can be sent (whether they match is checked then). */
  readonly complete: boolean;
  /** On sending: the two differ, so both are cleared, the mismatch said, and the first focused. */
  readonly mismatch: () => Refusal | undefined;
}

export function useNewPin(min: number, max: number): NewPin {
  const pin = useSecretField(refusePin);
  const confirm = useSecretField(refusePin);
  const problem = pinProblem(pin.value, min, max);
  return {
    pin,
    confirm,
    min,
    max,
    problem,
    complete: problem === undefined && confirm.value !== '',
    mismatch: () =>
      pin.value === confirm.value
        ? undefined
        : { answer: { key: 'prompt.pin.mismatch' }, clear: [pin, confirm], focus: pin },
  };
}

export interface NewPinFieldsProps {
  readonly newPin: NewPin;
  readonly readOnly: boolean;
  readonly describedBy?: string | undefined;
}

export function NewPinFields(props: NewPinFieldsProps): ReactElement {
  const { newPin, readOnly, describedBy } = props;
  const { pin, confirm, min, max } = newPin;
  const { t } = useTranslation();
  const problem = shownPinProblem(pin, newPin.problem);
  return (
    <>
      <PinInput
        field={pin}
        testId="new-pin-input"
        label={t('prompt.newPin.label')}
        maxLength={max}
        hint={t('prompt.pin.hint', { min, max, count: max })}
        problem={problem ? translate(t, problem) : undefined}
        invalid={pin.refused !== undefined}
        readOnly={readOnly}
        describedBy={describedBy}
      />
      <PinInput
        field={confirm}
        testId="confirm-pin-input"
        label={t('prompt.newPin.confirmLabel')}
        maxLength={max}
        problem={confirm.refused ? t(`error.${confirm.refused}`) : undefined}
        invalid={confirm.refused !== undefined}
        readOnly={readOnly}
      />
    </>
  );
}
