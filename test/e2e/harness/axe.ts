// axe-core in the real Chromium, under the page's own CSP: its source is evaluated through
// the DevTools protocol (page.evaluate), which the page's script-src does not govern, so
// no bypassCSP is needed. Runs the WCAG 2.0 A/AA and 2.1 AA rules on the whole document.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'] as const;

let axeSource: string | undefined;
const source = (): string =>
  (axeSource ??= readFileSync(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    'utf8',
  ));

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** The violations axe finds on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(source());
  return page.evaluate(
    async (tags) => {
      interface AxeResult {
        violations: {
          id: string;
          impact?: string | null;
          help: string;
          nodes: { target: unknown[] }[];
        }[];
      }
      const axe = (
        window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<AxeResult> } }
      ).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.map((n) => n.target.map(String).join(' ')),
      }));
    },
    [...AXE_TAGS],
  );
}

export function describeViolations(screen: string, violations: readonly AxeViolation[]): string {
  const lines = violations.map(
    (v) =>
      `  ${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n    at ${v.targets.join('\n    at ')}`,
  );
  return `axe found ${violations.length} violation(s) on "${screen}":\n${lines.join('\n')}`;
}

/** Fails with every violation listed (id, impact, the nodes' targets). */
export async function expectAxeClean(page: Page, screen: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) throw new Error(describeViolations(screen, violations));
}
