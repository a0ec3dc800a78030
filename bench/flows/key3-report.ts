// The Hideez Key 3 profile's own table: its messages' packets and times as the packet
// model prices them next to the exchanges the companion measurably made, so the model
// can be checked against the link it models. (Its minimum step by step, as every
// profile's, is minimum-report.ts.)
import type { LinkProfile } from '../link-profiles';
import { ms } from '../report/format';
import { summarize } from '../report/stats';
import type { Table } from '../report/table';
import type { FlowSample } from './flow-types';
import { KEY3_MESSAGES, type Key3Message } from './key3-messages';
import { PacketTimeline, type PacketLinkModel } from './packet-timeline';
import type { LinkCosts } from './sequence-model';

export interface Key3ReportInput {
  readonly profile: LinkProfile;
  readonly costs: LinkCosts;
  readonly samples: readonly FlowSample[];
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
  return messages ? [messages] : [];
}
