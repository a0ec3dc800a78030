// Item 6 (scale) and the memory half of item 5: 1, 10 and 50 fresh Reserved keys
// switched on together on USB (a provisioning desk), a robot typing each activation
// code as soon as its prompt shows: the time until all are Online, its ratio to one
// key, and its ratio to the floor HES itself sets (flows/scale-floor.ts: one AppHub
// invocation at a time per connection), priced with the 1-key run's measured costs; and
// how long the AppHub connection sat idle while keys waited. The companion's resident
// memory is read after start and again after every key has come and gone (after a full
// GC, so what remains is what is kept).
import { sleep } from '../clock';
import { CompanionProcess } from '../companion/companion-process';
import type { Usage } from '../companion/protocol';
import { usageDelta } from '../companion/usage';
import { quiet } from '../flows/flow-runner';
import { costsOf } from '../flows/link-costs';
import { hubHeld, scaleFloor, type ScaleFloor } from '../flows/scale-floor';
import type { LinkCosts } from '../flows/sequence-model';
import { hubBusyShare } from '../net/hub-busy';
import { profile } from '../link-profiles';
import { bytes, fixed, int, ms, percent } from '../report/format';
import { median } from '../report/stats';
import type { Section } from '../section';
import { activateTogether } from '../world/activate-keys';
import { KeyWorld } from '../world/key-world';

/** Long enough for every key to be dropped and the companion's farewells to settle. */
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
  /** The least HES allows for these keys (scale-floor.ts), and allOnlineMs / floorMs. */
  readonly floorMs: number;
  readonly floorRatio: number;
  readonly floor: ScaleFloor;
  /** What the floor was priced with. */
  readonly costs: LinkCosts;
  /** The AppHub connection held (server side) over the run, per key: measured. */
  readonly appHubHeldPerKeyMs: number;
  /** From the first AppHub call's arrival to the last completion, the share it held nothing. */
  readonly appHubIdleShare: number;
  readonly appHubIdleMs: number;
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
  let firstCosts: LinkCosts | undefined;
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
      await companion.exchanges(); // the run's exchanges only
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
      const wire = world.proxy.events.slice(wireFrom);
      const exchanges = await companion.exchanges();
      const oneWayMs = world.proxy.oneWayMs;
      // Priced with the first (smallest, one-key) run's costs: with many keys, the measured
      // exchanges and server times include queueing behind the other keys, which the
      // floor is to count once, as the AppHub's serialisation, not again in each price.
      const costs = firstCosts ?? costsOf([{ exchanges, wire }], oneWayMs * 2, profile('usb-fs'));
      firstCosts = costs;
      const licences = Math.round(
        exchanges.filter((e) => e.command === 'LoadLicense').length / count,
      );
      const floor = scaleFloor(count, costs, licences);
      const held = hubHeld(wire, 'appHub', oneWayMs, activation.startAt + allOnlineMs);
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
        floorMs: floor.floorMs,
        floorRatio: allOnlineMs / floor.floorMs,
        floor,
        costs,
        appHubHeldPerKeyMs: held.heldMs / count,
        appHubIdleShare: held.spanMs > 0 ? held.idleMs / held.spanMs : 0,
        appHubIdleMs: held.idleMs,
      });
      log(
        `  scale: ${count} keys Online in ${allOnlineMs.toFixed(0)} ms (floor ${floor.floorMs.toFixed(0)} ms)`,
      );
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
          { header: 'floor ms' },
          { header: 'all Online / floor' },
          { header: 'AppHub held per key ms (ours / floor)' },
          { header: 'AppHub idle' },
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
          ms(r.floorMs),
          fixed(r.floorRatio, 2),
          `${ms(r.appHubHeldPerKeyMs)} / ${ms(r.floor.heldPerKeyMs)}`,
          percent(r.appHubIdleShare, 0),
          percent(r.companionCpu, 0),
          percent(r.worldCpu, 0),
          percent(r.appHubBusy, 0),
        ]),
        notes: [
          'one at a time: N × one key, the least a client running one flow for the whole machine needs (Hideez Client §1.1).',
          "floor: the least HES allows, one AppHub call at a time per connection: max(one key alone, head + N × AppHub held per key + ½ RTT), priced with the 1-key run's measured costs (docs/performance.md §6).",
          "AppHub held per key: the server-side time its calls hold the connection (ours: measured on the wire; floor: the minimum's calls, their /deviceHub set-up and relays).",
          "AppHub idle: of the span from the first call's arrival to the last completion, the share no call held it while keys were not yet Online.",
          'CPU: busy share of one core over the run; world = the orchestrator process (HES stand-in, virtual keys, proxy).',
          'AppHub busy: share of the run with a call outstanding on the one AppHub connection (from the proxy: the ½ RTT up included), where HES runs one call at a time.',
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
