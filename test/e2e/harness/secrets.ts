// The secrets scan after a walk: no code or PIN the walk typed (or the admin handed out)
// may show in the page's text, its DOM attributes, a field's value, the browser's console,
// a screenshot's file name, an IPC event, or any file in the companion's data dir.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where in `texts` (by label) any secret occurs; never the secret itself. */
export function leaks(secrets: readonly string[], texts: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [label, text] of Object.entries(texts)) {
    secrets.forEach((secret, i) => {
      if (secret !== '' && text.includes(secret)) found.push(`secret #${i + 1} in ${label}`);
    });
  }
  return found;
}

export function expectNoLeaks(secrets: readonly string[], texts: Record<string, string>): void {
  const found = leaks(secrets, texts);
  if (found.length > 0) throw new Error(`typed secrets leaked: ${found.join('; ')}`);
}

/** The page's text, every attribute of every element, and every field's current value. */
export async function pageTexts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const attributes: string[] = [];
    const values: string[] = [];
    for (const element of Array.from(document.querySelectorAll('*'))) {
      for (const attribute of Array.from(element.attributes)) {
        attributes.push(`${attribute.name}=${attribute.value}`);
      }
      if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
        values.push(element.value);
      }
    }
    return {
      'page text': document.documentElement.textContent ?? '',
      'DOM attributes': attributes.join('\n'),
      'field values': values.join('\n'),
      title: document.title,
    };
  });
}

/** Every file under `dir`, as latin1 text (SQLite and JSON alike). */
export function dirTexts(dir: string): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    texts[`data file ${file.slice(dir.length + 1)}`] = readFileSync(file).toString('latin1');
  }
  return texts;
}
