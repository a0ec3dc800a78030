// The new PIN and its confirmation, as both the set-PIN and the change-PIN dialogs ask them.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { PinInput } from './PinInput';
import type { SecretField } from './secret-field';

export interface NewPinFieldsProps {
  readonly pin: SecretField;
  readonly confirm: SecretField;
  readonly min: number;
  readonly max: number;
  /** The new PIN's problem, already in words. */
  readonly problem: string | undefined;
  readonly readOnly: boolean;
  readonly describedBy?: string | undefined;
}

export function NewPinFields(props: NewPinFieldsProps): ReactElement {
  const { pin, confirm, min, max, problem, readOnly, describedBy } = props;
  const { t } = useTranslation();
  return (
    <>
      <PinInput
        field={pin}
        testId="new-pin-input"
        label={t('prompt.newPin.label')}
        maxLength={max}
        hint={t('prompt.pin.hint', { min, max, count: max })}
        problem={problem}
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
