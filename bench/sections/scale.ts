// Item 6 (scale) and the memory half of item 5: 1, 10 and 50 fresh Reserved keys
// switched on together on USB (a provisioning desk), a robot typing each activation
// code as soon as its prompt shows: the time until all are Online, and its ratio to
// one key. The companion's resident memory is read after start and again after every
// key has come and gone (after a full GC, so what remains is what is kept).
import { sleep } from '../clock';
import { CompanionProcess } from '../companion/companion-process';
import type { Usage } from '../companion/protocol';
import { usageDelta } from '../companion/usage';
import { quiet } from '../flows/flow-runner';
import { hubBusyShare } from '../net/hub-busy';
import { profile } from '../link-profiles';
import { bytes, fixed, int, ms, percent } from '../report/format';
import { median } from '../report/stats';
import type { Section } from '../section';
import { activateTogether } from '../world/activate-keys';
import { KeyWorld } from '../world/key-world';

/** Long enough for the USB rescans (500 ms, then 2 s) to have dropped every key. */
const GONE_MS = 3_000;

interface ScaleRun {
  readonly keys: number;
  /** CPU over the run as a share of one core: the companion's, and the world's (stand-in, keys, proxy). */
  readonly companionCpu: number;
  readonly worldCpu: number;
  /** Share of the run with a call outstanding on the one AppHub connection. */
  readonly appHubBusy: number;
  readonly allPromptsMs: number;
  readonly allOnlineMs: number;
  readonly medianOnlineMs: number;
  readonly ratio: number;
}

interface Memory {
  readonly label: string;
  readonly usage: Usage;
}

export const scaleSection: Section = async ({ config, log }) => {
  const world = await KeyWorld.start();
  world.setProfile(profile('usb-fs'));
  const companion = await CompanionProcess.start(
    { mode: 'app', serverUrl: world.serverUrl, links: ['usb', 'ble'] },
    world.links,
  );
  const runs: ScaleRun[] = [];
  const memory: Memory[] = [];
  try {
    if (companion.booted)
      memory.push({ label: 'runtime + loader (before any service)', usage: companion.booted });
    await companion.untilServer('notApproved');
    world.approve(await companion.workstationId());
    await companion.untilServer('connected');
    await quiet({ world, companion });
    memory.push({ label: 'services started, server connected', usage: await companion.gc() });
    for (const count of config.scaleCounts) {
      const keys = await world.provision(count, profile('usb-fs'));
      const wireFrom = world.proxy.events.length;
      const companionBefore = await companion.usage();
      const worldBefore = process.cpuUsage();
      const activation = await activateTogether(world, companion, keys);
      const worldCpuUs = process.cpuUsage(worldBefore);
      const companionAfter = await companion.usage();
      const online = [...activation.onlineAt.values()].map((at) => at - activation.startAt);
      const prompts = [...activation.promptAt.values()].map((at) => at - activation.startAt);
      const allOnlineMs = Math.max(...online);
      const one = runs[0]?.allOnlineMs ?? allOnlineMs;
      const wallMs = companionAfter.at - companionBefore.at;
      runs.push({
        keys: count,
        companionCpu: usageDelta(companionBefore, companionAfter).cpuMs / wallMs,
        worldCpu: (worldCpuUs.user + worldCpuUs.system) / 1000 / wallMs,
        appHubBusy: hubBusyShare(
          world.proxy.events.slice(wireFrom),
          'appHub',
          activation.startAt,
          activation.startAt + allOnlineMs,
        ),
        allPromptsMs: Math.max(...prompts),
        allOnlineMs,
        medianOnlineMs: median(online),
        ratio: allOnlineMs / one,
      });
      log(`  scale: ${count} keys Online in ${allOnlineMs.toFixed(0)} ms`);
      if (count === Math.max(...config.scaleCounts)) {
        memory.push({ label: `${count} keys Online`, usage: await companion.gc() });
      }
      for (const key of keys) world.switchOff(key);
      await quiet({ world, companion });
      await sleep(GONE_MS);
    }
    const total = config.scaleCounts.reduce((a, b) => a + b, 0);
    memory.push({ label: `after ${total} keys came and went`, usage: await companion.gc() });
  } finally {
    await companion.stop();
    await world.close();
  }
  const base = memory.find((m) => m.label.startsWith('services'))?.usage;
  return {
    tables: [
      {
        title:
          '6. Scale: fresh keys switched on together (USB, server RTT 40 ms), codes typed at once',
        columns: [
          { header: 'keys' },
          { header: 'all prompts ms' },
          { header: 'all Online ms' },
          { header: 'median key ms' },
          { header: 'ratio to 1 key' },
          { header: 'one at a time ≥ ms' },
          { header: 'companion CPU' },
          { header: 'world CPU' },
          { header: 'AppHub busy' },
        ],
        rows: runs.map((r) => [
          String(r.keys),
          ms(r.allPromptsMs),
          ms(r.allOnlineMs),
          ms(r.medianOnlineMs),
          fixed(r.ratio, 2),
          ms((runs[0]?.allOnlineMs ?? 0) * r.keys),
          percent(r.companionCpu, 0),
          percent(r.worldCpu, 0),
          percent(r.appHubBusy, 0),
        ]),
        notes: [
          'one at a time: N × one key, the least a client running one flow for the whole machine needs (Hideez Client §1.1).',
          'CPU: busy share of one core over the run; world = the orchestrator process (HES stand-in, virtual keys, proxy).',
          'AppHub busy: share of the run with a call outstanding on the one AppHub connection, where HES runs one call at a time.',
        ],
      },
      {
        title: "5b. The companion's memory (after a full GC)",
        columns: [
          { header: 'When' },
          { header: 'RSS' },
          { header: 'RSS − started' },
          { header: 'JS heap used' },
          { header: 'external' },
        ],
        rows: memory.map((m) => [
          m.label,
          bytes(m.usage.rss),
          base ? bytes(m.usage.rss - base.rss) : '–',
          bytes(m.usage.heapUsed),
          bytes(m.usage.external),
        ]),
        notes: [
          'The first row is the Node runtime with the tsx loader, read before any of the companion is imported.',
          `Heap growth from start to the end: ${base ? int((memory.at(-1)?.usage.heapUsed ?? 0) - base.heapUsed) : '–'} bytes.`,
        ],
      },
    ],
    data: { runs, memory },
  };
};
