// Item 5 (idle): what the companion costs while it sits in the tray, over a fixed
// window: with no key, and with keys connected and Online (USB, the product's default
// link; both discoveries run, as in production). CPU time, event-loop wake-ups,
// voluntary context switches (the process went to sleep and was woken), its timers
// (how often they fired, and which are pending: a poll or a sweep shows there with
// where it was set; companion/timer-census.ts), and what crossed the server connection
// and the key links meanwhile. Goals: with no key, no wake-up of its own (the server's
// keep-alives aside); with keys Online, CPU ≤ 0.1 % and no polling (no USB/BLE call).
import { nowMs, sleep } from '../clock';
import { CompanionProcess } from '../companion/companion-process';
import type { Usage } from '../companion/protocol';
import type { PendingTimer, TimerCensus } from '../companion/timer-census';
import { usageDelta, type UsageDelta } from '../companion/usage';
import { quiet } from '../flows/flow-runner';
import { profile } from '../link-profiles';
import { bytes, fixed, int, percent } from '../report/format';
import type { Table } from '../report/table';
import type { Section } from '../section';
import { activateTogether } from '../world/activate-keys';
import { KeyWorld } from '../world/key-world';

/** After the last activity, before the window opens (late rescans and farewells have run by then). */
const SETTLE_MS = 3_000;
/**
 * After the full collection, before the window: its concurrent sweeping, and the first
 * runs of the keep-alive code after it (a full collection may drop bytecode not run
 * lately, compiled again on its next use), belong to the collection, not to idling.
 */
const GC_SETTLE_MS = 10_000;

interface IdleWindow {
  readonly label: string;
  readonly keys: number;
  readonly delta: UsageDelta;
  readonly serverRecords: number;
  readonly serverConnections: number;
  readonly linkPackets: number;
  readonly bridgeMessages: number;
  readonly resources: unknown;
  /** SignalR records received from the server (keep-alive pings and pushes): I/O wake-ups. */
  readonly serverRecordsDown: number;
  /** Timer callbacks run in the window, by kind. */
  readonly timerFirings: Readonly<Record<'timeout' | 'interval' | 'immediate', number>>;
  /** Timers pending at the window's end (intervals with where they were set). */
  readonly pendingTimers: readonly PendingTimer[];
  readonly rss: number;
  readonly heapUsed: number;
}

const census = async (companion: CompanionProcess, trace: boolean): Promise<TimerCensus> =>
  (await companion.call({ c: 'timers', trace })) as TimerCensus;

/** The CPU share the idle companion should stay under with keys Online. */
export const IDLE_CPU_GOAL = 0.001;

async function idleWindow(
  label: string,
  keys: number,
  world: KeyWorld,
  companion: CompanionProcess,
  windowMs: number,
): Promise<IdleWindow> {
  await quiet({ world, companion });
  await sleep(SETTLE_MS);
  // What came before (start-up, the keys' activation) leaves garbage that V8 collects
  // once, some 30 s later, when it sees the allocation rate fall (its memory reducer: a
  // full collection of ~50 ms here, seen with --trace-gc). Collected now, it is not
  // charged to the idle window; what the window itself allocates is still collected in it.
  await companion.gc();
  await sleep(GC_SETTLE_MS);
  const records = world.proxy.events.length;
  const packets = world.links.counters.packetsUp + world.links.counters.packetsDown;
  const bridge = world.links.counters.bridgeMessages;
  // Read only at both ends: each reading is itself a wake-up of the companion.
  const timersBefore = await census(companion, true);
  const before: Usage = await companion.usage();
  await sleep(windowMs);
  const after = await companion.usage();
  const timersAfter = await census(companion, true);
  const wire = world.proxy.events.slice(records);
  const firings = (kind: 'timeout' | 'interval' | 'immediate'): number =>
    timersAfter.fired[kind] - timersBefore.fired[kind];
  return {
    label,
    keys,
    delta: usageDelta(before, after),
    serverRecords: wire.length,
    serverConnections: new Set(wire.map((e) => e.connection)).size,
    linkPackets: world.links.counters.packetsUp + world.links.counters.packetsDown - packets,
    bridgeMessages: world.links.counters.bridgeMessages - bridge,
    resources: await companion.call({ c: 'resources' }),
    serverRecordsDown: wire.filter((e) => e.dir === 'down').length,
    timerFirings: {
      timeout: firings('timeout'),
      interval: firings('interval'),
      immediate: firings('immediate'),
    },
    pendingTimers: timersAfter.pending,
    rss: after.rss,
    heapUsed: after.heapUsed,
  };
}

const pendingText = (timers: readonly PendingTimer[]): string => {
  const intervals = timers.filter((t) => t.kind === 'interval').length;
  return `${timers.length}${intervals > 0 ? ` (${intervals})` : ''}`;
};

/** Each goal, met or not, for the table's notes. */
function verdict(windows: readonly IdleWindow[]): string {
  const parts: string[] = [];
  const none = windows.find((w) => w.keys === 0);
  if (none) {
    const own = none.timerFirings.timeout + none.timerFirings.interval;
    parts.push(
      `no key: ${own} timer firings, ${none.pendingTimers.length} timers pending, ${none.delta.loops} wake-ups for ${none.serverRecordsDown} server records received`,
    );
  }
  for (const w of windows.filter((x) => x.keys > 0)) {
    const share = w.delta.cpuMs / w.delta.wallMs;
    parts.push(
      `${w.label}: CPU ${percent(share, 3)} (${share <= IDLE_CPU_GOAL ? 'met' : 'over'}), ${w.bridgeMessages === 0 ? 'no polling' : `${w.bridgeMessages} USB/BLE calls`}`,
    );
  }
  return parts.length ? ` This run: ${parts.join('; ')}.` : '';
}

function timersTable(windows: readonly IdleWindow[]): Table {
  const rows = windows.flatMap((w) =>
    w.pendingTimers.length === 0
      ? [[w.label, 'none', '', '', '']]
      : [...w.pendingTimers]
          .sort((a, b) => a.kind.localeCompare(b.kind) || a.ms - b.ms)
          .map((t, i) => [
            i === 0 ? w.label : '',
            t.kind,
            int(t.ms),
            t.ref ? 'yes' : 'no (unref)',
            t.origin ?? '–',
          ]),
  );
  return {
    title: "5a. The companion's timers pending at the end of each idle window",
    columns: [
      { header: 'State' },
      { header: 'kind', align: 'left' },
      { header: 'ms' },
      { header: 'keeps alive', align: 'left' },
      { header: 'set at', align: 'left' },
    ],
    rows,
    notes: [
      'An interval is a poll or a sweep: it wakes the process every period whether it keeps it alive or not. A timeout is one wake-up (a keep-alive, a retry) unless it is set again.',
    ],
  };
}

export const idleSection: Section = async ({ config, log }) => {
  const world = await KeyWorld.start();
  world.setProfile(profile('usb-fs'));
  const companion = await CompanionProcess.start(
    { mode: 'app', serverUrl: world.serverUrl, links: ['usb', 'ble'] },
    world.links,
  );
  const windows: IdleWindow[] = [];
  try {
    // Where every timer is set, from the start (the flows bench leaves this off: a stack each).
    await census(companion, true);
    await companion.untilServer('notApproved');
    world.approve(await companion.workstationId());
    await companion.untilServer('connected');
    log(`  idle: no key, ${config.idleWindowMs / 1000} s …`);
    windows.push(await idleWindow('no key', 0, world, companion, config.idleWindowMs));
    const keys = await world.provision(config.idleKeys, profile('usb-fs'));
    const started = nowMs();
    await activateTogether(world, companion, keys);
    log(
      `  idle: ${keys.length} keys Online in ${(nowMs() - started).toFixed(0)} ms; ${config.idleWindowMs / 1000} s …`,
    );
    windows.push(
      await idleWindow(
        `${keys.length} keys Online (USB)`,
        keys.length,
        world,
        companion,
        config.idleWindowMs,
      ),
    );
  } finally {
    await companion.stop();
    await world.close();
  }
  const perSecond = (n: number, w: IdleWindow): string => fixed((n * 1000) / w.delta.wallMs, 2);
  return {
    tables: [
      {
        title: `5. Idle cost over ${config.idleWindowMs / 1000} s (companion process only)`,
        columns: [
          { header: 'State' },
          { header: 'CPU ms' },
          { header: 'CPU %' },
          { header: 'wake-ups' },
          { header: 'per s' },
          { header: 'ctx sw. (vol.)' },
          { header: 'per s' },
          { header: 'timer firings' },
          { header: 'timers pending' },
          { header: 'server records' },
          { header: 'on conns' },
          { header: 'link packets' },
          { header: 'USB/BLE calls' },
          { header: 'RSS' },
        ],
        rows: windows.map((w) => [
          w.label,
          fixed(w.delta.cpuMs, 1),
          percent(w.delta.cpuMs / w.delta.wallMs, 3),
          int(w.delta.loops),
          perSecond(w.delta.loops, w),
          int(w.delta.voluntarySwitches),
          perSecond(w.delta.voluntarySwitches, w),
          int(w.timerFirings.timeout + w.timerFirings.interval),
          pendingText(w.pendingTimers),
          int(w.serverRecords),
          int(w.serverConnections),
          int(w.linkPackets),
          int(w.bridgeMessages),
          bytes(w.rss),
        ]),
        notes: [
          'wake-ups: libuv event-loop iterations (each one the main thread woken by a timer or I/O).',
          'ctx sw.: voluntary context switches of all the process threads (each a sleep and a wake-up).',
          'The counters are read at both ends of the window only (each reading wakes the companion once or twice).',
          "Each window opens 3 s after the last activity and 10 s after a full garbage collection: the garbage of what came before (start-up, the keys' activation) is not collected in it (V8 would, once, about 30 s after the activity); what the window allocates is. The section runs alone.",
          'server records: SignalR records both ways (keep-alive pings every 15 s each way), on that many connections.',
          'USB/BLE calls: node-hid / noble calls and events between the companion and the virtual bus and adapter.',
          'timer firings: setTimeout and setInterval callbacks run in the window; timers pending: at its end (intervals in brackets), table 5a.',
          `Goals: no key, no wake-up but the server's keep-alives; keys Online, CPU ≤ ${percent(IDLE_CPU_GOAL, 1)} and no USB/BLE call (no polling).${verdict(windows)}`,
        ],
      },
      timersTable(windows),
    ],
    data: { windows },
  };
};
