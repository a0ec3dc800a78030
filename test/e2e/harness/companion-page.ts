// The companion's page in real Chromium, as the employee sees it, with the checks every
// walk needs: console errors, uncaught page errors and CSP violations are collected (and
// fail the walk), each screen can be checked with axe and saved as a screenshot, and the
// selectors of the renderer's DOM contract (data-testid, data-* state attributes) are named
// here once. Every wait is a Playwright locator wait on a state attribute, never a sleep.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expectAxeClean } from './axe';
import { screenshotPath } from './screenshots';
import { expectNoLeaks, pageTexts } from './secrets';

export const VIEWPORT = { width: 1000, height: 720 } as const;
/** How long one wait for the page may take: covers a key's flow, never a fixed delay. */
export const WAIT_MS = 20_000;

export interface OpenOptions {
  readonly colorScheme?: 'light' | 'dark';
}

export type DialogKind = 'activationCode' | 'newPin' | 'pin' | 'button' | 'changePin';

export interface CompanionPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors, uncaught errors and CSP violations seen so far. */
  readonly problems: string[];
  /** Every console message (any level), for the secrets scan. */
  readonly console: string[];
  /** Every screenshot written. */
  readonly shots: string[];
  /** The header's server state, once it shows `state`. */
  serverStatus(state: string): Promise<Locator>;
  card(serial: string): Locator;
  /** The key's card once it shows these state attributes (data-view-kind, data-step, …). */
  cardWith(serial: string, attrs: Record<string, string>): Promise<Locator>;
  /** The prompt dialog of this kind for this key, once open. */
  dialog(serial: string, kind: DialogKind): Promise<Locator>;
  /** Resolves once no prompt dialog is open. */
  noDialog(): Promise<void>;
  /** A notice of this kind, once shown. */
  notice(kind: string): Promise<Locator>;
  /** Runs axe on the screen as it is; fails with the violations. */
  axe(screen: string): Promise<void>;
  /** axe, the secrets check on what is shown, then the screenshot `<name>.png`. */
  screen(name: string, secrets: readonly string[]): Promise<void>;
  /** From now on, console errors matching `pattern` are expected (e.g. a refused socket). */
  tolerate(pattern: RegExp): void;
  /** Fails if any console error, page error or CSP violation happened. */
  expectNoProblems(): void;
  close(): Promise<void>;
}

/** Marks a CSP violation on the console so the collector sees it (the page's CSP allows this). */
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});`;

const attr = (name: string, value: string): string => `[${name}="${value.replace(/"/g, '\\"')}"]`;

export async function openCompanion(
  browser: Browser,
  url: string,
  options: OpenOptions = {},
): Promise<CompanionPage> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  const consoleLines: string[] = [];
  const shots: string[] = [];
  const tolerated: RegExp[] = [];
  page.on('console', (message) => {
    consoleLines.push(message.text());
    if (message.type() !== 'error') return;
    if (tolerated.some((pattern) => pattern.test(message.text()))) return;
    const where = message.location().url;
    problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.name}: ${error.message}`));
  await page.addInitScript(CSP_LISTENER);
  await page.goto(url);

  const card = (serial: string): Locator =>
    page.locator(`article[data-testid="key-card"]${attr('data-serial', serial)}`);
  const visible = async (locator: Locator): Promise<Locator> => {
    await locator.first().waitFor({ state: 'visible' });
    return locator.first();
  };
  const companion: CompanionPage = {
    page,
    context,
    problems,
    console: consoleLines,
    shots,
    serverStatus: (state) =>
      visible(page.locator(`[data-testid="server-status"]${attr('data-state', state)}`)),
    card,
    cardWith(serial, attrs) {
      const selector = Object.entries(attrs)
        .map(([name, value]) => attr(name, value))
        .join('');
      return visible(
        page.locator(`article[data-testid="key-card"]${attr('data-serial', serial)}${selector}`),
      );
    },
    dialog: (serial, kind) =>
      visible(
        page.locator(
          `[role="dialog"][data-testid="prompt-dialog"]${attr('data-kind', kind)}${attr('data-serial', serial)}`,
        ),
      ),
    async noDialog() {
      await page.locator('[data-testid="prompt-dialog"]').waitFor({ state: 'detached' });
    },
    notice: (kind) => visible(page.locator(`[data-testid="notice"]${attr('data-kind', kind)}`)),
    axe: (screen) => expectAxeClean(page, screen),
    async screen(name, secrets) {
      await expectAxeClean(page, name);
      expectNoLeaks(secrets, { ...(await pageTexts(page)), 'screenshot name': name });
      const path = screenshotPath(name);
      // Times change every run: hidden (through the CSSOM, which the CSP allows) so the
      // pictures stay the same; a mask would also paint over an open dialog's backdrop.
      await page.evaluate(() => {
        for (const time of Array.from(document.querySelectorAll<HTMLElement>('time'))) {
          time.style.visibility = 'hidden';
        }
      });
      try {
        await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      } finally {
        await page.evaluate(() => {
          for (const time of Array.from(document.querySelectorAll<HTMLElement>('time'))) {
            time.style.removeProperty('visibility');
          }
        });
      }
      shots.push(path);
    },
    tolerate(pattern) {
      tolerated.push(pattern);
      const others = problems.filter((p) => !pattern.test(p.replace(/^console error: /, '')));
      problems.splice(0, problems.length, ...others);
    },
    expectNoProblems() {
      if (problems.length > 0) throw new Error(`the page reported:\n  ${problems.join('\n  ')}`);
    },
    close: () => context.close(),
  };
  return companion;
}
