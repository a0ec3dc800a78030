// shared/ writes placeholders as {name}; i18next reads {{name}}. The English view texts
// are taken from shared/ as they are and converted here, so there is one English source.

export const toI18nextPlaceholders = (text: string): string => text.replace(/\{(\w+)\}/g, '{{$1}}');

/** Converts every value of a table of {name}-style texts. */
export function convertTable<K extends string>(
  table: Readonly<Record<K, string>>,
  prefix = '',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(table) as [K, string][]) {
    out[`${prefix}${key}`] = toI18nextPlaceholders(text);
  }
  return out;
}

/** The {{name}} placeholders of an i18next text, sorted and without duplicates. */
export const placeholdersOf = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? ''))].sort();
