// The page has lost main: the browser host's socket is down (reconnecting), the page
// gave up reconnecting (the companion restarted with a new address, or stopped), or
// there is no way to reach main at all.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

export type BridgeProblem = 'lost' | 'gone' | 'missing';

export function BridgeLost(props: { readonly problem: BridgeProblem }): ReactElement {
  const { t } = useTranslation();
  const { problem } = props;
  return (
    <div className="bridge-lost" data-testid="bridge-lost" data-problem={problem}>
      <span className="bridge-icon" aria-hidden="true" />
      <div>
        <p className="callout-title">
          {problem === 'gone' ? t('bridge.gone.title') : t('bridge.lost.title')}
        </p>
        <p>
          {problem === 'missing'
            ? t('bridge.missing.body')
            : problem === 'gone'
              ? t('bridge.gone.body')
              : t('bridge.lost.body')}
        </p>
      </div>
    </div>
  );
}
