// The frame every secret dialog shares around its fields: the modal, its form (sent by
// useSecretSubmit), "Verifying…" while busy, the result line, and Cancel / submit.
import type { ReactElement, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { translate } from '../../i18n/message-ref';
import { Modal } from './Modal';
import { DialogButtons, PromptResult, Verifying } from './parts';
import type { SecretSubmit } from './secret-submit';

export interface SecretFormProps {
  readonly kind: string;
  readonly serialNo: string;
  readonly title: string;
  /** Ids of elements describing the dialog. */
  readonly describedBy?: string;
  /** Where focus goes on close when the element focused before is gone. */
  readonly fallbackFocus?: (() => void) | undefined;
  readonly submission: SecretSubmit;
  readonly submit: {
    readonly label: string;
    /** What is typed can be sent (submit is disabled otherwise, and while busy). */
    readonly ready: boolean;
    readonly describedBy?: string;
  };
  /** The dialog's intro and fields. */
  readonly children: ReactNode;
}

export function SecretForm(props: SecretFormProps): ReactElement {
  const { kind, serialNo, title, describedBy, fallbackFocus, submission, submit, children } = props;
  const { t } = useTranslation();
  const { busy, result, resultId, cancel } = submission;
  return (
    <Modal
      kind={kind}
      serialNo={serialNo}
      title={title}
      onCancel={cancel}
      busy={busy}
      {...(describedBy ? { describedBy } : {})}
      {...(fallbackFocus ? { fallbackFocus } : {})}
    >
      <form className="dialog-form" onSubmit={submission.submit} noValidate>
        {children}
        {busy ? <Verifying /> : null}
        <PromptResult
          id={resultId}
          text={result ? translate(t, result) : undefined}
          code={result?.code}
        />
        <DialogButtons
          onCancel={cancel}
          submit={{
            label: submit.label,
            disabled: busy || !submit.ready,
            ...(submit.describedBy ? { describedBy: submit.describedBy } : {}),
          }}
        />
      </form>
    </Modal>
  );
}
