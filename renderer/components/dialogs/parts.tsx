// Pieces the prompt dialogs share: the attempts line and last-attempt warning, the
// "Verifying…" line, the result line, and the Cancel / submit row.
import type { ReactElement, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CodeDetails } from '../CodeDetails';

export function AttemptsLeft(props: {
  readonly attempts: number;
  readonly lastAttemptKey: string;
}): ReactElement {
  const { t } = useTranslation();
  const { attempts, lastAttemptKey } = props;
  return (
    <>
      <p className="attempts" data-testid="attempts-left" data-attempts={attempts}>
        {t('prompt.attemptsLeft', { count: attempts })}
      </p>
      {attempts === 1 ? (
        <p className="last-attempt" data-testid="last-attempt-warning" role="alert">
          {t(lastAttemptKey)}
        </p>
      ) : null}
    </>
  );
}

export function Verifying(): ReactElement {
  const { t } = useTranslation();
  return (
    <p className="verifying" data-testid="prompt-verifying" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('prompt.verifying')}
    </p>
  );
}

/** What the key or the companion answered to the last attempt. */
export function PromptResult(props: {
  readonly id?: string;
  readonly text: string | undefined;
  /** The code behind the answer, folded away in the details. */
  readonly code?: string | number | undefined;
}): ReactElement | null {
  if (props.text === undefined) return null;
  return (
    <>
      <p id={props.id} className="prompt-result" data-testid="prompt-result" role="alert">
        {props.text}
      </p>
      <CodeDetails codes={[props.code]} />
    </>
  );
}

export function DialogButtons(props: {
  readonly onCancel: () => void;
  readonly submit?: {
    readonly label: string;
    readonly disabled: boolean;
    readonly describedBy?: string;
  };
  readonly children?: ReactNode;
}): ReactElement {
  const { t } = useTranslation();
  const { onCancel, submit } = props;
  return (
    <div className="dialog-buttons">
      <button
        type="button"
        className="button secondary"
        data-testid="prompt-cancel"
        onClick={onCancel}
      >
        {t('prompt.cancel')}
      </button>
      {submit ? (
        <button
          type="submit"
          className="button primary"
          data-testid="prompt-submit"
          disabled={submit.disabled}
          aria-describedby={submit.describedBy}
        >
          {submit.label}
        </button>
      ) : null}
    </div>
  );
}
