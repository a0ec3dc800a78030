// Choosing a PIN: typed twice, masked, digits only, at least the key's minimum and at
// most its maximum; a mismatch is caught here, before anything is sent.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import type { Prompt } from '../../../shared/ipc/snapshot';
import type { MessageRef } from '../../i18n/message-ref';
import { pinMaxLength } from './pin-rules';
import { NewPinFields, useNewPin } from './NewPinFields';
import { SecretForm } from './SecretForm';
import { NOT_READY, useSecretSubmit } from './secret-submit';

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
  const max = pinMaxLength(prompt.maxLength);
  const newPin = useNewPin(prompt.minLength, max);
  const { pin, confirm } = newPin;
  const submission = useSecretSubmit({
    fields: [pin, confirm],
    first: pin,
    verifying,
    lastResult: lastResultRef(prompt, max),
    refusal: () => (newPin.complete ? newPin.mismatch() : NOT_READY),
    read: () => [pin.value, confirm.value] as const,
    send: ([chosen, again]) => onSubmit(chosen, again),
    onCancel,
  });

  return (
    <SecretForm
      kind="newPin"
      serialNo={serialNo}
      title={t('prompt.newPin.title', { name })}
      fallbackFocus={fallbackFocus}
      submission={submission}
      submit={{ label: t('prompt.newPin.submit'), ready: newPin.complete }}
    >
      <p className="dialog-intro">{t('prompt.newPin.intro')}</p>
      <NewPinFields
        newPin={newPin}
        readOnly={submission.busy}
        describedBy={submission.result ? submission.resultId : undefined}
      />
    </SecretForm>
  );
}
