// Start-up: reach main (Electron's preload API, else the browser host's socket), feed
// the store from it, pick the language, and draw.
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/App';
import { connectToCompanion } from './bridge/companion-connection';
import { createI18n, pickLanguage, savedLanguage } from './i18n/i18n';
import { createCompanionStore } from './store/companion-store';
import { connectStore } from './store/connect-store';
import './styles/theme.css';
import './styles/layout.css';
import './styles/card.css';
import './styles/dialog.css';
import './styles/settings.css';

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const storage = localStorageOrUndefined();
const connection = connectToCompanion(window);
const store = createCompanionStore(connection.state());
connectStore(store, connection);
const i18n = createI18n(pickLanguage(savedLanguage(storage), navigator.languages));
document.documentElement.lang = i18n.language;

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App
          store={store}
          api={connection.api}
          connectionKind={connection.kind}
          storage={storage}
        />
      </I18nextProvider>
    </StrictMode>,
  );
}
