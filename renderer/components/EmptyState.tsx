// No key yet: what to do (plug in or switch on the key), and what stands in the way.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppSnapshot } from '../../shared/ipc/snapshot';
import { LinkProblems } from './LinkProblems';

export function EmptyState(props: { readonly links: AppSnapshot['links'] }): ReactElement {
  const { t } = useTranslation();
  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-title">
      <div className="key-illustration" aria-hidden="true" />
      <h3 id="empty-title">{t('empty.title')}</h3>
      <p>{t('empty.body')}</p>
      <LinkProblems links={props.links} />
    </section>
  );
}
