// The key asks for a button press: nothing to type, only Cancel.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';
import { DialogButtons } from './parts';

export interface ButtonDialogProps {
  readonly serialNo: string;
  readonly name: string;
  readonly onCancel: () => void;
  readonly fallbackFocus?: () => void;
}

export function ButtonDialog(props: ButtonDialogProps): ReactElement {
  const { serialNo, name, onCancel, fallbackFocus } = props;
  const { t } = useTranslation();
  return (
    <Modal
      kind="button"
      serialNo={serialNo}
      title={t('prompt.button.title', { name })}
      onCancel={onCancel}
      {...(fallbackFocus ? { fallbackFocus } : {})}
    >
      <div className="dialog-form">
        <p className="press-button" data-testid="press-button" role="status">
          <span className="button-pulse" aria-hidden="true" />
          {t('prompt.button.text')}
        </p>
        <p className="hint">{t('prompt.button.hint')}</p>
        <DialogButtons onCancel={onCancel} />
      </div>
    </Modal>
  );
}
