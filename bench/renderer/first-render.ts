// Time to first meaningful render in headless Chromium: from navigation start to the
// first frame after an element of MEANINGFUL_SELECTORS is in the DOM and has a box.
// A probe installed before the page's own scripts watches the DOM with a
// MutationObserver, marks the moment (performance.mark) and waits one animation
// frame; first-contentful-paint comes from a PerformanceObserver.
import { chromium, type Browser } from 'playwright-core';

/** What counts as meaningful, best first: change here when the screens change. */
export const MEANINGFUL_SELECTORS = [
  '[data-testid="key-card"]',
  '[data-testid="empty-state"]',
] as const;
/** Used only when none of those shows within FALLBACK_AFTER_MS: the root drew anything. */
export const FALLBACK_SELECTOR = '#root > *';
const FALLBACK_AFTER_MS = 5_000;

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface RenderTiming {
  readonly selector: string;
  /** ms from navigation start, in the page's own clock. */
  readonly meaningfulMs: number;
  /** The first frame in which #root had drawn anything. */
  readonly firstRootFrameMs: number | undefined;
  readonly firstContentfulPaintMs: number | undefined;
  readonly domContentLoadedMs: number | undefined;
  readonly loadMs: number | undefined;
}

// Records, for every selector, the first frame after it matched an element with a box.
const probe = (selectors: readonly string[]): string => `
(() => {
  const selectors = ${JSON.stringify(selectors)};
  const state = { frames: {}, fcp: null };
  window.__benchRender = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'first-contentful-paint' && state.fcp === null) state.fcp = entry.startTime;
    }
  }).observe({ type: 'paint', buffered: true });
  const seen = new Set();
  const check = () => {
    for (const selector of selectors) {
      if (seen.has(selector)) continue;
      const el = document.querySelector(selector);
      if (!el || el.getClientRects().length === 0) continue;
      seen.add(selector);
      performance.mark('bench:dom ' + selector);
      requestAnimationFrame(() => {
        state.frames[selector] = performance.now();
        performance.mark('bench:frame ' + selector);
      });
    }
    if (seen.size === selectors.length) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();
`;

export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, headless: true });
  } catch {
    // As root, Debian's Chromium refuses to start without this.
    return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }
}

interface ProbeState {
  readonly frames: Readonly<Record<string, number>>;
  readonly fcp: number | null;
}

const isProbeState = (value: unknown): value is ProbeState =>
  typeof value === 'object' && value !== null && 'frames' in value;

const SEEN_MEANINGFUL = `(() => { const f = window.__benchRender && window.__benchRender.frames; return !!f && ${JSON.stringify(MEANINGFUL_SELECTORS)}.some((s) => f[s] !== undefined); })()`;

/** One cold load (a fresh browser context: no cache) of `url`. */
export async function measureLoad(browser: Browser, url: string): Promise<RenderTiming> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: probe([...MEANINGFUL_SELECTORS, FALLBACK_SELECTOR]) });
    await page.goto(url);
    await page
      .waitForFunction(SEEN_MEANINGFUL, undefined, { timeout: FALLBACK_AFTER_MS })
      .catch(() => undefined);
    const state = await page.evaluate<unknown>('window.__benchRender');
    const nav = await page.evaluate<unknown>(
      "(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? [n.domContentLoadedEventEnd, n.loadEventEnd] : [] })()",
    );
    if (!isProbeState(state)) throw new Error('the render probe did not run');
    const selector = [...MEANINGFUL_SELECTORS, FALLBACK_SELECTOR].find(
      (s) => state.frames[s] !== undefined,
    );
    if (selector === undefined) throw new Error('nothing was rendered');
    const [dcl, load] = Array.isArray(nav) ? (nav as unknown[]) : [];
    return {
      selector,
      meaningfulMs: state.frames[selector] ?? Number.NaN,
      firstRootFrameMs: state.frames[FALLBACK_SELECTOR],
      firstContentfulPaintMs: state.fcp ?? undefined,
      domContentLoadedMs: typeof dcl === 'number' && dcl > 0 ? dcl : undefined,
      loadMs: typeof load === 'number' && load > 0 ? load : undefined,
    };
  } finally {
    await context.close();
  }
}
