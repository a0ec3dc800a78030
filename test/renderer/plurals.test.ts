// Every text that carries a number agrees with it in each language (i18next plural keys:
// _one/_other in English, _one/_few/_many/_other in Ukrainian and Russian), rendered the
// way the screens render it, for the counts where the forms differ.
import { describe, expect, it } from 'vitest';
import { COUNTED_MESSAGES, type MessageKey } from '../../shared/view/messages';
import { createI18n, LANGUAGES, type Language } from '../../renderer/i18n/i18n';
import { viewText } from '../../renderer/i18n/message-ref';

const COUNTS = [0, 1, 2, 5, 11, 21, 22] as const;
type Count = (typeof COUNTS)[number];
type Forms = Readonly<Record<Language, Readonly<Record<Count, string>>>>;

const en = (one: string, other: string): Readonly<Record<Count, string>> => ({
  0: other,
  1: one,
  2: other,
  5: other,
  11: other,
  21: other,
  22: other,
});
/** The noun after 0, 1, 2, 5, 11, 21, 22 in a Slavic language. */
const slavic = (...w: [string, string, string, string, string, string, string]) =>
  Object.fromEntries(COUNTS.map((c, i) => [c, w[i]])) as Readonly<Record<Count, string>>;

const ATTEMPTS: Forms = {
  en: en('attempt', 'attempts'),
  uk: slavic('спроб', 'спроба', 'спроби', 'спроб', 'спроб', 'спроба', 'спроби'),
  ru: slavic('попыток', 'попытка', 'попытки', 'попыток', 'попыток', 'попытка', 'попытки'),
};
/** "at least N digits": nominative in both. */
const DIGITS: Forms = {
  en: en('digit', 'digits'),
  uk: slavic('цифр', 'цифра', 'цифри', 'цифр', 'цифр', 'цифра', 'цифри'),
  ru: slavic('цифр', 'цифра', 'цифры', 'цифр', 'цифр', 'цифра', 'цифры'),
};
/** "up to N digits", "no more than N digits": genitive. */
const DIGITS_OF: Forms = {
  en: en('digit', 'digits'),
  uk: slavic('цифр', 'цифри', 'цифр', 'цифр', 'цифр', 'цифри', 'цифр'),
  ru: slavic('цифр', 'цифры', 'цифр', 'цифр', 'цифр', 'цифры', 'цифр'),
};
/** Russian "не менее N цифр" takes the genitive. */
const AT_LEAST_DIGITS: Forms = { ...DIGITS, ru: DIGITS_OF.ru };

/** The shared view messages with a count, by the noun that follows it. */
const VIEW_FORMS: Readonly<Record<MessageKey, Forms>> = {
  'view.awaitingActivation': ATTEMPTS,
  'view.suspended': ATTEMPTS,
  'view.pinRequired': ATTEMPTS,
  'view.newPinRequired': DIGITS,
} as Readonly<Record<MessageKey, Forms>>;

/** The screens' own counted texts: the key, its values for a count, and the noun. */
const SCREEN_TEXTS: readonly {
  key: string;
  values: (n: number) => Record<string, number>;
  forms: Forms;
}[] = [
  { key: 'prompt.attemptsLeft', values: (n) => ({ count: n }), forms: ATTEMPTS },
  { key: 'prompt.code.wrong', values: (n) => ({ count: n }), forms: ATTEMPTS },
  { key: 'prompt.pin.wrong', values: (n) => ({ count: n }), forms: ATTEMPTS },
  { key: 'prompt.code.hint', values: (n) => ({ min: 0, max: n, count: n }), forms: DIGITS_OF },
  { key: 'prompt.pin.hint', values: (n) => ({ min: 0, max: n, count: n }), forms: DIGITS_OF },
  { key: 'prompt.pin.tooShort', values: (n) => ({ min: n, count: n }), forms: AT_LEAST_DIGITS },
  { key: 'prompt.pin.tooLong', values: (n) => ({ max: n, count: n }), forms: DIGITS_OF },
];

/** The count followed by exactly this word (not a longer one). */
const saysCount = (text: string, count: number, word: string): boolean =>
  new RegExp(`(^|\\D)${count} ${word}(?!\\p{L})`, 'u').test(text);

describe.each(LANGUAGES)('counted texts in %s', (language) => {
  const strict = (): { t: ReturnType<typeof createI18n>['t']; missing: string[] } => {
    const missing: string[] = [];
    const i18n = createI18n(language, {
      onMissingKey: (_l, key) => missing.push(key),
      onMissingValue: (_t, name) => missing.push(name),
    });
    return { t: i18n.t, missing };
  };

  it('covers every counted shared message', () => {
    expect(Object.keys(VIEW_FORMS).sort()).toEqual(Object.keys(COUNTED_MESSAGES).sort());
  });

  it.each(Object.entries(VIEW_FORMS))('%s agrees with its count', (key, forms) => {
    const { t, missing } = strict();
    const counted = COUNTED_MESSAGES[key as MessageKey];
    if (!counted) throw new Error(key);
    for (const count of COUNTS) {
      const text = viewText(t, key as MessageKey, {
        attemptsRemain: 9,
        minPinLength: 9,
        [counted.count]: count,
      });
      const word = forms[language][count];
      expect(saysCount(text, count, word), `${count}: ${text}`).toBe(true);
      expect(text).not.toMatch(/\(s\)|:\s*\d+\.?$/);
    }
    expect(missing).toEqual([]);
  });

  it.each(SCREEN_TEXTS)('$key agrees with its count', ({ key, values, forms }) => {
    const { t, missing } = strict();
    for (const count of COUNTS) {
      const text = t(key, values(count));
      const word = forms[language][count];
      expect(saysCount(text, count, word), `${count}: ${text}`).toBe(true);
    }
    expect(missing).toEqual([]);
  });
});
