// The PIN of an online key: in 'change' mode the current PIN and the new one twice; in
// 'set' mode (a key without a PIN) only the new one twice. The new PIN follows the same
// rules as a first PIN (the key's minimum when the companion has seen it, else the
// contract's); the key itself judges the current PIN.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import { PIN_MAX_LENGTH } from '../../../shared/ipc/input-rules';
import { errorRef, translate, type MessageRef } from '../../i18n/message-ref';
import { Modal } from './Modal';
import { DialogButtons, PromptResult, Verifying } from './parts';
import { pinProblem, refusePin, shownPinProblem } from './pin-rules';
import { NewPinFields } from './NewPinFields';
import { PinInput } from './PinInput';
import { useSecretField } from './secret-field';

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
  const old = useSecretField(refusePin);
  const pin = useSecretField(refusePin);
  const confirm = useSecretField(refusePin);
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<MessageRef | undefined>(undefined);
  const resultId = useId();
  const min = minLength ?? 1;
  const max = PIN_MAX_LENGTH;
  const problem = pinProblem(pin.value, min, max);
  const oldProblem = setting ? undefined : pinProblem(old.value, 1, max);
  const shownProblem = shownPinProblem(pin, problem);

  const { focus } = setting ? pin : old;
  useEffect(() => {
    if (!sending) focus();
  }, [sending, focus]);

  const clearAll = useCallback(() => {
    old.clear();
    pin.clear();
    confirm.clear();
  }, [old, pin, confirm]);

  const submit = useCallback(
    async (event: FormEvent) => {
      event.preventDefault();
      if (sending || oldProblem || problem || confirm.value === '') return;
      if (pin.value !== confirm.value) {
        pin.clear();
        confirm.clear();
        setAnswer({ key: 'prompt.pin.mismatch' });
        pin.focus();
        return;
      }
      const values = [old.value, pin.value, confirm.value] as const;
      clearAll();
      setAnswer(undefined);
      setSending(true);
      const result = await onSubmit(...values);
      setSending(false);
      if (result.ok) onDone();
      else setAnswer(errorRef(result.error));
    },
    [clearAll, confirm.value, old.value, oldProblem, onDone, onSubmit, pin, problem, sending],
  );

  const cancel = (): void => {
    clearAll();
    onCancel();
  };

  const result = sending ? undefined : answer;
  return (
    <Modal
      kind="changePin"
      serialNo={serialNo}
      title={t(`${texts}.title`, { name })}
      onCancel={cancel}
      busy={sending}
      {...(fallbackFocus ? { fallbackFocus } : {})}
    >
      <form className="dialog-form" onSubmit={(e) => void submit(e)} noValidate>
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
            readOnly={sending}
            describedBy={result ? resultId : undefined}
          />
        )}
        <NewPinFields
          pin={pin}
          confirm={confirm}
          min={min}
          max={max}
          problem={shownProblem ? translate(t, shownProblem) : undefined}
          readOnly={sending}
        />
        {sending ? <Verifying /> : null}
        <PromptResult
          id={resultId}
          text={result ? translate(t, result) : undefined}
          code={result?.code}
        />
        <DialogButtons
          onCancel={cancel}
          submit={{
            label: t(`${texts}.submit`),
            disabled:
              sending || oldProblem !== undefined || problem !== undefined || confirm.value === '',
          }}
        />
      </form>
    </Modal>
  );
}
