// Choosing a PIN: typed twice, masked, digits only, at least the key's minimum and at
// most its maximum; a mismatch is caught here, before anything is sent.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import type { Prompt } from '../../../shared/ipc/snapshot';
import { errorRef, translate, type MessageRef } from '../../i18n/message-ref';
import { Modal } from './Modal';
import { DialogButtons, PromptResult, Verifying } from './parts';
import { pinMaxLength, pinProblem, refusePin, shownPinProblem } from './pin-rules';
import { NewPinFields } from './NewPinFields';
import { useSecretField } from './secret-field';

export type NewPinPrompt = Extract<Prompt, { kind: 'newPin' }>;

export interface NewPinDialogProps {
  readonly serialNo: string;
  readonly name: string;
  readonly prompt: NewPinPrompt;
  readonly verifying: boolean;
  readonly onSubmit: (pin: string, confirm: string) => Promise<CommandResult>;
  readonly onCancel: () => void;
  readonly fallbackFocus?: () => void;
}

function lastResultRef(prompt: NewPinPrompt, max: number): MessageRef | undefined {
  switch (prompt.lastResult) {
    case 'tooShort':
      return {
        key: 'prompt.pin.tooShort',
        params: { min: prompt.minLength, count: prompt.minLength },
      };
    case 'tooLong':
      return { key: 'prompt.pin.tooLong', params: { max, count: max } };
    case 'mismatch':
      return { key: 'prompt.pin.mismatch' };
    default:
      return undefined;
  }
}

export function NewPinDialog(props: NewPinDialogProps): ReactElement {
  const { serialNo, name, prompt, verifying, onSubmit, onCancel, fallbackFocus } = props;
  const { t } = useTranslation();
  const pin = useSecretField(refusePin);
  const confirm = useSecretField(refusePin);
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<MessageRef | undefined>(undefined);
  const resultId = useId();
  const busy = verifying || sending;
  const min = prompt.minLength;
  const max = pinMaxLength(prompt.maxLength);
  const problem = pinProblem(pin.value, min, max);
  const shownProblem = shownPinProblem(pin, problem);

  const { focus } = pin;
  useEffect(() => {
    if (!busy) focus();
  }, [busy, focus]);

  const clearBoth = useCallback(() => {
    pin.clear();
    confirm.clear();
  }, [pin, confirm]);

  const submit = useCallback(
    async (event: FormEvent) => {
      event.preventDefault();
      if (busy || pinProblem(pin.value, min, max) || confirm.value === '') return;
      if (pin.value !== confirm.value) {
        clearBoth();
        setAnswer({ key: 'prompt.pin.mismatch' });
        pin.focus();
        return;
      }
      const values = [pin.value, confirm.value] as const;
      clearBoth();
      setAnswer(undefined);
      setSending(true);
      const result = await onSubmit(values[0], values[1]);
      setSending(false);
      if (!result.ok) setAnswer(errorRef(result.error));
    },
    [busy, clearBoth, confirm.value, max, min, onSubmit, pin],
  );

  const cancel = (): void => {
    clearBoth();
    onCancel();
  };

  const result = busy ? undefined : (answer ?? lastResultRef(prompt, max));
  return (
    <Modal
      kind="newPin"
      serialNo={serialNo}
      title={t('prompt.newPin.title', { name })}
      onCancel={cancel}
      busy={busy}
      {...(fallbackFocus ? { fallbackFocus } : {})}
    >
      <form className="dialog-form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="dialog-intro">{t('prompt.newPin.intro')}</p>
        <NewPinFields
          pin={pin}
          confirm={confirm}
          min={min}
          max={max}
          problem={shownProblem ? translate(t, shownProblem) : undefined}
          readOnly={busy}
          describedBy={result ? resultId : undefined}
        />
        {busy ? <Verifying /> : null}
        <PromptResult
          id={resultId}
          text={result ? translate(t, result) : undefined}
          code={result?.code}
        />
        <DialogButtons
          onCancel={cancel}
          submit={{
            label: t('prompt.newPin.submit'),
            disabled: busy || problem !== undefined || confirm.value === '',
          }}
        />
      </form>
    </Modal>
  );
}
