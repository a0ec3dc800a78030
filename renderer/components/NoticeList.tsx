// The notices main sent (a key Locked, Suspended, withdrawn, compromised, low on
// battery…), newest first, each dismissible. The live region (Announcer) reads them
// out; this list keeps them on screen.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeySnapshot } from '../../shared/ipc/snapshot';
import { LOW_BATTERY_PERCENT } from '../../shared/key/battery';
import { LOW_BATTERY_MESSAGE } from '../../shared/view/view-kind';
import { viewText } from '../i18n/message-ref';
import type { NoticeItem } from '../store/companion-store';

export interface NoticeListProps {
  readonly notices: readonly NoticeItem[];
  readonly keys: readonly KeySnapshot[];
  readonly onDismiss: (id: number) => void;
}

export function NoticeList(props: NoticeListProps): ReactElement | null {
  const { t } = useTranslation();
  const { notices, keys, onDismiss } = props;
  if (notices.length === 0) return null;
  const body = (notice: NoticeItem): string | undefined => {
    if (notice.kind === 'lowBattery')
      return t(LOW_BATTERY_MESSAGE, { percent: LOW_BATTERY_PERCENT });
    const key = keys.find((k) => k.serialNo === notice.serialNo);
    return key && key.view.kind === notice.kind
      ? viewText(t, key.view.messageKey, key.view.params)
      : undefined;
  };
  return (
    <section className="notices" aria-label={t('notices.label')}>
      <ul className="notice-list">
        {notices.map((notice) => {
          const title = t(`noticeTitle.${notice.kind}`, { name: notice.name });
          const text = body(notice);
          return (
            <li
              key={notice.id}
              className={`notice notice-${notice.severity}`}
              data-testid="notice"
              data-kind={notice.kind}
              data-serial={notice.serialNo}
            >
              <span className="notice-icon" aria-hidden="true" />
              <div className="notice-text">
                <p className="notice-title">{title}</p>
                {text ? <p className="notice-body">{text}</p> : null}
              </div>
              <button
                type="button"
                className="button ghost small"
                aria-label={`${t('notices.dismiss')}: ${title}`}
                onClick={() => onDismiss(notice.id)}
              >
                {t('notices.dismiss')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
