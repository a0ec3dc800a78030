// The card at the smallest window the companion supports (800×600), with a very long
// owner address and long names: nothing overflows sideways, and the address wraps only
// after '.', '@' or '-', never inside a word (read from the line boxes Chromium laid out).
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser';
import { enterCode } from './harness/steps';
import { walk } from './harness/walk';

const chromium = useBrowser();
const EMAIL = 'firstname.lastname.department.subdivision@very-long-company-domain-name.example.com';

/** Each line of an element's text as Chromium broke it: one range per character, by its top. */
const LINES_OF = (selector: string): string[] => {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`no ${selector}`);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const lines: { top: number; text: string }[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    for (let i = 0; i < text.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const last = lines.at(-1);
      if (last && Math.abs(rect.top - last.top) < 2) last.text += text[i];
      else lines.push({ top: rect.top, text: text[i] ?? '' });
    }
  }
  return lines.map((l) => l.text);
};

describe('layout at 800×600', { timeout: 90_000 }, () => {
  it('a long owner address wraps only after . @ -, and nothing overflows sideways', async () => {
    await walk(chromium.browser, {}, async ({ world, ui, serial }) => {
      const { page } = ui;
      await page.setViewportSize({ width: 800, height: 600 });
      const standIn = world.rig.server.standIn;
      const employee = standIn.addEmployee({
        firstName: 'Maximiliana Alexandrina',
        lastName: 'Wolkenstein-Rodenegg-Trostburg',
        email: EMAIL,
      });
      const code = standIn.reserve(serial, employee.id).activationCode;
      world.typed.push(code);
      await ui.serverStatus('connected');
      await world.plug(serial);
      await enterCode(ui, serial, code, world.typed);
      await ui.noDialog();
      const card = await ui.cardWith(serial, { 'data-view-kind': 'active' });
      const address = card.locator('[data-testid="email-address"]');
      await address.waitFor();

      const overflow = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        // Text boxes only: a decorative icon (aria-hidden) may draw past its box on purpose.
        wide: [...document.querySelectorAll<HTMLElement>('main *:not([aria-hidden="true"])')]
          .filter(
            (el) =>
              el.clientWidth > 0 &&
              el.scrollWidth > el.clientWidth + 1 &&
              getComputedStyle(el).overflowX === 'visible',
          )
          .map((el) => `${el.tagName}.${el.className}`),
      }));
      expect(overflow.page, 'the page scrolls sideways').toBeLessThanOrEqual(0);
      expect(overflow.wide).toEqual([]);

      const lines = await page.evaluate(LINES_OF, '[data-testid="email-address"]');
      expect(lines.join('')).toBe(EMAIL);
      expect(lines.length, 'the address wraps at this width').toBeGreaterThan(1);
      for (const line of lines.slice(0, -1)) expect(line, lines.join(' | ')).toMatch(/[.@-]$/);
    });
  });
});
