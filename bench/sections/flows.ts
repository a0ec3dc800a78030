// Items 1–4: the link model, flow latency, round trips (ours, the minimum, the Hideez
// Client's) and the companion's CPU per flow.
import { benchFlows } from '../flows/flow-bench';
import { countFlow } from '../flows/counts';
import { flowReport } from '../flows/flow-report';
import type { FlowSample } from '../flows/flow-types';
import { PROFILES, SERVER_RTT_MS, ADVERTISING_INTERVAL_MS } from '../link-profiles';
import { cpuOwners, newestProfile } from '../report/cpu-profile';
import { fixed, percent, rate } from '../report/format';
import type { Table } from '../report/table';
import type { Section } from '../section';

function linkModelTable(): Table {
  return {
    title: '1. Link model',
    columns: [
      { header: 'Profile' },
      { header: 'packet interval ms' },
      { header: 'latency ms' },
      { header: 'fragment / report B' },
      { header: 'link rate' },
      { header: 'server RTT ms' },
    ],
    rows: PROFILES.map((p) => [
      p.label,
      String(p.hid?.packetIntervalMs ?? p.ble?.packetIntervalMs ?? 0),
      String(p.hid?.latencyMs ?? p.ble?.latencyMs ?? 0),
      p.ble ? String(p.ble.mtu - 3) : '64',
      rate(p.bytesPerSecond),
      String(SERVER_RTT_MS),
    ]),
    notes: [
      `BLE keys advertise every ${ADVERTISING_INTERVAL_MS} ms. USB hot-plug: the bus reports each key's hidraw node as it appears (as the product's inotify watch of /dev does), and the companion opens it then; the kernel's own enumeration is not modelled.`,
    ],
  };
}

/** A sample as written to the JSON: its figures and counts, without the raw records. */
export function sampleRecord(sample: FlowSample): unknown {
  const { exchanges, wire, ...figures } = sample;
  return {
    ...figures,
    exchangeCount: exchanges.length,
    wireRecords: wire.length,
    counts: countFlow(sample),
  };
}

/** With BENCH_CPU_PROFILE=<dir>: the companion's CPU over the measured flows, by owner. */
async function profileTable(
  samples: readonly { startAt: number; windowMs: number }[],
): Promise<{ table: Table; data: unknown } | undefined> {
  const dir = process.env['BENCH_CPU_PROFILE'];
  const file = dir ? await newestProfile(dir) : undefined;
  if (!file || samples.length === 0) return undefined;
  const from = Math.min(...samples.map((s) => s.startAt));
  const to = Math.max(...samples.map((s) => s.startAt + s.windowMs));
  const data = await cpuOwners(file, from, to);
  return {
    table: {
      title: `4c. What the companion's CPU goes to over the flows (V8 profile, ${fixed(data.busyMs, 0)} ms busy)`,
      columns: [{ header: 'Owner' }, { header: 'CPU ms' }, { header: 'share' }],
      rows: data.owners.map((o) => [o.owner, fixed(o.ms, 1), percent(o.share)]),
      notes: [
        'Each sample is charged to the nearest frame of non-Node code on its stack. The profiler itself slows the run.',
      ],
    },
    data: { file, ...data },
  };
}

export const flowsSection: Section = async ({ config, profiles, log }) => {
  const result = await benchFlows({
    runs: config.flowRuns,
    profiles,
    calibrationMessages: config.calibrationMessages,
    log,
  });
  const report = flowReport(result);
  const profile = await profileTable(result.samples);
  return {
    tables: [linkModelTable(), ...report.tables, ...(profile ? [profile.table] : [])],
    data: {
      profiles: PROFILES,
      serverRttMs: result.serverRttMs,
      bridge: result.bridge,
      licences: report.licences,
      costs: report.costs,
      figures: report.figures,
      roundTrips: report.roundTrips,
      cpuProfile: profile?.data,
      samples: result.samples.map(sampleRecord),
    },
  };
};
