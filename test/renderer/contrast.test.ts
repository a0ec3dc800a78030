// The theme's colour pairs, light and dark, read from renderer/styles/theme.css: every
// text colour on every background it is drawn on reaches WCAG's 4.5:1, and the focus
// ring reaches 3:1 against the page (non-text contrast).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, '../../renderer/styles/theme.css'), 'utf8');

function colours(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) {
    map.set(m[1] ?? '', (m[2] ?? '').toLowerCase());
  }
  return map;
}

const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
const light = colours(css.slice(0, darkStart));
const dark = new Map([...light, ...colours(css.slice(darkStart))]);

function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

function ratio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [text, background] as used by the stylesheets. */
const TEXT_PAIRS: readonly [string, string][] = [
  ...['bg', 'surface', 'surface-2'].flatMap((bg): [string, string][] => [
    ['text', bg],
    ['text-muted', bg],
  ]),
  ['accent', 'surface'],
  ['on-accent', 'accent'],
  ['on-accent', 'accent-hover'],
  ['on-danger', 'danger'],
  ['on-danger', 'danger-hover'],
  ...['success', 'warning', 'error', 'info', 'progress'].map((s): [string, string] => [
    `${s}-text`,
    `${s}-bg`,
  ]),
  ['success-text', 'surface'],
  ['error-text', 'surface'],
  ['text', 'progress-bg'],
];

describe.each([
  ['light', light],
  ['dark', dark],
] as const)('the %s theme', (_name, theme) => {
  it.each(TEXT_PAIRS)('%s on %s reaches 4.5:1', (fg, bg) => {
    const a = theme.get(fg);
    const b = theme.get(bg);
    expect(a, fg).toBeDefined();
    expect(b, bg).toBeDefined();
    expect(ratio(a ?? '', b ?? '')).toBeGreaterThanOrEqual(4.5);
  });

  it('the focus ring stands out from the page and the cards (3:1)', () => {
    for (const bg of ['bg', 'surface', 'surface-2']) {
      expect(ratio(theme.get('focus') ?? '', theme.get(bg) ?? ''), bg).toBeGreaterThanOrEqual(3);
    }
  });
});
