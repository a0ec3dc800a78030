// The application frame: reads the store, calls the companion's API, and lays out the
// header, the notices, the key list or the settings, the open dialog and the live
// region. The components below it only draw what they are given.
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { CompanionApi } from '../../shared/ipc/bridge';
import { IpcErrorCode, failure, type CommandResult } from '../../shared/ipc/contract';
import type { CompanionConnection } from '../bridge/companion-connection';
import { Announcer } from '../components/Announcer';
import { BridgeLost } from '../components/BridgeLost';
import { pinActionOf } from '../../shared/view/pin-action';
import { ChangePinDialog } from '../components/dialogs/ChangePinDialog';
import { PromptDialog } from '../components/dialogs/PromptDialog';
import { EmptyState } from '../components/EmptyState';
import { KeyList } from '../components/KeyList';
import { LinkProblems } from '../components/LinkProblems';
import { NoticeList } from '../components/NoticeList';
import { ServerStatusBar } from '../components/ServerStatusBar';
import { SettingsPage } from '../components/SettingsPage';
import { isLanguage, saveLanguage, type Language } from '../i18n/i18n';
import { errorRef, type MessageRef } from '../i18n/message-ref';
import type { CompanionStore } from '../store/companion-store';
import { promptTarget } from '../store/dialog-target';

export interface AppProps {
  readonly store: CompanionStore;
  readonly api: CompanionApi | undefined;
  readonly connectionKind: CompanionConnection['kind'];
  /** Where the language choice is kept (localStorage in the page). */
  readonly storage?: Pick<Storage, 'setItem'> | undefined;
}

const disconnected = (): Promise<CommandResult> =>
  Promise.resolve(failure(IpcErrorCode.Disconnected));

function focusCard(serialNo: string): void {
  const card = Array.from(
    document.querySelectorAll<HTMLElement>('article[data-testid="key-card"]'),
  ).find((element) => element.dataset['serial'] === serialNo);
  card?.focus();
}

interface ActionError {
  readonly message: MessageRef;
  /** Shown while the key stays at the step it had when the action failed. */
  readonly step: string;
}

export function App(props: AppProps): ReactElement {
  const { store, api, connectionKind, storage } = props;
  const { t, i18n } = useTranslation();
  const snapshot = useStore(store, (s) => s.snapshot);
  const bridge = useStore(store, (s) => s.bridge);
  const notices = useStore(store, (s) => s.notices);
  const announcement = useStore(store, (s) => s.announcement);
  const lastPrompts = useStore(store, (s) => s.lastPrompts);
  const pinMinLengths = useStore(store, (s) => s.pinMinLengths);
  const page = useStore(store, (s) => s.page);
  const changePinFor = useStore(store, (s) => s.changePinFor);
  const [actionErrors, setActionErrors] = useState<Readonly<Record<string, ActionError>>>({});
  const settingsButton = useRef<HTMLButtonElement>(null);
  const keysHeading = useRef<HTMLHeadingElement>(null);
  const previousPage = useRef(page);
  const language: Language = isLanguage(i18n.language) ? i18n.language : 'en';

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  // Back from the settings: focus returns to the button that opened them.
  useEffect(() => {
    if (previousPage.current === 'settings' && page === 'keys') settingsButton.current?.focus();
    previousPage.current = page;
  }, [page]);

  const setActionError = useCallback(
    (serialNo: string, error: ActionError | undefined) =>
      setActionErrors((all) => {
        const next = { ...all };
        if (error) next[serialNo] = error;
        else delete next[serialNo];
        return next;
      }),
    [],
  );

  const keys = snapshot?.keys ?? [];
  const stepOf = (serialNo: string): string =>
    keys.find((k) => k.serialNo === serialNo)?.step ?? '';

  const onRetry = (serialNo: string): void => {
    setActionError(serialNo, undefined);
    const step = stepOf(serialNo);
    void (api ? api.retryKey(serialNo) : disconnected()).then((result) => {
      if (!result.ok) setActionError(serialNo, { message: errorRef(result.error), step });
    });
  };
  const onForget = (serialNo: string): void => {
    setActionError(serialNo, undefined);
    const step = stepOf(serialNo);
    void (api ? api.forgetKey(serialNo) : disconnected()).then((result) => {
      if (result.ok) keysHeading.current?.focus();
      else setActionError(serialNo, { message: errorRef(result.error), step });
    });
  };
  const onCancelPrompt = (serialNo: string): void => {
    void (api ? api.cancelPrompt(serialNo) : disconnected()).then((result) => {
      if (!result.ok) store.getState().announce('assertive', errorRef(result.error));
    });
  };
  const openSettings = (): void => store.getState().openPage('settings');
  const closeSettings = (): void => store.getState().openPage('keys');
  const changeLanguage = (next: Language): void => {
    saveLanguage(storage, next);
    void i18n.changeLanguage(next);
  };

  // Without the companion nothing typed could be sent: prompts wait for the socket.
  const bridgeDown = bridge === 'lost' || bridge === 'gone';
  const target = bridgeDown ? undefined : promptTarget(snapshot, lastPrompts);
  const changePinKey =
    !bridgeDown && target === undefined && changePinFor !== undefined
      ? keys.find((k) => k.serialNo === changePinFor && k.connection === 'connected')
      : undefined;

  let dialog: ReactElement | null = null;
  if (target) {
    dialog = (
      <PromptDialog
        target={target}
        onSubmitCode={(serialNo, code) =>
          api ? api.submitActivationCode(serialNo, code) : disconnected()
        }
        onSubmitNewPin={(serialNo, pin, confirm) =>
          api ? api.submitNewPin(serialNo, pin, confirm) : disconnected()
        }
        onSubmitPin={(serialNo, pin) => (api ? api.submitPin(serialNo, pin) : disconnected())}
        onCancel={onCancelPrompt}
        fallbackFocus={focusCard}
      />
    );
  } else if (changePinKey) {
    const serialNo = changePinKey.serialNo;
    const mode = pinActionOf(changePinKey) === 'setPin' ? 'set' : 'change';
    dialog = (
      <ChangePinDialog
        key={`${serialNo}:${mode}`}
        serialNo={serialNo}
        name={changePinKey.name}
        mode={mode}
        minLength={pinMinLengths[serialNo]}
        onSubmit={(oldPin, newPin, confirm) =>
          !api
            ? disconnected()
            : mode === 'set'
              ? api.setPin(serialNo, newPin, confirm)
              : api.changePin(serialNo, oldPin, newPin, confirm)
        }
        onDone={() => {
          store.getState().openChangePin(undefined);
          store.getState().announce('polite', {
            key: mode === 'set' ? 'prompt.setPin.done' : 'prompt.changePin.done',
            params: { name: changePinKey.name },
          });
        }}
        onCancel={() => store.getState().openChangePin(undefined)}
        fallbackFocus={() => focusCard(serialNo)}
      />
    );
  }

  const shownErrors: Record<string, MessageRef> = {};
  for (const [serialNo, error] of Object.entries(actionErrors)) {
    if (stepOf(serialNo) === error.step) shownErrors[serialNo] = error.message;
  }

  return (
    <>
      <div className="app" inert={dialog !== null}>
        <ServerStatusBar
          server={snapshot?.server}
          onOpenSettings={() => (page === 'settings' ? closeSettings() : openSettings())}
          settingsOpen={page === 'settings'}
          settingsButtonRef={settingsButton}
        />
        <main className="content" id="main">
          {bridgeDown ? (
            <BridgeLost
              problem={connectionKind === 'none' ? 'missing' : bridge === 'gone' ? 'gone' : 'lost'}
            />
          ) : null}
          {page === 'settings' ? (
            <SettingsPage
              server={snapshot?.server}
              language={language}
              onCheckServer={(url) => (api ? api.checkServer(url) : disconnected())}
              onSaveServer={(url) => (api ? api.setServerUrl(url) : disconnected())}
              onLanguageChange={changeLanguage}
              onClose={closeSettings}
            />
          ) : (
            <>
              <NoticeList
                notices={notices}
                keys={keys}
                onDismiss={(id) => store.getState().dismissNotice(id)}
              />
              <h2 className="section-title" ref={keysHeading} tabIndex={-1}>
                {t('app.keysHeading')}
              </h2>
              {snapshot === undefined ? (
                <p className="loading">{t('app.loading')}</p>
              ) : keys.length === 0 ? (
                <EmptyState links={snapshot.links} />
              ) : (
                <>
                  <LinkProblems links={snapshot.links} />
                  <KeyList
                    keys={keys}
                    actionErrors={shownErrors}
                    onRetry={onRetry}
                    onForget={onForget}
                    onChangePin={(serialNo) => store.getState().openChangePin(serialNo)}
                    onOpenSettings={openSettings}
                  />
                </>
              )}
            </>
          )}
        </main>
      </div>
      {dialog}
      <Announcer announcement={announcement} />
    </>
  );
}
