// The page loads from the browser host in real Chromium under its CSP, with no console
// error, page error or CSP violation, and axe finds nothing; a page that breaks the CSP
// or the WCAG rules is caught (the checks themselves can fail).
import { describe, expect, it } from 'vitest';
import { axeViolations } from './harness/axe';
import { useBrowser } from './harness/browser';
import { walk } from './harness/walk';

const chromium = useBrowser();

describe('the companion page in Chromium', { timeout: 60_000 }, () => {
  it('loads over the browser host with its CSP, no errors, and axe finds nothing', async () => {
    await walk(chromium.browser, {}, async ({ world, ui }) => {
      const response = await ui.page.request.get(world.host.origin + '/');
      expect(response.headers()['content-security-policy']).toContain("default-src 'none'");
      await ui.page.locator('#root > *').first().waitFor();
      await ui.axe('smoke');
    });
  });

  it('the checks catch a CSP violation and an axe violation', async () => {
    await walk(chromium.browser, {}, async ({ ui }) => {
      await ui.page.locator('#root > *').first().waitFor();
      // An inline script is refused by script-src 'self': the collector must see it.
      const refused = ui.page.waitForEvent('console', (m) => m.text().includes('CSP violation'));
      await ui.page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'void 0';
        document.body.append(script);
        const image = document.createElement('img');
        image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
        document.body.append(image);
      });
      await ui.page.waitForFunction(() => document.querySelector('img') !== null);
      await refused;
      expect(ui.problems.some((p) => p.includes('CSP violation'))).toBe(true);
      const violations = await axeViolations(ui.page);
      expect(violations.map((v) => v.id)).toContain('image-alt');
      ui.problems.length = 0;
    });
  });
});
