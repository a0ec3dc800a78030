// Settings: the server address (Check validates it with main; Save connects to it,
// and an empty address means no server) and the language. Escape or "Back to keys"
// returns to the key list.
import {
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../shared/ipc/contract';
import type { AppSnapshot } from '../../shared/ipc/snapshot';
import { CodeDetails } from './CodeDetails';
import { errorRef, serverStateRef, translate, type MessageRef } from '../i18n/message-ref';
import { LANGUAGES, type Language } from '../i18n/i18n';

/** The HES client's code for an address it cannot use or reach (main/hes/hes-error.ts). */
const SERVER_NOT_REACHED = 603;

export interface SettingsPageProps {
  readonly server: AppSnapshot['server'] | undefined;
  readonly language: Language;
  readonly onCheckServer: (url: string) => Promise<CommandResult>;
  readonly onSaveServer: (url: string | null) => Promise<CommandResult>;
  readonly onLanguageChange: (language: Language) => void;
  readonly onClose: () => void;
}

type Outcome = { readonly tone: 'success' | 'error' | 'progress'; readonly message: MessageRef };

const failureRef = (result: { ok: false; error: { code: string | number } }): MessageRef =>
  result.error.code === SERVER_NOT_REACHED
    ? { key: 'settings.server.unreachable' }
    : errorRef(result.error);

export function SettingsPage(props: SettingsPageProps): ReactElement {
  const { server, language, onCheckServer, onSaveServer, onLanguageChange, onClose } = props;
  const { t } = useTranslation();
  const ids = { title: useId(), url: useId(), hint: useId(), result: useId(), lang: useId() };
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [url, setUrl] = useState(server?.url ?? '');
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const busy = outcome?.tone === 'progress';

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const check = async (): Promise<void> => {
    const text = url.trim();
    if (text === '') {
      setOutcome({ tone: 'error', message: { key: 'settings.server.empty' } });
      return;
    }
    setOutcome({ tone: 'progress', message: { key: 'settings.server.checking' } });
    const result = await onCheckServer(text);
    setOutcome(
      result.ok
        ? { tone: 'success', message: { key: 'settings.server.valid' } }
        : { tone: 'error', message: failureRef(result) },
    );
  };

  const save = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (busy) return;
    const text = url.trim();
    setOutcome({ tone: 'progress', message: { key: 'settings.server.saving' } });
    const result = await onSaveServer(text === '' ? null : text);
    setOutcome(
      result.ok
        ? {
            tone: 'success',
            message: { key: text === '' ? 'settings.server.cleared' : 'settings.server.saved' },
          }
        : { tone: 'error', message: failureRef(result) },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <section
      className="settings"
      data-testid="settings"
      aria-labelledby={ids.title}
      onKeyDown={onKeyDown}
    >
      <div className="settings-head">
        <h2 id={ids.title} ref={headingRef} tabIndex={-1}>
          {t('settings.title')}
        </h2>
        <button
          type="button"
          className="button secondary"
          data-testid="settings-close"
          onClick={onClose}
        >
          {t('settings.close')}
        </button>
      </div>

      <section className="settings-section" aria-labelledby={`${ids.url}-heading`}>
        <h3 id={`${ids.url}-heading`}>{t('settings.server.heading')}</h3>
        {server ? (
          <p className="settings-current">
            {t('settings.server.current', {
              state: translate(t, serverStateRef(server.connection)),
            })}
          </p>
        ) : null}
        <form className="server-form" onSubmit={(e) => void save(e)} noValidate>
          <div className="field">
            <label htmlFor={ids.url}>{t('settings.server.label')}</label>
            <input
              id={ids.url}
              data-testid="server-url-input"
              type="url"
              inputMode="url"
              autoComplete="url"
              spellCheck={false}
              value={url}
              aria-describedby={`${ids.hint}${outcome ? ` ${ids.result}` : ''}`}
              aria-invalid={outcome?.tone === 'error' ? true : undefined}
              onChange={(e) => {
                setUrl(e.target.value);
                setOutcome(undefined);
              }}
            />
            <p id={ids.hint} className="hint">
              {t('settings.server.hint')}
            </p>
          </div>
          <div className="form-buttons">
            <button
              type="button"
              className="button secondary"
              data-testid="server-check"
              disabled={busy}
              onClick={() => void check()}
            >
              {t('settings.server.check')}
            </button>
            <button
              type="submit"
              className="button primary"
              data-testid="server-save"
              disabled={busy}
            >
              {t('settings.server.save')}
            </button>
          </div>
          <p
            id={ids.result}
            className={`check-result${outcome ? ` tone-${outcome.tone}` : ''}`}
            data-testid="server-check-result"
            data-tone={outcome?.tone}
            role="status"
          >
            {outcome ? translate(t, outcome.message) : null}
          </p>
          <CodeDetails codes={[outcome?.message.code]} />
        </form>
      </section>

      <section className="settings-section" aria-labelledby={`${ids.lang}-heading`}>
        <h3 id={`${ids.lang}-heading`}>{t('settings.language.heading')}</h3>
        <div className="field">
          <label htmlFor={ids.lang}>{t('settings.language.label')}</label>
          <select
            id={ids.lang}
            data-testid="language-select"
            value={language}
            onChange={(e) => {
              const next = LANGUAGES.find((lang) => lang === e.target.value);
              if (next) onLanguageChange(next);
            }}
          >
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang} lang={lang}>
                {t(`language.${lang}`)}
              </option>
            ))}
          </select>
        </div>
      </section>
    </section>
  );
}
