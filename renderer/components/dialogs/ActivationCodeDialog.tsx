// The activation code: 6–8 digits (shared/ipc/input-rules.ts), pasted groups
// accepted, attempts always shown with a warning before the last one, "Verifying…"
// while the key checks, the key's answer in words, Cancel and Escape. The code is
// cleared from the field and from state the moment it is sent.
import { useId, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import {
  ACTIVATION_CODE_MAX_LENGTH,
  ACTIVATION_CODE_MIN_LENGTH,
  InputErrorCode,
  checkActivationCode,
} from '../../../shared/ipc/input-rules';
import type { Prompt } from '../../../shared/ipc/snapshot';
import type { MessageRef } from '../../i18n/message-ref';
import { AttemptsLeft } from './parts';
import { SecretForm } from './SecretForm';
import { stripSeparators, useSecretField } from './secret-field';
import { useSecretSubmit } from './secret-submit';

export type ActivationPrompt = Extract<Prompt, { kind: 'activationCode' }>;

export interface ActivationCodeDialogProps {
  readonly serialNo: string;
  readonly name: string;
  readonly prompt: ActivationPrompt;
  /** The key is checking the code just sent. */
  readonly verifying: boolean;
  readonly onSubmit: (code: string) => Promise<CommandResult>;
  readonly onCancel: () => void;
  readonly fallbackFocus?: () => void;
}

const tooShort = InputErrorCode.CodeTooShort;

const refuseCode = (text: string): InputErrorCode | undefined => {
  const check = checkActivationCode(text);
  return !check.ok && check.code === InputErrorCode.CodeNotDigits ? check.code : undefined;
};

function lastResultRef(prompt: ActivationPrompt): MessageRef | undefined {
  switch (prompt.lastResult) {
    case 'wrong':
      return { key: 'prompt.code.wrong', params: { count: prompt.attemptsRemain } };
    case 'tooShort':
      return { key: `error.${InputErrorCode.CodeTooShort}` };
    case 'tooLong':
      return { key: `error.${InputErrorCode.CodeTooLong}` };
    default:
      return undefined;
  }
}

export function ActivationCodeDialog(props: ActivationCodeDialogProps): ReactElement {
  const { serialNo, name, prompt, verifying, onSubmit, onCancel, fallbackFocus } = props;
  const { t } = useTranslation();
  const field = useSecretField(refuseCode, stripSeparators);
  const ids = { intro: useId(), hint: useId(), rule: useId() };
  const check = checkActivationCode(field.value);
  const submission = useSecretSubmit({
    fields: [field],
    // After the key answered, the field is ready for the next code.
    first: field,
    verifying,
    lastResult: lastResultRef(prompt),
    // An incomplete code is not sent: the rule says why, and the field takes the rest.
    refusal: () => (check.ok ? undefined : { focus: field }),
    read: () => field.value,
    send: onSubmit,
    onCancel,
  });
  const { busy, result, resultId, tried } = submission;
  const ruleCode =
    field.refused ?? (!check.ok && (tried || field.value.length > 0) ? check.code : undefined);

  return (
    <SecretForm
      kind="activationCode"
      serialNo={serialNo}
      title={t(`prompt.code.title.${prompt.reason}`, { name })}
      describedBy={ids.intro}
      fallbackFocus={fallbackFocus}
      submission={submission}
      submit={{ label: t('prompt.code.submit'), ready: check.ok, describedBy: ids.hint }}
    >
      <div id={ids.intro} className="dialog-intro">
        <p>{t(`prompt.code.intro.${prompt.reason}`)}</p>
      </div>
      <AttemptsLeft attempts={prompt.attemptsRemain} lastAttemptKey="prompt.code.lastAttempt" />
      <div className="field">
        <label htmlFor={`${ids.hint}-input`}>{t('prompt.code.label')}</label>
        <input
          id={`${ids.hint}-input`}
          ref={field.ref}
          className="secret-input"
          data-testid="activation-code-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          readOnly={busy}
          aria-invalid={ruleCode !== undefined && ruleCode !== tooShort ? true : undefined}
          aria-describedby={[ids.hint, ruleCode ? ids.rule : '', result ? resultId : '']
            .filter(Boolean)
            .join(' ')}
          onChange={field.onChange}
        />
        <p id={ids.hint} className="hint">
          {t('prompt.code.hint', {
            min: ACTIVATION_CODE_MIN_LENGTH,
            max: ACTIVATION_CODE_MAX_LENGTH,
            count: ACTIVATION_CODE_MAX_LENGTH,
          })}
        </p>
        {ruleCode ? (
          <p
            id={ids.rule}
            className={ruleCode === tooShort ? 'rule-hint' : 'rule-error'}
            data-testid="input-rule"
          >
            {t(`error.${ruleCode}`)}
          </p>
        ) : null}
      </div>
    </SecretForm>
  );
}
