// The PIN of an online key: in 'change' mode the current PIN and the new one twice; in
// 'set' mode (a key without a PIN) only the new one twice. The new PIN follows the same
// rules as a first PIN (the key's minimum when the companion has seen it, else the
// contract's); the key itself judges the current PIN.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import { PIN_MAX_LENGTH } from '../../../shared/ipc/input-rules';
import { pinProblem, refusePin } from './pin-rules';
import { NewPinFields, useNewPin } from './NewPinFields';
import { PinInput } from './PinInput';
import { SecretForm } from './SecretForm';
import { useSecretField } from './secret-field';
import { NOT_READY, useSecretSubmit } from './secret-submit';

export interface ChangePinDialogProps {
  readonly serialNo: string;
  readonly name: string;
  /** 'set': the key has no PIN yet (no current PIN is asked). Default 'change'. */
  readonly mode?: 'set' | 'change';
  /** The key's minimum PIN length, when known (from an earlier PIN prompt). */
  readonly minLength?: number | undefined;
  readonly onSubmit: (oldPin: string, newPin: string, confirm: string) => Promise<CommandResult>;
  readonly onDone: () => void;
  readonly onCancel: () => void;
  readonly fallbackFocus?: () => void;
}

export function ChangePinDialog(props: ChangePinDialogProps): ReactElement {
  const { serialNo, name, minLength, onSubmit, onDone, onCancel, fallbackFocus } = props;
  const setting = props.mode === 'set';
  const texts = setting ? 'prompt.setPin' : 'prompt.changePin';
  const { t } = useTranslation();
  const max = PIN_MAX_LENGTH;
  const old = useSecretField(refusePin);
  const newPin = useNewPin(minLength ?? 1, max);
  const { pin, confirm } = newPin;
  const oldProblem = setting ? undefined : pinProblem(old.value, 1, max);
  const ready = oldProblem === undefined && newPin.complete;
  const submission = useSecretSubmit({
    fields: [old, pin, confirm],
    first: setting ? pin : old,
    refusal: () => (ready ? newPin.mismatch() : NOT_READY),
    read: () => [old.value, pin.value, confirm.value] as const,
    send: (values) => onSubmit(...values),
    onSent: onDone,
    onCancel,
  });
  const { busy, result, resultId } = submission;

  return (
    <SecretForm
      kind="changePin"
      serialNo={serialNo}
      title={t(`${texts}.title`, { name })}
      fallbackFocus={fallbackFocus}
      submission={submission}
      submit={{ label: t(`${texts}.submit`), ready }}
    >
      {setting ? (
        <p className="dialog-intro">{t('prompt.setPin.intro')}</p>
      ) : (
        <PinInput
          field={old}
          testId="old-pin-input"
          label={t('prompt.changePin.oldLabel')}
          maxLength={max}
          problem={old.refused ? t(`error.${old.refused}`) : undefined}
          invalid={old.refused !== undefined}
          readOnly={busy}
          describedBy={result ? resultId : undefined}
        />
      )}
      <NewPinFields newPin={newPin} readOnly={busy} />
    </SecretForm>
  );
}
