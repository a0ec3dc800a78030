// The live regions: status changes are read out politely, errors and locks at once.
// Both regions exist from the start (a region added with its text is not announced);
// each new announcement is a new node so the same words are read again.
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { translate } from '../i18n/message-ref';
import type { Announcement } from '../store/companion-store';

export function Announcer(props: {
  readonly announcement: Announcement | undefined;
}): ReactElement {
  const { t } = useTranslation();
  const { announcement } = props;
  const text = announcement ? translate(t, announcement.message) : '';
  return (
    <div className="visually-hidden" data-testid="announcer">
      <div role="status" aria-live="polite" aria-atomic="true" data-testid="announcer-polite">
        {announcement?.politeness === 'polite' ? <p key={announcement.id}>{text}</p> : null}
      </div>
      <div role="alert" aria-live="assertive" aria-atomic="true" data-testid="announcer-assertive">
        {announcement?.politeness === 'assertive' ? <p key={announcement.id}>{text}</p> : null}
      </div>
    </div>
  );
}
