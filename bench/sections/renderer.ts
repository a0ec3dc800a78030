// Item 8: the renderer. The production bundle's size (raw and gzipped), and the time
// to first meaningful render in headless Chromium, served by the browser host over the
// companion's production composition (as `npm start` serves it): with no key (the
// empty state) and with one key Online (its card). Each load is cold (a new context).
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openProtocolKeys } from '../../device/open-protocol/open-discovery';
import { createHidDiscovery } from '../../device/transport/hid';
import { startCompanionApp, type CompanionApp } from '../../main/app/companion-app';
import { startBrowserHost } from '../../main/browser-host/browser-host';
import type { KeySnapshot } from '../../shared/ipc/snapshot';
import { nowMs, withTimeout } from '../clock';
import { profile } from '../link-profiles';
import { bundleFiles, type BundleFile } from '../renderer/bundle-size';
import { launchChromium, measureLoad, type RenderTiming } from '../renderer/first-render';
import { bytes, ms } from '../report/format';
import { median } from '../report/stats';
import type { Table } from '../report/table';
import type { Section } from '../section';
import { KeyWorld } from '../world/key-world';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER = join(ROOT, 'out', 'renderer');

function build(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'build/tools/with-electron-node.mjs'), 'npx', 'electron-vite', 'build'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`electron-vite build exited ${code}`)),
    );
  });
}

/** The newest modification time of the renderer's sources (to tell a stale bundle). */
async function newestSource(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true });
  let newest = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs,
    );
  }
  return newest;
}

function untilKey(
  app: CompanionApp,
  serialNo: string,
  match: (k: KeySnapshot) => boolean,
): Promise<void> {
  return withTimeout(
    new Promise<void>((resolveKey) => {
      const test = (): boolean =>
        app.service.snapshot().keys.some((k) => k.serialNo === serialNo && match(k));
      if (test()) return resolveKey();
      const off = app.router.onEvent(() => {
        if (!test()) return;
        off();
        resolveKey();
      });
    }),
    30_000,
    'the key to reach a state',
  );
}

interface Scenario {
  readonly label: string;
  readonly loads: RenderTiming[];
}

function sizeTable(files: readonly BundleFile[], note: string): Table {
  const kinds = [...new Set(files.map((f) => f.kind))];
  const sum = (list: readonly BundleFile[], key: 'raw' | 'gzip'): number =>
    list.reduce((a, f) => a + f[key], 0);
  const shipped = files.filter((f) => f.kind !== 'source map');
  return {
    title: '8. Renderer production bundle (out/renderer)',
    columns: [
      { header: 'File' },
      { header: 'kind', align: 'left' },
      { header: 'raw' },
      { header: 'gzip' },
    ],
    rows: [
      ...files.map((f) => [f.path, f.kind, bytes(f.raw), bytes(f.gzip)]),
      ...kinds.map((k) => {
        const list = files.filter((f) => f.kind === k);
        return [`total ${k}`, '', bytes(sum(list, 'raw')), bytes(sum(list, 'gzip'))];
      }),
      ['total shipped (no maps)', '', bytes(sum(shipped, 'raw')), bytes(sum(shipped, 'gzip'))],
    ],
    notes: [note],
  };
}

function renderTable(scenarios: readonly Scenario[]): Table {
  const med = (
    list: readonly RenderTiming[],
    pick: (t: RenderTiming) => number | undefined,
  ): number =>
    median(
      list.flatMap((t) => {
        const v = pick(t);
        return v === undefined ? [] : [v];
      }),
    );
  return {
    title:
      '8b. Time to first meaningful render, headless Chromium (ms from navigation start, cold loads)',
    columns: [
      { header: 'Scenario' },
      { header: 'matched', align: 'left' },
      { header: 'n' },
      { header: 'meaningful (median)' },
      { header: 'min' },
      { header: 'max' },
      { header: 'first #root frame' },
      { header: 'FCP' },
      { header: 'DOMContentLoaded' },
    ],
    rows: scenarios.map((s) => [
      s.label,
      [...new Set(s.loads.map((l) => l.selector))].join(' '),
      String(s.loads.length),
      ms(med(s.loads, (l) => l.meaningfulMs)),
      ms(Math.min(...s.loads.map((l) => l.meaningfulMs))),
      ms(Math.max(...s.loads.map((l) => l.meaningfulMs))),
      ms(med(s.loads, (l) => l.firstRootFrameMs)),
      ms(med(s.loads, (l) => l.firstContentfulPaintMs)),
      ms(med(s.loads, (l) => l.domContentLoadedMs)),
    ]),
    notes: [
      'meaningful: the first animation frame after a key card or the empty state is in the DOM with a box',
      '(bench/renderer/first-render.ts MEANINGFUL_SELECTORS; if neither shows within 5 s, the first child of #root).',
    ],
  };
}

export const rendererSection: Section = async ({ config, log }) => {
  let builtMs: number | undefined;
  if (!existsSync(join(RENDERER, 'index.html'))) {
    log('  renderer: out/renderer is missing, building …');
    const started = nowMs();
    await build();
    builtMs = nowMs() - started;
  }
  const bundleTime = statSync(join(RENDERER, 'index.html')).mtimeMs;
  const stale = (await newestSource(join(ROOT, 'renderer'))) > bundleTime;
  const files = await bundleFiles(RENDERER);
  const note =
    builtMs !== undefined
      ? `Built by the bench in ${ms(builtMs)} ms.`
      : `Built ${new Date(bundleTime).toISOString()}${stale ? ' — OLDER than renderer/ sources: run npm run build for current figures' : ''}.`;

  const world = await KeyWorld.start();
  world.setProfile(profile('usb-fs'));
  const dataDir = await mkdtemp(join(tmpdir(), 'hideez-bench-renderer-'));
  const app = await startCompanionApp({
    dataDir,
    serverUrl: world.serverUrl,
    discoveries: [
      openProtocolKeys(
        createHidDiscovery({
          hid: world.links.bus.nodeHid,
          usb: world.links.bus.usb,
          hidNodes: world.links.bus.hidNodes,
        }),
      ),
    ],
    appVersion: '0.0.0-bench',
  });
  const host = await startBrowserHost({ router: app.router, root: RENDERER });
  const browser = await launchChromium();
  const scenarios: Scenario[] = [];
  try {
    await withTimeout(
      new Promise<void>((registered) => {
        const check = (): void => {
          if (app.hes.state.state === 'notApproved') registered();
        };
        app.hes.onState(check);
        check();
      }),
      30_000,
      'the companion to register',
    );
    world.approve(app.workstationId);
    // The browser's first page ever is slower (its own start-up): not counted.
    await measureLoad(browser, host.url);
    const loads = async (label: string): Promise<void> => {
      const list: RenderTiming[] = [];
      for (let i = 0; i < config.renderLoads; i++) list.push(await measureLoad(browser, host.url));
      scenarios.push({ label, loads: list });
      log(`  renderer: ${label}: ${list.map((l) => l.meaningfulMs.toFixed(0)).join(', ')} ms`);
    };
    await loads('no key');
    const [key] = await world.provision(1, profile('usb-fs'));
    if (!key) throw new Error('no key provisioned');
    const code = world.reserve(key.serialNo);
    await world.switchOn(key);
    await untilKey(app, key.serialNo, (k) => k.prompt?.kind === 'activationCode');
    await app.router.handle('submitActivationCode', [key.serialNo, code]);
    await untilKey(app, key.serialNo, (k) => k.step === 'online');
    await loads('one key Online');
  } finally {
    await browser.close();
    await host.close();
    await app.stop();
    await world.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return {
    tables: [sizeTable(files, note), renderTable(scenarios)],
    data: { files, builtMs, stale, scenarios },
  };
};
