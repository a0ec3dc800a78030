// Plain-text tables for the terminal (and, in Markdown form, for docs/performance.md):
// a title, a header row and aligned columns. Numbers are right-aligned.

export interface Column {
  readonly header: string;
  /** 'right' for numbers (the default for every column but the first). */
  readonly align?: 'left' | 'right';
}

export interface Table {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table (what a figure means, the limit it is compared to). */
  readonly notes?: readonly string[];
}

const alignOf = (table: Table, i: number): 'left' | 'right' =>
  table.columns[i]?.align ?? (i === 0 ? 'left' : 'right');

function widths(table: Table): number[] {
  return table.columns.map((column, i) =>
    Math.max(column.header.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
}

export function renderTable(table: Table): string {
  const w = widths(table);
  const cell = (text: string, i: number): string =>
    alignOf(table, i) === 'left' ? text.padEnd(w[i] ?? 0) : text.padStart(w[i] ?? 0);
  const line = (cells: readonly string[]): string =>
    table.columns.map((_, i) => cell(cells[i] ?? '', i)).join('  ');
  const rule = w.map((n) => '─'.repeat(n)).join('  ');
  return [
    '',
    table.title,
    line(table.columns.map((c) => c.header)),
    rule,
    ...table.rows.map(line),
    ...(table.notes ?? []).map((note) => `  ${note}`),
  ].join('\n');
}

export function markdownTable(table: Table): string {
  const head = `| ${table.columns.map((c) => c.header).join(' | ')} |`;
  const rule = `| ${table.columns.map((_, i) => (alignOf(table, i) === 'right' ? '---:' : '---')).join(' | ')} |`;
  const rows = table.rows.map(
    (row) => `| ${table.columns.map((_, i) => row[i] ?? '').join(' | ')} |`,
  );
  return [`**${table.title}**`, '', head, rule, ...rows].join('\n');
}
