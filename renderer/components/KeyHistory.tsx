// The status changes the companion observed for a key, newest first: the latest few
// always shown, the rest behind "Show all".
import { useId, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../shared/ipc/snapshot';
import {
  VaultStatusReason,
  vaultStatusName,
  vaultStatusReasonName,
} from '../../shared/vault/vault-status';
import { formatTime } from './format';

/** Entries shown before "Show all". */
export const HISTORY_PREVIEW = 3;

export function KeyHistory(props: { readonly entries: readonly HistoryEntry[] }): ReactElement {
  const { t, i18n } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const headingId = useId();
  const listId = useId();
  const entries = [...props.entries].sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  const status = (value: HistoryEntry['to']): string => t(`vault.status.${vaultStatusName(value)}`);
  return (
    <div className="history" role="group" aria-labelledby={headingId}>
      <h4 id={headingId} className="history-title">
        {t('history.title')}
      </h4>
      <ol id={listId} className="history-list" data-testid="key-history">
        {entries.length === 0 ? <li className="history-empty">{t('history.empty')}</li> : null}
        {entries.map((entry, index) => (
          <li
            key={`${entry.time}-${index}`}
            className="history-entry"
            data-testid="history-entry"
            hidden={!expanded && index >= HISTORY_PREVIEW}
          >
            <time dateTime={entry.time} className="history-time">
              {formatTime(entry.time, i18n.language) ?? entry.time}
            </time>
            <span className="history-change">
              {entry.from === null
                ? t('history.initial', { to: status(entry.to) })
                : t('history.change', { from: status(entry.from), to: status(entry.to) })}
            </span>
            <span className="history-meta">
              {entry.reason !== null && entry.reason !== VaultStatusReason.None
                ? `${t('history.reason', {
                    reason: t(`vault.reason.${vaultStatusReasonName(entry.reason)}`),
                  })} · `
                : ''}
              {t(`history.source.${entry.source}`)}
            </span>
          </li>
        ))}
      </ol>
      {entries.length > HISTORY_PREVIEW ? (
        <button
          type="button"
          className="button link"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? t('history.showFewer') : t('history.showAll', { total: entries.length })}
        </button>
      ) : null}
    </div>
  );
}
