// The header: the app's name, the server connection in words (always visible), and
// the way to the settings.
import type { ReactElement, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppSnapshot } from '../../shared/ipc/snapshot';
import { serverStateRef, translate } from '../i18n/message-ref';

export interface ServerStatusBarProps {
  readonly server: AppSnapshot['server'] | undefined;
  readonly onOpenSettings: () => void;
  readonly settingsOpen: boolean;
  readonly settingsButtonRef?: Ref<HTMLButtonElement>;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

export function ServerStatusBar(props: ServerStatusBarProps): ReactElement {
  const { server, onOpenSettings, settingsOpen, settingsButtonRef } = props;
  const { t } = useTranslation();
  const state = server?.connection.state ?? 'unknown';
  const host = server?.connection.state === 'notConfigured' ? undefined : hostOf(server?.url);
  return (
    <header className="app-header" data-testid="server-status" data-state={state}>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1 className="app-name">{t('app.title')}</h1>
      </div>
      <p className={`server-state state-${state}`}>
        <span className="state-dot" aria-hidden="true" />
        <span className="server-label">{t('server.label')}:</span>{' '}
        <span className="server-words">
          {server ? translate(t, serverStateRef(server.connection)) : t('app.loading')}
        </span>
        {host ? <span className="server-host">{host}</span> : null}
      </p>
      <button
        ref={settingsButtonRef}
        type="button"
        className="button ghost settings-button"
        data-testid="open-settings"
        aria-pressed={settingsOpen}
        onClick={onOpenSettings}
      >
        <span className="gear" aria-hidden="true" />
        {t('app.openSettings')}
      </button>
    </header>
  );
}
