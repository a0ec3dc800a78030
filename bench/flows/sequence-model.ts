// A flow written down as steps (key exchanges, server calls, relayed server commands,
// hub set-ups, fixed waits), with its counts and its time on a link model. Used for
// the protocol's minimum and for the Hideez Client's sequence, so both can be set next
// to what the companion measurably does, on the same link costs. An open-protocol
// key's steps are priced with the medians measured on the link, in the same flow where
// that flow made the command (a wrong code's UnlockWithCode is not a right one's), else
// over all flows; a Hideez Key 3's key steps on the packet model of its link itself
// (packet-timeline.ts), since every one of its messages is a known number of 20-byte
// packets (key3-messages.ts). Discovery is the link model's own (link-costs.ts), never
// the companion's measured reaction.
import type { FlowId } from './flow-types';
import { KEY3_GATT_REQUESTS, KEY3_MESSAGES } from './key3-messages';
import { PacketTimeline, type PacketLinkModel } from './packet-timeline';

export type Step =
  /**
   * The key is switched on until the host can see it: on USB none (the HID node exists
   * once the key is plugged in), on BLE the wait for its first advertisement.
   */
  | { readonly kind: 'discover'; readonly ref: string }
  /** Opening the link: CTAPHID INIT, or BLE connect + GATT discovery. */
  | { readonly kind: 'open'; readonly ref: string }
  | { readonly kind: 'key'; readonly command: string; readonly ref: string }
  /** A client → server invocation the flow waits for. */
  | { readonly kind: 'call'; readonly target: string; readonly ref: string }
  /** The server asks for a /deviceHub connection: ½ RTT push + negotiate, upgrade, handshake. */
  | { readonly kind: 'hub'; readonly ref: string }
  /**
   * A server command relayed to the key: ½ RTT down, the key's exchange, ½ RTT up (its
   * response is a call). `key` is what the key is sent: our sealed RemoteCommand unless
   * named (VerifyChannel, or a Key 3 message on the server's channel), or null when the
   * companion answers without the key (a Key 3's root-key certificate).
   */
  | {
      readonly kind: 'relay';
      readonly what: string;
      readonly key?: string | null;
      readonly ref: string;
    }
  | { readonly kind: 'wait'; readonly ms: number; readonly ref: string };

export interface LinkCosts {
  /** From switching the key on until the host can see it, on the link model (link-costs.ts). */
  readonly discoverMs: number;
  /** The same as measured: switched on → the companion's first open (ours; not priced). */
  readonly measuredDiscoverMs?: number;
  readonly openMs: number;
  /** Median time of one exchange per request command on this link, over all flows. */
  readonly keyMs: Readonly<Record<string, number>>;
  /** The same per flow, over the exchanges that flow made: preferred where present. */
  readonly keyMsByFlow?: Readonly<Partial<Record<FlowId, Readonly<Record<string, number>>>>>;
  readonly rttMs: number;
  /** Median server time of a call that relays nothing. */
  readonly serverMs: number;
  /** Median server time of each answer to a relayed command, by target (VerifyCommandResponse…). */
  readonly responseMs?: Readonly<Record<string, number>>;
  /** A Hideez Key 3's link: its key steps are priced on this packet model. */
  readonly packets?: PacketLinkModel;
}

export interface SequenceCounts {
  readonly keyExchanges: number;
  readonly relayed: number;
  readonly serverCalls: number;
  readonly hubConnections: number;
  readonly serverRoundTrips: number;
}

const relayKey = (step: Extract<Step, { kind: 'relay' }>): string | null =>
  step.key === undefined ? 'RemoteCommand' : step.key;

/** The server's work on the companion's answer to a relayed command, before its next step. */
const responseMs = (step: Extract<Step, { kind: 'relay' }>, costs: LinkCosts): number => {
  const target =
    step.what === 'SendVerifyCommand'
      ? 'VerifyCommandResponse'
      : step.what === 'SendGetRootKeyCommand'
        ? 'GetRootKeyCommandResponse'
        : 'RemoteCommandResponse';
  const measured = costs.responseMs?.[target] ?? costs.serverMs;
  return Number.isFinite(measured) ? measured : 0;
};

/** The costs a flow's steps are priced with: its own medians first, then all flows'. */
export function flowCosts(costs: LinkCosts, flow: FlowId | undefined): LinkCosts {
  const own = flow === undefined ? undefined : costs.keyMsByFlow?.[flow];
  return own ? { ...costs, keyMs: { ...costs.keyMs, ...own } } : costs;
}

export function countSteps(steps: readonly Step[]): SequenceCounts {
  const of = (kind: Step['kind']): number => steps.filter((s) => s.kind === kind).length;
  const relayed = steps.filter((s) => s.kind === 'relay' && relayKey(s) !== null).length;
  const hubConnections = of('hub');
  const serverCalls = of('call') + of('relay');
  return {
    keyExchanges: of('key') + relayed,
    relayed,
    serverCalls,
    hubConnections,
    serverRoundTrips: serverCalls + 3 * hubConnections,
  };
}

const keyCost = (costs: LinkCosts, command: string): number => {
  const known = costs.keyMs[command];
  if (known !== undefined) return known;
  // A command this link never carried in the runs: priced as the median exchange.
  const all = Object.values(costs.keyMs).sort((a, b) => a - b);
  return all[Math.floor(all.length / 2)] ?? 0;
};

export function stepMs(step: Step, costs: LinkCosts): number {
  switch (step.kind) {
    case 'discover':
      return costs.discoverMs;
    case 'open':
      return costs.openMs;
    case 'key':
      return keyCost(costs, step.command);
    case 'call':
      return costs.rttMs + costs.serverMs;
    case 'hub':
      return 3.5 * costs.rttMs + 3 * costs.serverMs;
    case 'relay': {
      const key = relayKey(step);
      return costs.rttMs + (key === null ? 0 : keyCost(costs, key)) + responseMs(step, costs);
    }
    case 'wait':
      return step.ms;
  }
}

export interface StepTime {
  readonly step: Step;
  /** ms from the flow's start. */
  readonly startMs: number;
  readonly endMs: number;
}

/** A Key 3 step on its packet link; false when the step does not use the link. */
function onPackets(step: Step, costs: LinkCosts, line: PacketTimeline): boolean {
  const message = (command: string | null): void => {
    if (command === null) return;
    const known = KEY3_MESSAGES[command];
    // A message the table does not know (a licence's size varies): its measured median.
    if (known) line.exchange(known);
    else line.wait(keyCost(costs, command));
  };
  switch (step.kind) {
    case 'open':
      line.gatt(KEY3_GATT_REQUESTS);
      line.keySends(1); // the key wakes up: STATUS
      return true;
    case 'key':
      message(step.command);
      return true;
    case 'relay':
      line.wait(costs.rttMs / 2);
      message(relayKey(step));
      line.wait(costs.rttMs / 2 + responseMs(step, costs));
      return true;
    default:
      return false;
  }
}

/**
 * Each step's start and end, one after another from the flow's trigger; key steps priced
 * with `flow`'s own medians where it made the command (flowCosts).
 */
export function sequenceTimes(
  steps: readonly Step[],
  linkCosts: LinkCosts,
  flow?: FlowId,
): StepTime[] {
  const costs = flowCosts(linkCosts, flow);
  const line = costs.packets ? new PacketTimeline(costs.packets) : undefined;
  let now = 0;
  return steps.map((step) => {
    const startMs = now;
    if (line) line.now = now;
    if (line && onPackets(step, costs, line)) now = line.now;
    else now += stepMs(step, costs);
    return { step, startMs, endMs: now };
  });
}

export const sequenceMs = (steps: readonly Step[], costs: LinkCosts, flow?: FlowId): number =>
  sequenceTimes(steps, costs, flow).at(-1)?.endMs ?? 0;
