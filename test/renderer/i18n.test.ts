// The catalogues: every shared message in English as shared/ writes it, every key in
// every language with the same placeholders, the plural forms each language needs,
// real translations (not English copies), and the language choice.
import { describe, expect, it } from 'vitest';
import { INPUT_ERROR_MESSAGES, IPC_ERROR_MESSAGES } from '../../shared/ipc/contract';
import {
  COUNTED_MESSAGES,
  MESSAGES,
  MESSAGE_KEYS,
  messagePlaceholders,
} from '../../shared/view/messages';
import { SERVER_CONNECTIONS, OFFLINE_REASONS } from '../../shared/view/server-state';
import { VIEW_KIND_ORDER } from '../../shared/view/view-kind';
import {
  VAULT_STATUSES,
  VAULT_STATUS_REASONS,
  vaultStatusName,
  vaultStatusReasonName,
} from '../../shared/vault/vault-status';
import { CATALOGUES, LANGUAGES, createI18n, pickLanguage } from '../../renderer/i18n/i18n';
import { placeholdersOf, toI18nextPlaceholders } from '../../renderer/i18n/placeholders';
import { serverStateRef, translate } from '../../renderer/i18n/message-ref';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseOf = (key: string): string => key.replace(PLURAL, '');
const baseKeys = (lang: (typeof LANGUAGES)[number]): string[] =>
  [...new Set(Object.keys(CATALOGUES[lang]).map(baseOf))].sort();

/** Texts that are the same in every language on purpose (names, commands, numbers). */
const SAME_IN_EVERY_LANGUAGE = new Set([
  'app.title',
  'links.usb.unauthorized.command',
  'key.connection.usb',
  'key.connection.ble',
  'key.batteryValue',
  'history.change',
  'language.en',
  'language.uk',
  'language.ru',
]);

describe('the English catalogue', () => {
  it('holds every shared view message, as shared/ words it, with {{name}} placeholders', () => {
    for (const key of MESSAGE_KEYS) {
      const counted = COUNTED_MESSAGES[key];
      // A counted message has its English forms and no plain key.
      const other = counted ? `${key}_other` : key;
      expect(CATALOGUES.en[other], key).toBe(toI18nextPlaceholders(MESSAGES[key]));
      if (counted) {
        expect(CATALOGUES.en[`${key}_one`], key).toBe(toI18nextPlaceholders(counted.one));
        expect(CATALOGUES.en[key], key).toBeUndefined();
      }
      expect(placeholdersOf(CATALOGUES.en[other] ?? ''), key).toEqual(
        [...new Set(messagePlaceholders(key))].sort(),
      );
    }
  });

  it('holds every input and IPC error message of the contract', () => {
    for (const [code, text] of Object.entries({ ...INPUT_ERROR_MESSAGES, ...IPC_ERROR_MESSAGES })) {
      expect(CATALOGUES.en[`error.${code}`], code).toBe(text);
    }
  });

  it('has a badge, a notice title and a status or reason text for every value of the model', () => {
    const en = CATALOGUES.en;
    for (const kind of VIEW_KIND_ORDER) {
      expect(en[`status.${kind}`], kind).toBeDefined();
      expect(en[`noticeTitle.${kind}`], kind).toBeDefined();
    }
    expect(en['noticeTitle.lowBattery']).toBeDefined();
    for (const status of VAULT_STATUSES) {
      expect(en[`vault.status.${vaultStatusName(status)}`]).toBeDefined();
    }
    for (const reason of VAULT_STATUS_REASONS) {
      expect(en[`vault.reason.${vaultStatusReasonName(reason)}`]).toBeDefined();
    }
    for (const reason of OFFLINE_REASONS)
      expect(en[`server.offlineReason.${reason}`]).toBeDefined();
  });
});

describe.each(LANGUAGES)('the %s catalogue', (lang) => {
  const catalogue = CATALOGUES[lang];

  it('has every key of English and no other', () => {
    expect(baseKeys(lang)).toEqual(baseKeys('en'));
  });

  it('has exactly the plural forms the language uses for each counted text', () => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    const counted = new Set(
      Object.keys(CATALOGUES.en)
        .filter((k) => PLURAL.test(k))
        .map(baseOf),
    );
    expect(counted.size).toBeGreaterThan(0);
    for (const base of counted) {
      const forms = Object.keys(catalogue)
        .filter((k) => baseOf(k) === base && PLURAL.test(k))
        .map((k) => k.slice(base.length + 1))
        .sort();
      expect(forms, base).toEqual([...categories].sort());
      expect(catalogue[base], `${base} has no plain form`).toBeUndefined();
    }
  });

  it('uses the same placeholders as English in every text', () => {
    const english = new Map<string, string[]>();
    for (const [key, text] of Object.entries(CATALOGUES.en))
      english.set(baseOf(key), placeholdersOf(text));
    for (const [key, text] of Object.entries(catalogue)) {
      expect(placeholdersOf(text), `${lang} ${key}`).toEqual(english.get(baseOf(key)));
      expect(text.trim(), `${lang} ${key} is empty`).not.toBe('');
    }
  });

  it('says every server state in words, with no missing key or value', () => {
    const missing: string[] = [];
    const i18n = createI18n(lang, {
      onMissingKey: (_l, key) => missing.push(key),
      onMissingValue: (_t, name) => missing.push(name),
    });
    const texts = SERVER_CONNECTIONS.map((c) => translate(i18n.t, serverStateRef(c)));
    expect(missing).toEqual([]);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('counts attempts with the right form', () => {
    const i18n = createI18n(lang);
    for (const count of [1, 2, 5]) {
      const text = i18n.t('prompt.attemptsLeft', { count });
      expect(text).toContain(String(count));
      expect(text).not.toContain('prompt.');
    }
  });
});

describe.each(['uk', 'ru'] as const)('the %s translation', (lang) => {
  it('is a translation, not a copy of the English texts', () => {
    const catalogue = CATALOGUES[lang];
    const copies = Object.entries(catalogue).filter(
      ([key, text]) => !SAME_IN_EVERY_LANGUAGE.has(key) && CATALOGUES.en[key] === text,
    );
    expect(copies.map(([key]) => key)).toEqual([]);
    const cyrillic = /[\u0400-\u04FF]/;
    const latinOnly = Object.entries(catalogue).filter(
      ([key, text]) => !SAME_IN_EVERY_LANGUAGE.has(key) && !cyrillic.test(text),
    );
    expect(latinOnly.map(([key]) => key)).toEqual([]);
  });
});

describe('the language at start', () => {
  it('is the saved choice, else the first preferred language we have, else English', () => {
    expect(pickLanguage('ru', ['uk-UA'])).toBe('ru');
    expect(pickLanguage(null, ['uk-UA', 'en-US'])).toBe('uk');
    expect(pickLanguage(null, ['de-DE', 'ru'])).toBe('ru');
    expect(pickLanguage('de', ['fr-FR'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
  });
});

describe('error texts', () => {
  it('cover every workflow error code main can answer or stop a flow with', async () => {
    // main/ is the workflow's home; the renderer holds only the words, so this test
    // ties the two together.
    const { WORKFLOW_ERROR_MESSAGES } = await import('../../main/workflow/workflow-error');
    for (const code of Object.keys(WORKFLOW_ERROR_MESSAGES)) {
      expect(CATALOGUES.en[`error.${code}`], code).toBeDefined();
    }
  });
});

describe('the strict instance the tests render with', () => {
  it('reports a missing key and an unfilled placeholder instead of falling back', () => {
    const missing: string[] = [];
    const i18n = createI18n('uk', {
      onMissingKey: (_l, key) => missing.push(key),
      onMissingValue: (_t, name) => missing.push(name),
    });
    i18n.t('no.such.key');
    i18n.t('view.pinRequired', { count: 2 });
    expect(missing).toEqual(['no.such.key', 'attemptsRemain']);
  });
});
