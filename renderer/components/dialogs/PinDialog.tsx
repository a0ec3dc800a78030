// Entering the key's PIN: masked, digits only, between the key's minimum and maximum
// length; the attempts left after each wrong PIN and a warning before the last one.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import type { Prompt } from '../../../shared/ipc/snapshot';
import { errorRef, translate, type MessageRef } from '../../i18n/message-ref';
import { Modal } from './Modal';
import { AttemptsLeft, DialogButtons, PromptResult, Verifying } from './parts';
import { pinMaxLength, pinProblem, refusePin } from './pin-rules';
import { PinInput } from './PinInput';
import { useSecretField } from './secret-field';

export type PinPrompt = Extract<Prompt, { kind: 'pin' }>;

export interface PinDialogProps {
  readonly serialNo: string;
  readonly name: string;
  readonly prompt: PinPrompt;
  readonly verifying: boolean;
  readonly onSubmit: (pin: string) => Promise<CommandResult>;
  readonly onCancel: () => void;
  readonly fallbackFocus?: () => void;
}

export function PinDialog(props: PinDialogProps): ReactElement {
  const { serialNo, name, prompt, verifying, onSubmit, onCancel, fallbackFocus } = props;
  const { t } = useTranslation();
  const field = useSecretField(refusePin);
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<MessageRef | undefined>(undefined);
  const resultId = useId();
  const busy = verifying || sending;
  const max = pinMaxLength(prompt.maxLength);
  const problem = pinProblem(field.value, prompt.minLength, max);
  const shown: MessageRef | undefined = field.refused
    ? { key: `error.${field.refused}` }
    : field.value.length > 0
      ? problem
      : undefined;

  const { focus } = field;
  useEffect(() => {
    if (!busy) focus();
  }, [busy, focus]);

  const submit = useCallback(
    async (event: FormEvent) => {
      event.preventDefault();
      if (busy || pinProblem(field.value, prompt.minLength, max)) return;
      const pin = field.value;
      field.clear();
      setAnswer(undefined);
      setSending(true);
      const result = await onSubmit(pin);
      setSending(false);
      if (!result.ok) setAnswer(errorRef(result.error));
    },
    [busy, field, max, onSubmit, prompt.minLength],
  );

  const cancel = (): void => {
    field.clear();
    onCancel();
  };

  const result: MessageRef | undefined = busy
    ? undefined
    : (answer ??
      (prompt.lastResult === 'wrong'
        ? { key: 'prompt.pin.wrong', params: { count: prompt.attemptsRemain } }
        : undefined));
  return (
    <Modal
      kind="pin"
      serialNo={serialNo}
      title={t('prompt.pin.title', { name })}
      onCancel={cancel}
      busy={busy}
      {...(fallbackFocus ? { fallbackFocus } : {})}
    >
      <form className="dialog-form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="dialog-intro">{t('prompt.pin.intro')}</p>
        <AttemptsLeft attempts={prompt.attemptsRemain} lastAttemptKey="prompt.pin.lastAttempt" />
        <PinInput
          field={field}
          testId="pin-input"
          label={t('prompt.pin.label')}
          maxLength={max}
          hint={t('prompt.pin.hint', { min: prompt.minLength, max, count: max })}
          problem={shown ? translate(t, shown) : undefined}
          invalid={field.refused !== undefined}
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
          submit={{ label: t('prompt.pin.submit'), disabled: busy || problem !== undefined }}
        />
      </form>
    </Modal>
  );
}
