// Rendering with a real i18next instance in a given language. Missing keys and
// unfilled placeholders are collected (no fallback to English), so a test can require
// that none happened.
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { i18n as I18n } from 'i18next';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach } from 'vitest';
import { createI18n, type Language } from '../../renderer/i18n/i18n';

afterEach(() => {
  cleanup();
});

export interface Rendered extends RenderResult {
  readonly i18n: I18n;
  /** Keys not found, and placeholders left unfilled, during the render. */
  readonly missing: string[];
}

export function strictI18n(language: Language, missing: string[]): I18n {
  return createI18n(language, {
    onMissingKey: (lng, key) => missing.push(`${lng}: missing key ${key}`),
    onMissingValue: (text, name) => missing.push(`unfilled {{${name}}} in "${text}"`),
  });
}

export function renderIn(ui: ReactElement, language: Language = 'en'): Rendered {
  const missing: string[] = [];
  const i18n = strictI18n(language, missing);
  const result = render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);
  return { ...result, i18n, missing };
}
