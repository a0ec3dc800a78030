// The Hideez Key 3 profile's own tables: its protocol minimum step by step on its
// packet model (what each step costs, and when the flow has reached it), and its
// messages' packets and times as the model prices them next to the exchanges the
// companion measurably made, so the model can be checked against the link it models.
import type { LinkProfile } from '../link-profiles';
import { fixed, ms } from '../report/format';
import { summarize } from '../report/stats';
import type { Table } from '../report/table';
import { FLOW_IDS, FLOWS, type FlowFigures, type FlowSample } from './flow-types';
import { KEY3_GATT_REQUESTS, KEY3_MESSAGES, type Key3Message } from './key3-messages';
import { PacketTimeline, type PacketLinkModel } from './packet-timeline';
import { minimumSteps } from './protocol-minimum';
import { sequenceTimes, type LinkCosts, type Step } from './sequence-model';

export interface Key3ReportInput {
  readonly profile: LinkProfile;
  readonly costs: LinkCosts;
  readonly samples: readonly FlowSample[];
  readonly figures: readonly FlowFigures[];
  readonly licences: number;
}

const packetText = (m: Key3Message): string =>
  `${m.before > 0 ? 'RESET, ' : ''}${m.up}↑ ${m.down}↓${m.status ? ' +STATUS' : ''}`;

function stepText(step: Step): [string, string] {
  switch (step.kind) {
    case 'discover':
      return [step.ref, 'measured'];
    case 'open':
      return [step.ref, `${KEY3_GATT_REQUESTS} GATT requests, STATUS`];
    case 'key': {
      const m = KEY3_MESSAGES[step.command];
      return [`${step.command}: ${step.ref}`, m ? packetText(m) : 'measured'];
    }
    case 'call':
      return [`${step.target}: ${step.ref}`, 'RTT + server'];
    case 'hub':
      return [step.ref, '3½ RTT + 3 × server'];
    case 'relay': {
      const m = step.key ? KEY3_MESSAGES[step.key] : undefined;
      return [`${step.what} (relayed): ${step.ref}`, m ? `RTT, ${packetText(m)}` : 'RTT'];
    }
    case 'wait':
      return [step.ref, 'wait'];
  }
}

function minimumTable(input: Key3ReportInput): Table {
  const rows: string[][] = [];
  for (const flow of FLOW_IDS) {
    const figure = input.figures.find((f) => f.flow === flow);
    if (!figure) continue;
    const times = sequenceTimes(minimumSteps(flow, input.licences, 'key3'), input.costs);
    times.forEach(({ step, startMs, endMs }, i) => {
      const [what, link] = stepText(step);
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
      `measured (median): ${ms(figure.latency.median)} ms, ${fixed(figure.latency.median / figure.minimumMs, 2)}× the minimum`,
      '',
      '',
      '',
    ]);
  }
  const { latencyMs, packetIntervalMs } = input.costs.packets ?? {
    latencyMs: 0,
    packetIntervalMs: 0,
  };
  return {
    title: `3d. ${input.profile.label}: the protocol minimum step by step (ms)`,
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
      `Packets: 20 bytes, one per ${packetIntervalMs} ms slot whichever way it goes, each no sooner than ${latencyMs} ms after it was queued (the virtual adapter's PacketPacer).`,
      "↑ request packets, each written once the one before has gone out; the key's COMMIT comes before its ↓ reply, the host's COMMIT after it (+STATUS: the key's, first).",
      'A step right after another key step waits for the slots the previous one left (STATUS, COMMIT); after a server round trip they are gone.',
      "Discovery is the median measured on this link; server calls cost the RTT and the stand-in's median time.",
    ],
  };
}

/** A message's slots (request, the key's COMMIT, reply) and the model's time for them. */
function modelMs(
  message: Key3Message,
  model: PacketLinkModel,
): { slots: number; idle: number; busy: number } {
  const slots = message.up + 1 + message.down;
  const idle = new PacketTimeline(model);
  idle.exchange({ ...message, before: 0 });
  return { slots, idle: idle.now, busy: slots * model.packetIntervalMs };
}

/** The table's message for a measured exchange: by name, a relayed one by its packets. */
function modelMessage(
  command: string,
  up: number,
  down: number,
): [string, Key3Message] | undefined {
  const name = command === 'RemoteVerify' ? 'VERIFY' : command;
  const named = KEY3_MESSAGES[name];
  if (named) return [name, named];
  return Object.entries(KEY3_MESSAGES).find(
    ([other, m]) => other !== 'VERIFY' && m.up === up && m.down === down,
  );
}

function messagesTable(input: Key3ReportInput): Table | undefined {
  const model = input.costs.packets;
  if (!model) return undefined;
  const groups = new Map<string, { command: string; up: number; down: number; ms: number[] }>();
  for (const sample of input.samples) {
    for (const e of sample.exchanges) {
      if (e.command === 'open' || !e.ok || e.packetsUp === undefined) continue;
      const up = e.packetsUp;
      const down = e.packetsDown ?? 0;
      const id = `${e.command} ${up} ${down}`;
      const group = groups.get(id) ?? { command: e.command, up, down, ms: [] };
      group.ms.push(e.ms);
      groups.set(id, group);
    }
  }
  const rows = [...groups.values()]
    .sort((a, b) => a.command.localeCompare(b.command) || a.up - b.up)
    .map((g) => {
      const found = modelMessage(g.command, g.up, g.down);
      const priced = found ? modelMs(found[1], model) : undefined;
      const measured = summarize(g.ms);
      return [
        g.command,
        `${g.up}↑ ${g.down}↓`,
        found ? `${found[0]} ${found[1].up}↑ ${found[1].down}↓` : '–',
        priced ? String(priced.slots) : '–',
        priced ? ms(priced.idle) : '–',
        priced ? ms(priced.busy) : '–',
        String(measured.n),
        ms(measured.min),
        ms(measured.median),
        ms(measured.max),
      ];
    });
  return {
    title: `3e. ${input.profile.label}: each message on the link, the model next to the measured exchanges (ms)`,
    columns: [
      { header: 'exchange', align: 'left' },
      { header: 'packets', align: 'left' },
      { header: 'model', align: 'left' },
      { header: 'slots' },
      { header: 'idle link' },
      { header: 'link busy' },
      { header: 'n' },
      { header: 'min' },
      { header: 'median' },
      { header: 'max' },
    ],
    rows,
    notes: [
      "Measured from the request's first packet queued to its reply's last (the key's trace); RemoteVerify and RemoteCommand are relayed for the server on its channel 4.",
      "Slots: request, the key's COMMIT, reply. Idle link: the first packet waits only the latency; link busy: it waits one slot behind the link's last packet.",
      "Each packet still queued ahead adds a slot: behind a reply, its STATUS and the host's COMMIT (a GETINFO right after another takes 330 ms); behind the RESET, a VERIFY.",
    ],
  };
}

export function key3Tables(input: Key3ReportInput): Table[] {
  const messages = messagesTable(input);
  return [minimumTable(input), ...(messages ? [messages] : [])];
}
