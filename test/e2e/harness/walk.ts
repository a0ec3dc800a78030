// One walk: a fresh world (stand-in, virtual keys, companion, browser host) and a fresh
// browser context on its page; the body drives the page as the employee would. After the
// body: no console/page error or CSP violation, and no typed secret in the page, the
// console, the screenshots' names, the IPC events or the companion's data dir files.
import type { Browser } from 'playwright-core';
import { openCompanion, type CompanionPage, type OpenOptions } from './companion-page';
import { dirTexts, expectNoLeaks, pageTexts } from './secrets';
import { startWorld, type World, type WorldOptions } from './world';

export interface WalkContext {
  readonly world: World;
  readonly ui: CompanionPage;
  /** The key's serial (the first key). */
  readonly serial: string;
}

export async function walk(
  browser: Browser,
  options: WorldOptions & OpenOptions,
  body: (walk: WalkContext) => Promise<void>,
): Promise<void> {
  const world = await startWorld(options);
  let ui: CompanionPage | undefined;
  try {
    ui = await openCompanion(browser, world.host.url, options);
    // A Key 3 walk's screens are named apart, so they never replace the open key's pictures.
    const opened = ui;
    const page: CompanionPage =
      options.family === 'key3'
        ? Object.assign(Object.create(opened) as CompanionPage, {
            screen: (name: string, secrets: readonly string[]) =>
              opened.screen(`${name}-key3`, secrets),
          })
        : opened;
    await body({ world, ui: page, serial: world.serials[0] ?? '' });
    ui.expectNoProblems();
    expectNoLeaks(world.typed, {
      ...(await pageTexts(ui.page)),
      console: ui.console.join('\n'),
      'screenshot names': ui.shots.join('\n'),
      'IPC events': JSON.stringify(world.events),
    });
    await ui.close();
    ui = undefined;
    await world.app.service.ready();
    await world.stopApp();
    expectNoLeaks(world.typed, dirTexts(world.dataDir));
  } finally {
    await ui?.close();
    await world.close();
  }
}
