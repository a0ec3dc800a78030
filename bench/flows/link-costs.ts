// What each step costs on one link profile, taken from the companion's own runs on it:
// the medians of its exchanges per command (over all flows, and per flow), of its link
// opens, and of the stand-in's time per plain call. Discovery is the link model's, not
// a measurement (the measured switch-on → first open includes the companion's own
// reaction, and is kept only to set beside it). A Hideez Key 3's profile also hands on
// its packet model: its key steps are priced on the link itself (sequence-model.ts), the
// medians are kept to set beside them.
import { ADVERTISING_INTERVAL_MS, type LinkProfile } from '../link-profiles';
import { median } from '../report/stats';
import type { WireEvent } from '../net/signalr-tap';
import type { ExchangeRecord } from '../companion/protocol';
import type { FlowId, FlowSample } from './flow-types';
import type { LinkCosts } from './sequence-model';

/**
 * From switching a key on until the host can first see it, on the link model:
 * - USB: 0. The HID node exists once the key is plugged in, and the virtual bus reports
 *   it at once; the kernel's own enumeration (a real bus's few hundred ms of reset,
 *   descriptors and driver binding) is not modelled, by us or by any other client.
 * - BLE: the virtual adapter, while it scans, delivers every advertising key's
 *   advertisement on each tick of one timer of period T = advertisingIntervalMs
 *   (emulator/ble/virtual-ble-bindings.ts; the bench sets ADVERTISING_INTERVAL_MS), its
 *   phase set when the scan started. A key switched on at a time unrelated to that phase
 *   is first heard at the next tick: a wait uniform on (0, T], of mean T / 2.
 */
export function discoverModelMs(
  profile: Pick<LinkProfile, 'link'>,
  advertisingIntervalMs = ADVERTISING_INTERVAL_MS,
): number {
  return profile.link === 'usb' ? 0 : advertisingIntervalMs / 2;
}

const push = (map: Map<string, number[]>, key: string, value: number): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Calls that relay nothing to a key: their time is the server's own. */
const PLAIN_CALLS: ReadonlySet<string> = new Set([
  'UpdateHwVaultProperties',
  'GetHwVaultLicenses',
  'HwVaultLicenseApplied',
  'SaveClientEvents',
]);

/**
 * The companion's answers to the server's relayed commands: the server works on each before
 * its next command (or the status update's completion), so its time is on the flow's path.
 */
export const RELAY_RESPONSES: ReadonlySet<string> = new Set([
  'VerifyCommandResponse',
  'GetRootKeyCommandResponse',
  'RemoteCommandResponse',
]);

/** Server time of each call by target: its completion left the server − the call reached it. */
function serverTimesByTarget(
  wire: readonly WireEvent[],
  oneWayMs: number,
  targets: ReadonlySet<string>,
): Map<string, number[]> {
  const open = new Map<string, WireEvent>();
  const times = new Map<string, number[]>();
  for (const event of wire) {
    if (event.invocationId === undefined) continue;
    const id = `${event.connection}:${event.invocationId}`;
    if (event.kind === 'invocation' && event.dir === 'up') open.set(id, event);
    if (event.kind === 'completion' && event.dir === 'down') {
      const call = open.get(id);
      open.delete(id);
      const target = call?.target ?? '';
      if (call && targets.has(target)) push(times, target, event.at - call.at - oneWayMs);
    }
  }
  return times;
}

/** Server time of each plain call: its completion left the server − the call reached it. */
export function serverTimes(wire: readonly WireEvent[], oneWayMs: number): number[] {
  return [...serverTimesByTarget(wire, oneWayMs, PLAIN_CALLS).values()].flat();
}

/** The flows whose trigger switches a key on. */
export const SWITCHED_ON: ReadonlySet<FlowId> = new Set([
  'appearsOnline',
  'reservedPrompt',
  'pinPrompt',
]);

const medians = (map: ReadonlyMap<string, number[]>): Record<string, number> =>
  Object.fromEntries([...map].map(([command, ms]) => [command, median(ms)]));

/** What one stretch of a run recorded: its exchanges and wire records (a flow's, or a whole run's). */
export interface CostRecords {
  readonly flow?: FlowId;
  /** nowMs() of the switch-on, for a flow that switched a key on. */
  readonly switchedOnAt?: number;
  readonly exchanges: readonly ExchangeRecord[];
  readonly wire: readonly WireEvent[];
}

/** Costs from any records: per-flow medians where the records name their flow. */
export function costsOf(
  records: readonly CostRecords[],
  rttMs: number,
  profile: Pick<LinkProfile, 'link' | 'family' | 'ble'>,
): LinkCosts {
  const byCommand = new Map<string, number[]>();
  const byFlow = new Map<FlowId, Map<string, number[]>>();
  const opens: number[] = [];
  const discover: number[] = [];
  const server: number[] = [];
  const responses = new Map<string, number[]>();
  for (const record of records) {
    let flow: Map<string, number[]> | undefined;
    if (record.flow !== undefined) {
      flow = byFlow.get(record.flow) ?? new Map<string, number[]>();
      byFlow.set(record.flow, flow);
    }
    for (const exchange of record.exchanges) {
      if (exchange.command === 'open') {
        opens.push(exchange.ms);
        continue;
      }
      // A failed exchange (a dropped link) is no price for a command.
      if (!exchange.ok) continue;
      push(byCommand, exchange.command, exchange.ms);
      if (flow) push(flow, exchange.command, exchange.ms);
    }
    const firstOpen = record.exchanges.find((e) => e.command === 'open');
    if (firstOpen && record.switchedOnAt !== undefined) {
      discover.push(firstOpen.at - record.switchedOnAt);
    }
    server.push(...serverTimes(record.wire, rttMs / 2));
    for (const [target, times] of serverTimesByTarget(record.wire, rttMs / 2, RELAY_RESPONSES))
      for (const time of times) push(responses, target, time);
  }
  return {
    discoverMs: discoverModelMs(profile),
    measuredDiscoverMs: median(discover),
    openMs: median(opens),
    keyMs: medians(byCommand),
    keyMsByFlow: Object.fromEntries([...byFlow].map(([flow, map]) => [flow, medians(map)])),
    rttMs,
    serverMs: median(server),
    responseMs: medians(responses),
    ...(profile.family === 'key3' && profile.ble
      ? {
          packets: {
            latencyMs: profile.ble.latencyMs,
            packetIntervalMs: profile.ble.packetIntervalMs,
          },
        }
      : {}),
  };
}

/** A profile's costs from its flow samples. */
export function linkCosts(
  samples: readonly FlowSample[],
  rttMs: number,
  profile: Pick<LinkProfile, 'link' | 'family' | 'ble'>,
): LinkCosts {
  return costsOf(
    samples.map((s) => ({
      flow: s.flow,
      ...(SWITCHED_ON.has(s.flow) ? { switchedOnAt: s.startAt } : {}),
      exchanges: s.exchanges,
      wire: s.wire,
    })),
    rttMs,
    profile,
  );
}

/**
 * One run's costs: its own where it measured them (its exchanges per command, its link open,
 * the server's time on its calls), else the link's over all runs. A run set beside a minimum
 * priced with its own key and server times leaves only what was ours: the key's own time (a
 * virtual key's scrypt varies by a millisecond or two with the machine's load) and the
 * server's count on both sides, and no longer move the ratio from one run to the next.
 */
export function sampleCosts(
  sample: FlowSample,
  link: LinkCosts,
  rttMs: number,
  profile: Pick<LinkProfile, 'link' | 'family' | 'ble'>,
): LinkCosts {
  const own = linkCosts([sample], rttMs, profile);
  const or = (value: number, fallback: number): number =>
    Number.isFinite(value) ? value : fallback;
  return {
    ...link,
    openMs: or(own.openMs, link.openMs),
    serverMs: or(own.serverMs, link.serverMs),
    keyMs: { ...link.keyMs, ...own.keyMs },
    keyMsByFlow: {
      ...link.keyMsByFlow,
      [sample.flow]: { ...link.keyMsByFlow?.[sample.flow], ...own.keyMsByFlow?.[sample.flow] },
    },
    responseMs: { ...link.responseMs, ...own.responseMs },
  };
}
