// The page has lost main (the browser host's socket is down, or there is none).
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

export function BridgeLost(props: { readonly missing: boolean }): ReactElement {
  const { t } = useTranslation();
  return (
    <div className="bridge-lost" data-testid="bridge-lost">
      <span className="bridge-icon" aria-hidden="true" />
      <div>
        <p className="callout-title">{t('bridge.lost.title')}</p>
        <p>{props.missing ? t('bridge.missing.body') : t('bridge.lost.body')}</p>
      </div>
    </div>
  );
}
