// The technical code behind a message (a server's HideezErrorCode, a workflow code),
// kept out of the words and folded away: support may ask for it, the user need not read it.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

export function CodeDetails(props: {
  readonly codes: readonly (string | number | undefined)[];
  readonly testId?: string;
}): ReactElement | null {
  const { t } = useTranslation();
  const codes = [...new Set(props.codes.filter((c) => c !== undefined))];
  if (codes.length === 0) return null;
  return (
    <details className="code-details" data-testid={props.testId ?? 'code-details'}>
      <summary>{t('details.summary')}</summary>
      <p>{t('details.code', { code: codes.join(', ') })}</p>
    </details>
  );
}
