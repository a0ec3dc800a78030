// The protocol minimum of every flow, step by step, on each link profile: what each step
// is, how it is priced on that link (the link model, or the median measured in the same
// flow), what it costs and when the flow has reached it, with the measured median set
// beside the total. A Hideez Key 3's key steps are priced on its packet model
// (sequence-model.ts), so its rows name their packets.
import { ADVERTISING_INTERVAL_MS, type LinkProfile } from '../link-profiles';
import { fixed, ms } from '../report/format';
import type { Table } from '../report/table';
import { FLOW_IDS, FLOWS, type FlowFigures, type FlowId } from './flow-types';
import { KEY3_GATT_REQUESTS, KEY3_MESSAGES, type Key3Message } from './key3-messages';
import { minimumSteps } from './protocol-minimum';
import { sequenceTimes, type LinkCosts, type Step } from './sequence-model';

export interface MinimumReportInput {
  readonly profile: LinkProfile;
  readonly costs: LinkCosts;
  readonly figures: readonly FlowFigures[];
  readonly licences: number;
}

const packetText = (m: Key3Message): string =>
  `${m.before > 0 ? 'RESET, ' : ''}${m.up}↑ ${m.down}↓${m.status ? ' +STATUS' : ''}`;

/** How a key exchange is priced on a link that has no packet model: its measured median. */
function measuredText(costs: LinkCosts, flow: FlowId, command: string): string {
  if (costs.keyMsByFlow?.[flow]?.[command] !== undefined) return `${command}, median in this flow`;
  if (costs.keyMs[command] !== undefined) return `${command}, median of all flows`;
  return `${command}: not measured here, the median exchange`;
}

function discoverText(profile: LinkProfile): string {
  return profile.link === 'usb'
    ? 'none: the HID node is there once plugged'
    : `model: ½ × ${ADVERTISING_INTERVAL_MS} ms advertising interval`;
}

/** [what the step is, how it is priced on this link]. */
export function stepText(
  step: Step,
  profile: LinkProfile,
  costs: LinkCosts,
  flow: FlowId,
): [string, string] {
  const packets = costs.packets !== undefined;
  switch (step.kind) {
    case 'discover':
      return [step.ref, discoverText(profile)];
    case 'open':
      return [
        step.ref,
        packets ? `${KEY3_GATT_REQUESTS} GATT requests, STATUS` : 'link open, measured median',
      ];
    case 'key': {
      const m = packets ? KEY3_MESSAGES[step.command] : undefined;
      return [
        `${step.command}: ${step.ref}`,
        m ? packetText(m) : measuredText(costs, flow, step.command),
      ];
    }
    case 'call':
      return [`${step.target}: ${step.ref}`, 'RTT + server'];
    case 'hub':
      return [step.ref, '3½ RTT + 3 × server'];
    case 'relay': {
      const key = step.key === undefined ? 'RemoteCommand' : step.key;
      if (key === null) return [`${step.what} (relayed): ${step.ref}`, 'RTT + server'];
      const m = packets ? KEY3_MESSAGES[key] : undefined;
      return [
        `${step.what} (relayed): ${step.ref}`,
        `RTT, ${m ? packetText(m) : measuredText(costs, flow, key)} + server`,
      ];
    }
    case 'wait':
      return [step.ref, 'wait'];
  }
}

export function minimumTable(input: MinimumReportInput, number: string): Table {
  const { profile, costs } = input;
  const rows: string[][] = [];
  for (const flow of FLOW_IDS) {
    const figure = input.figures.find((f) => f.flow === flow);
    if (!figure) continue;
    const times = sequenceTimes(minimumSteps(flow, input.licences, profile.family), costs, flow);
    times.forEach(({ step, startMs, endMs }, i) => {
      const [what, link] = stepText(step, profile, costs, flow);
      rows.push([
        i === 0 ? FLOWS[flow] : '',
        String(i + 1),
        what,
        link,
        ms(endMs - startMs),
        ms(endMs),
      ]);
    });
    rows.push([
      '',
      '',
      `measured (median): ${ms(figure.latency.median)} ms, ${fixed(figure.ratio, 2)}× its own minimum (each run against its own key and server times), ${fixed(figure.latency.median / figure.minimumMs, 2)}× this median minimum`,
      '',
      '',
      '',
    ]);
  }
  const measured = costs.measuredDiscoverMs;
  const notes =
    costs.packets !== undefined
      ? [
          `Packets: 20 bytes, one per ${costs.packets.packetIntervalMs} ms slot whichever way it goes, each no sooner than ${costs.packets.latencyMs} ms after it was queued (the virtual adapter's PacketPacer).`,
          "↑ request packets, each written once the one before has gone out; the key's COMMIT comes before its ↓ reply, the host's COMMIT after it (+STATUS: the key's, first).",
          'A step right after another key step waits for the slots the previous one left (STATUS, COMMIT); after a server round trip they are gone.',
        ]
      : [
          "Key steps: the median of that command measured on this link in the same flow, else over all flows; a relay adds the RTT and the server's work on the answer.",
        ];
  return {
    title: `${number}. ${profile.label}: the protocol minimum step by step (ms)`,
    columns: [
      { header: 'Flow' },
      { header: '#' },
      { header: 'step', align: 'left' },
      { header: 'on the link', align: 'left' },
      { header: 'ms' },
      { header: 'done at' },
    ],
    rows,
    notes: [
      ...notes,
      `Discovery is the link model's: ${profile.link === 'usb' ? 'none on USB (the kernel’s own enumeration is not modelled)' : `the first advertisement after switch-on, a wait uniform over one ${ADVERTISING_INTERVAL_MS} ms interval, ${ms(costs.discoverMs)} ms on average`}; ours measured ${ms(measured)} ms to the first open (not priced).`,
      `Server calls cost the ${costs.rttMs} ms RTT and the stand-in's median time (${ms(costs.serverMs)} ms); a /deviceHub set-up 3½ RTT and three of those; a relayed command the RTT and the stand-in's median time on that answer (${responseText(costs)}), before it sends the next.`,
    ],
  };
}

/** The stand-in's median time on each kind of answer to a relayed command. */
function responseText(costs: LinkCosts): string {
  const entries = Object.entries(costs.responseMs ?? {});
  return entries.length === 0
    ? "none measured: a plain call's"
    : entries.map(([target, time]) => `${target} ${ms(time)} ms`).join(', ');
}
