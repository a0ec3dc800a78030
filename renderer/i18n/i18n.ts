// i18next for the renderer: English, Ukrainian and Russian (the Hideez Client's
// languages), bundled (no loading), one flat namespace. Keys contain dots
// ('view.suspended' and 'view.suspended.title' may both exist), so key and
// namespace separators are off. The language comes from the saved choice, else from
// the browser, else English.
import { createInstance, type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Catalogue } from './locales/catalogue';
import { en } from './locales/en';
import { ru } from './locales/ru';
import { uk } from './locales/uk';

export const LANGUAGES = ['en', 'uk', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];
export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, uk, ru };

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** The saved choice, else the first preferred browser language we have, else English. */
export function pickLanguage(saved: string | null, preferred: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export const LANGUAGE_STORAGE_KEY = 'hideez-companion.language';

/** Reads the saved language; storage may be missing or refuse (privacy modes). */
export function savedLanguage(storage: Pick<Storage, 'getItem'> | undefined): string | null {
  try {
    return storage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function saveLanguage(storage: Pick<Storage, 'setItem'> | undefined, lang: Language): void {
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    // Not saved: the choice still holds for this session.
  }
}

export interface I18nOptions {
  /** Tests: called for a key missing in the language (no fallback to English then). */
  readonly onMissingKey?: (language: string, key: string) => void;
  /** Tests: called for a placeholder the call did not fill. */
  readonly onMissingValue?: (key: string, name: string) => void;
}

/** A ready instance (initialised synchronously: the catalogues are bundled). */
export function createI18n(language: Language, options: I18nOptions = {}): I18n {
  const instance = createInstance();
  const strict = options.onMissingKey !== undefined;
  void instance.use(initReactI18next).init({
    resources: Object.fromEntries(
      LANGUAGES.map((lang) => [lang, { translation: CATALOGUES[lang] }]),
    ),
    lng: language,
    fallbackLng: strict ? false : 'en',
    supportedLngs: [...LANGUAGES],
    keySeparator: false,
    nsSeparator: false,
    initAsync: false,
    returnNull: false,
    // React escapes text itself.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    ...(strict
      ? {
          saveMissing: true,
          missingKeyHandler: (lngs: readonly string[], _ns: string, key: string) => {
            options.onMissingKey?.(lngs.join(','), key);
          },
        }
      : {}),
    ...(options.onMissingValue
      ? {
          missingInterpolationHandler: (text: string, value: unknown[]) => {
            const name = typeof value[1] === 'string' ? value[1] : String(value[0]);
            options.onMissingValue?.(text, name.trim());
            return '';
          },
        }
      : {}),
  });
  return instance;
}
