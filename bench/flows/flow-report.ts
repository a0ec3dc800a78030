// Items 2–4 as tables: per link profile, each flow against its protocol minimum (time,
// key round trips ours / minimum / Hideez Client, CPU); flow latency per profile; round
// trips per flow (per key family) next to the protocol's minimum and the Hideez
// Client's sequence, with their times on the same link model; each profile's minimum
// step by step (minimum-report.ts); and the companion's CPU per flow. The Hideez Key 3's
// packet model is also set beside the measured exchanges (key3-report.ts).
import type { KeyFamily } from '../../device/key/key-connection';
import { PROFILES, type LinkProfile } from '../link-profiles';
import { fixed, int, ms, percent } from '../report/format';
import { median, summarize } from '../report/stats';
import type { Table } from '../report/table';
import { breakdown, countFlow, range, type FlowCounts } from './counts';
import type { FlowBenchResult } from './flow-bench';
import { FLOW_IDS, FLOWS, type FlowFigures, type FlowId, type FlowSample } from './flow-types';
import { HIDEEZ_NOTES, hideezSteps } from './hideez-model';
import { key3Tables } from './key3-report';
import { linkCosts, sampleCosts } from './link-costs';
import { minimumTable } from './minimum-report';
import { minimumSteps } from './protocol-minimum';
import {
  countSteps,
  sequenceMs,
  type LinkCosts,
  type SequenceCounts,
  type Step,
} from './sequence-model';

export type { FlowFigures } from './flow-types';

export interface FlowRoundTrips {
  readonly family: KeyFamily;
  readonly flow: FlowId;
  readonly ours: FlowCounts[];
  readonly minimum: SequenceCounts;
  readonly hideez: SequenceCounts;
}

export interface FlowReport {
  readonly tables: Table[];
  readonly figures: FlowFigures[];
  readonly roundTrips: FlowRoundTrips[];
  readonly costs: Record<string, LinkCosts>;
  readonly licences: number;
}

const of = (samples: readonly FlowSample[], profile: LinkProfile, flow: FlowId): FlowSample[] =>
  samples.filter((s) => s.profile === profile.id && s.flow === flow);

const FAMILIES: readonly KeyFamily[] = ['open', 'key3'];
/** The flows a key's switch-on starts (the others start with a code or PIN submitted). */
const SWITCH_ON: ReadonlySet<FlowId> = new Set(['appearsOnline', 'reservedPrompt', 'pinPrompt']);

const familyOf = (sample: FlowSample): KeyFamily =>
  PROFILES.find((p) => p.id === sample.profile)?.family ?? 'open';

/** A flow's name, with the family when it is not our open protocol's. */
export const flowLabel = (flow: FlowId, family: KeyFamily): string =>
  family === 'key3' ? `${FLOWS[flow]} (Hideez Key 3)` : FLOWS[flow];

/** How many licences the stand-in handed a blank key (each one loaded). */
const licencesLoaded = (sample: FlowSample): number => {
  const loaded = countFlow(sample).shown.byCommand;
  return (loaded['LoadLicense'] ?? 0) + (loaded['LOADLICENSE'] ?? 0);
};

export function flowReport(result: FlowBenchResult): FlowReport {
  const { samples, bridge, serverRttMs } = result;
  const licences = Math.round(
    median(samples.filter((s) => s.flow === 'reservedPrompt').map(licencesLoaded)) || 0,
  );
  const costs: Record<string, LinkCosts> = {};
  const figures: FlowFigures[] = [];
  for (const profile of PROFILES) {
    const own = samples.filter((s) => s.profile === profile.id);
    if (own.length === 0) continue;
    const cost = linkCosts(own, serverRttMs, profile);
    costs[profile.id] = cost;
    for (const flow of FLOW_IDS) {
      const list = of(samples, profile, flow);
      if (list.length === 0) continue;
      const online = list.flatMap((s) => (s.onlineMs !== undefined ? [s.onlineMs] : []));
      const keyTrips = list.map((s) => countFlow(s).shown.keyExchanges);
      const minimum = minimumSteps(flow, licences, profile.family);
      const hideez = hideezSteps(flow, licences, profile.family);
      const runCosts = list.map((s) => sampleCosts(s, cost, serverRttMs, profile));
      const ratios = (steps: readonly Step[]): number =>
        median(list.map((s, i) => s.latencyMs / sequenceMs(steps, runCosts[i] ?? cost, flow)));
      figures.push({
        profile: profile.id,
        family: profile.family,
        flow,
        latency: summarize(list.map((s) => s.latencyMs)),
        cpuMs: summarize(list.map((s) => s.cpuMs)),
        windowMs: summarize(list.map((s) => s.windowMs)),
        ...(online.length ? { onlineMs: summarize(online) } : {}),
        bridgeMs: median(list.map((s) => (s.bridgeMessages * bridge.meanUs) / 1000)),
        loops: median(list.map((s) => s.loops)),
        minimumMs: sequenceMs(minimum, cost, flow),
        hideezMs: sequenceMs(hideez, cost, flow),
        ratio: ratios(minimum),
        hideezRatio: ratios(hideez),
        keyRoundTrips: median(keyTrips),
        keyRoundTripsRange: range(keyTrips),
        minimumKeyRoundTrips: countSteps(minimum).keyExchanges,
        hideezKeyRoundTrips: countSteps(hideez).keyExchanges,
      });
    }
  }
  const roundTrips = FAMILIES.flatMap((family) => {
    const own = samples.filter((s) => familyOf(s) === family);
    return FLOW_IDS.filter((flow) => own.some((s) => s.flow === flow)).map((flow) => ({
      family,
      flow,
      ours: own.filter((s) => s.flow === flow).map(countFlow),
      minimum: countSteps(minimumSteps(flow, licences, family)),
      hideez: countSteps(hideezSteps(flow, licences, family)),
    }));
  });
  const perProfile: Table[] = [];
  const steps: Table[] = [];
  for (const profile of PROFILES) {
    const cost = costs[profile.id];
    if (!cost) continue;
    const own = figures.filter((f) => f.profile === profile.id);
    perProfile.push(
      profileTable(
        profile,
        own,
        bridge.meanUs,
        samples.filter((s) => s.profile === profile.id),
      ),
    );
    steps.push(minimumTable({ profile, costs: cost, figures: own, licences }, '3d'));
    if (profile.family === 'key3') {
      steps.push(
        ...key3Tables({
          profile,
          costs: cost,
          samples: samples.filter((s) => s.profile === profile.id),
        }),
      );
    }
  }
  return {
    tables: [
      ...perProfile,
      latencyTable(figures, serverRttMs),
      roundTripTable(roundTrips),
      breakdownTable(roundTrips),
      modelTable(figures),
      ...steps,
      cpuTable(figures, bridge.meanUs),
    ],
    figures,
    roundTrips,
    costs,
    licences,
  };
}

const profileLabel = (id: string): string => PROFILES.find((p) => p.id === id)?.label ?? id;

/** One link profile's flows against their minimum: time, key round trips, CPU. */
export function profileTable(
  profile: LinkProfile,
  figures: readonly FlowFigures[],
  bridgeUs: number,
  samples: readonly FlowSample[],
): Table {
  const lead = (switchOn: boolean): string =>
    ms(median(samples.filter((s) => SWITCH_ON.has(s.flow) === switchOn).map((s) => s.leadMs)), 2);
  return {
    title: `2a. ${profile.label}: each flow against its protocol minimum`,
    columns: [
      { header: 'Flow' },
      { header: 'n' },
      { header: 'median ms' },
      { header: 'minimum ms' },
      { header: 'ours / min' },
      { header: 'key RTs ours / min / Hideez' },
      { header: 'CPU ms' },
      { header: 'CPU share' },
    ],
    rows: figures.map((f) => [
      FLOWS[f.flow],
      String(f.latency.n),
      ms(f.latency.median),
      ms(f.minimumMs),
      fixed(f.ratio, 2),
      `${f.keyRoundTripsRange} / ${f.minimumKeyRoundTrips} / ${f.hideezKeyRoundTrips}`,
      ms(f.cpuMs.median, 1),
      percent(f.cpuMs.median / f.windowMs.median),
    ]),
    notes: [
      "Median: the trigger → the snapshot showing the state. Minimum: the protocols' steps only, priced on this link (table 3d).",
      "Ours / min: the median over the runs of each run's time over its own minimum, the same steps priced with that run's own key exchanges and server times (its link's medians for any it did not make). The key's time varies from run to run (a virtual key's scrypt by a millisecond or two); set against its own run, it is not counted as ours.",
      `The trigger: a key switched on, from when it can be found (the virtual key's boot before it, median ${lead(true)} ms, is the emulator's); a code or PIN, from its arrival in the companion's process (the bench's crossing into it, median ${lead(false)} ms, stands in for the renderer's IPC).`,
      `Key RTs: key round trips until the state is shown${profile.family === 'key3' ? ' (its requests, the channel handshake included; relayed ones too)' : ' (Transport.exchange calls, relayed ones included)'}; Hideez: the Hideez Client's sequence (hideez-model.ts).`,
      `CPU: the companion's process over the trigger → quiet window, the bench's bridge included (≥ ${fixed(bridgeUs, 1)} µs per message).`,
    ],
  };
}

function latencyTable(figures: readonly FlowFigures[], rttMs: number): Table {
  const rows: string[][] = [];
  for (const flow of FLOW_IDS) {
    for (const f of figures.filter((x) => x.flow === flow)) {
      rows.push([
        FLOWS[flow],
        profileLabel(f.profile),
        String(f.latency.n),
        ms(f.latency.median),
        ms(f.latency.p95),
        ms(f.latency.min),
        ms(f.latency.max),
      ]);
      if (f.onlineMs) {
        const o = f.onlineMs;
        rows.push([
          '  … and on to Online',
          profileLabel(f.profile),
          String(o.n),
          ms(o.median),
          ms(o.p95),
          ms(o.min),
          ms(o.max),
        ]);
      }
    }
  }
  return {
    title: `2. Flow latency (ms), server round trip ${rttMs} ms`,
    columns: [
      { header: 'Flow' },
      { header: 'Link', align: 'left' },
      { header: 'n' },
      { header: 'median' },
      { header: 'p95' },
      { header: 'min' },
      { header: 'max' },
    ],
    rows,
    notes: [
      'From the trigger (key switched on, code submitted) to the snapshot that shows the state; p95 by nearest rank.',
    ],
  };
}

function roundTripTable(trips: readonly FlowRoundTrips[]): Table {
  const shown = (t: FlowRoundTrips, pick: (c: FlowCounts) => number): string =>
    range(t.ours.map((c) => pick(c)));
  return {
    title:
      '3. Round trips until the state is shown: ours (every run) / protocol minimum / Hideez Client',
    columns: [
      { header: 'Flow' },
      { header: 'key ex. ours' },
      { header: 'min' },
      { header: 'Hideez' },
      { header: 'server calls ours' },
      { header: 'hub conn.' },
      { header: 'server RTs ours' },
      { header: 'min' },
      { header: 'Hideez' },
      { header: 'after shown: key / server' },
    ],
    rows: trips.map((t) => [
      flowLabel(t.flow, t.family),
      shown(t, (c) => c.shown.keyExchanges),
      String(t.minimum.keyExchanges),
      String(t.hideez.keyExchanges),
      shown(t, (c) => c.shown.serverCalls),
      shown(t, (c) => c.shown.hubConnections),
      shown(t, (c) => c.shown.serverRoundTrips),
      String(t.minimum.serverRoundTrips),
      String(t.hideez.serverRoundTrips),
      `${shown(t, (c) => c.after.keyExchanges)} / ${shown(t, (c) => c.after.serverRoundTrips)}`,
    ]),
    notes: [
      'key ex.: Transport.exchange calls (relayed server commands included; link opens not); a Key 3: its requests, counted from its trace. server calls: client → server invocations.',
      'server RTs: calls + 3 per /deviceHub connection opened (negotiate, upgrade, handshake). TCP handshakes not counted.',
      'after shown: what the flow still did once the state was on screen, until links and server were quiet.',
      ...HIDEEZ_NOTES,
    ],
  };
}

function breakdownTable(trips: readonly FlowRoundTrips[]): Table {
  return {
    title: '3b. What they are (most frequent breakdown over the runs), until shown | after',
    columns: [
      { header: 'Flow' },
      { header: 'key exchanges', align: 'left' },
      { header: 'server calls', align: 'left' },
    ],
    rows: trips.flatMap((t) => [
      [
        flowLabel(t.flow, t.family),
        breakdown(t.ours.map((c) => c.shown.byCommand)),
        breakdown(t.ours.map((c) => c.shown.byTarget)),
      ],
      [
        '  after shown',
        breakdown(t.ours.map((c) => c.after.byCommand)),
        breakdown(t.ours.map((c) => c.after.byTarget)),
      ],
    ]),
  };
}

function modelTable(figures: readonly FlowFigures[]): Table {
  return {
    title:
      '3c. Time on the same link model (ms): ours measured (median) / protocol minimum / Hideez Client, both modelled',
    columns: [
      { header: 'Flow' },
      { header: 'Link', align: 'left' },
      { header: 'ours' },
      { header: 'minimum' },
      { header: 'Hideez' },
      { header: 'ours / min' },
      { header: 'ours / Hideez' },
    ],
    rows: figures.map((f) => [
      FLOWS[f.flow],
      profileLabel(f.profile),
      ms(f.latency.median),
      ms(f.minimumMs),
      ms(f.hideezMs),
      fixed(f.ratio, 2),
      fixed(f.hideezRatio, 2),
    ]),
    notes: [
      'Models price each step on that link: exchanges per command with the medians measured in the same flow (else all flows), the link open and server time as measured, discovery on the link model (USB none, BLE half an advertising interval); RTT 40 ms.',
      "The ratios set each run against the same model priced with that run's own exchanges and server times (table 2a), and take the median over the runs.",
      "A Hideez Key 3's key steps are priced on its packet model instead (its link's 30 ms slots, table 3d).",
      'The Hideez Client speaks BLE only (§9.5): its USB rows price the same sequence on the USB link.',
    ],
  };
}

function cpuTable(figures: readonly FlowFigures[], bridgeUs: number): Table {
  return {
    title: "4. The companion's CPU per flow (its process's CPU time, user + system)",
    columns: [
      { header: 'Flow' },
      { header: 'Link', align: 'left' },
      { header: 'CPU ms (median)' },
      { header: 'p95' },
      { header: 'window ms' },
      { header: 'CPU share' },
      { header: 'loop wake-ups' },
    ],
    rows: figures.map((f) => [
      FLOWS[f.flow],
      profileLabel(f.profile),
      ms(f.cpuMs.median, 1),
      ms(f.cpuMs.p95, 1),
      ms(f.windowMs.median),
      percent(f.cpuMs.median / f.windowMs.median),
      int(f.loops),
    ]),
    notes: [
      'Window: the trigger until links and server were quiet for 200 ms (trailing calls included). Link waits cost no CPU.',
      `Includes the bench's own share (link bridge ≥ ${fixed(bridgeUs, 1)} µs per message; BENCH_CPU_PROFILE=<dir> splits it out).`,
    ],
  };
}
