// A flow written down as steps (key exchanges, server calls, relayed server commands,
// hub set-ups, fixed waits), with its counts and its time on a link model. Used for
// the protocol's minimum and for the Hideez Client's sequence, so both can be set next
// to what the companion measurably does, on the same link costs.

export type Step =
  /** The key is switched on until the host starts opening it (advertisement or USB rescan). */
  | { readonly kind: 'discover'; readonly ref: string }
  /** Opening the link: CTAPHID INIT, or BLE connect + GATT discovery. */
  | { readonly kind: 'open'; readonly ref: string }
  | { readonly kind: 'key'; readonly command: string; readonly ref: string }
  /** A client → server invocation the flow waits for. */
  | { readonly kind: 'call'; readonly target: string; readonly ref: string }
  /** The server asks for a /deviceHub connection: ½ RTT push + negotiate, upgrade, handshake. */
  | { readonly kind: 'hub'; readonly ref: string }
  /** A server command relayed to the key: ½ RTT down, RemoteCommand, ½ RTT up (its response is a call). */
  | { readonly kind: 'relay'; readonly what: string; readonly ref: string }
  | { readonly kind: 'wait'; readonly ms: number; readonly ref: string };

export interface LinkCosts {
  readonly discoverMs: number;
  readonly openMs: number;
  /** Median time of one exchange per request command on this link. */
  readonly keyMs: Readonly<Record<string, number>>;
  readonly rttMs: number;
  /** Median server time of a call that relays nothing. */
  readonly serverMs: number;
}

export interface SequenceCounts {
  readonly keyExchanges: number;
  readonly relayed: number;
  readonly serverCalls: number;
  readonly hubConnections: number;
  readonly serverRoundTrips: number;
}

export function countSteps(steps: readonly Step[]): SequenceCounts {
  const of = (kind: Step['kind']): number => steps.filter((s) => s.kind === kind).length;
  const relayed = of('relay');
  const hubConnections = of('hub');
  const serverCalls = of('call') + relayed;
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
    case 'relay':
      return costs.rttMs + keyCost(costs, 'RemoteCommand');
    case 'wait':
      return step.ms;
  }
}

export const sequenceMs = (steps: readonly Step[], costs: LinkCosts): number =>
  steps.reduce((sum, step) => sum + stepMs(step, costs), 0);
