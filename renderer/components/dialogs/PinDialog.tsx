// Entering the key's PIN: masked, digits only, between the key's minimum and maximum
// length; the attempts left after each wrong PIN and a warning before the last one.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import type { Prompt } from '../../../shared/ipc/snapshot';
import { translate } from '../../i18n/message-ref';
import { AttemptsLeft } from './parts';
import { pinMaxLength, pinProblem, refusePin, shownPinProblem } from './pin-rules';
import { PinInput } from './PinInput';
import { SecretForm } from './SecretForm';
import { useSecretField } from './secret-field';
import { NOT_READY, useSecretSubmit } from './secret-submit';

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
  const max = pinMaxLength(prompt.maxLength);
  const problem = pinProblem(field.value, prompt.minLength, max);
  const shown = shownPinProblem(field, problem);
  const submission = useSecretSubmit({
    fields: [field],
    first: field,
    verifying,
    lastResult:
      prompt.lastResult === 'wrong'
        ? { key: 'prompt.pin.wrong', params: { count: prompt.attemptsRemain } }
        : undefined,
    refusal: () => (problem ? NOT_READY : undefined),
    read: () => field.value,
    send: onSubmit,
    onCancel,
  });
  const { busy, result, resultId } = submission;

  return (
    <SecretForm
      kind="pin"
      serialNo={serialNo}
      title={t('prompt.pin.title', { name })}
      fallbackFocus={fallbackFocus}
      submission={submission}
      submit={{ label: t('prompt.pin.submit'), ready: problem === undefined }}
    >
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
    </SecretForm>
  );
}
