// Item 5 (idle): what the companion costs while it sits in the tray, over a fixed
// window: with no key, and with keys connected and Online (USB, the product's default
// link; both discoveries run, as in production). CPU time, event-loop wake-ups,
// voluntary context switches (the process went to sleep and was woken), and what
// crossed the server connection and the key links meanwhile.
import { nowMs, sleep } from '../clock';
import { CompanionProcess } from '../companion/companion-process';
import type { Usage } from '../companion/protocol';
import { usageDelta, type UsageDelta } from '../companion/usage';
import { quiet } from '../flows/flow-runner';
import { profile } from '../link-profiles';
import { bytes, fixed, int, percent } from '../report/format';
import type { Section } from '../section';
import { activateTogether } from '../world/activate-keys';
import { KeyWorld } from '../world/key-world';

/** After the last activity, before the window opens (the USB settle rescan is at 2 s). */
const SETTLE_MS = 3_000;

interface IdleWindow {
  readonly label: string;
  readonly keys: number;
  readonly delta: UsageDelta;
  readonly serverRecords: number;
  readonly serverConnections: number;
  readonly linkPackets: number;
  readonly bridgeMessages: number;
  readonly resources: unknown;
  readonly rss: number;
  readonly heapUsed: number;
}

async function idleWindow(
  label: string,
  keys: number,
  world: KeyWorld,
  companion: CompanionProcess,
  windowMs: number,
): Promise<IdleWindow> {
  await quiet({ world, companion });
  await sleep(SETTLE_MS);
  const records = world.proxy.events.length;
  const packets = world.links.counters.packetsUp + world.links.counters.packetsDown;
  const bridge = world.links.counters.bridgeMessages;
  // Read only at both ends: each reading is itself a wake-up of the companion.
  const before: Usage = await companion.usage();
  await sleep(windowMs);
  const after = await companion.usage();
  const wire = world.proxy.events.slice(records);
  return {
    label,
    keys,
    delta: usageDelta(before, after),
    serverRecords: wire.length,
    serverConnections: new Set(wire.map((e) => e.connection)).size,
    linkPackets: world.links.counters.packetsUp + world.links.counters.packetsDown - packets,
    bridgeMessages: world.links.counters.bridgeMessages - bridge,
    resources: await companion.call({ c: 'resources' }),
    rss: after.rss,
    heapUsed: after.heapUsed,
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
          'server records: SignalR records both ways (keep-alive pings every 15 s each way), on that many connections.',
          'USB/BLE calls: node-hid / noble calls and events between the companion and the virtual bus and adapter.',
        ],
      },
    ],
    data: { windows },
  };
};
