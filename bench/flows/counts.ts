// Round trips per flow, counted exactly from what was recorded: key exchanges from the
// counting transport wrapper (one per Transport.exchange call, by request command),
// server calls from the SignalR records through the proxy (one per client → server
// invocation, by target), and hub connections opened (negotiate POST + WebSocket
// upgrade + SignalR handshake: three round trips each). Counted twice: up to the
// moment the end state was shown (what the user waits for), and after it until the
// links went quiet (work the flow caused that nobody waits for). A key exchange counts
// where its answer came: one the companion sends just before it shows the state (the
// snapshot is built once the request is out) kept nobody waiting.
import type { FlowSample } from './flow-types';

export interface WindowCounts {
  /** Key exchanges (link opens not included). */
  readonly keyExchanges: number;
  /** Of which relayed for the server (RemoteCommand, VerifyChannel; a Key 3's RemoteVerify). */
  readonly relayed: number;
  /** Client → server invocations. */
  readonly serverCalls: number;
  readonly hubConnections: number;
  /** Server round trips: calls + 3 per hub connection opened. */
  readonly serverRoundTrips: number;
  readonly byCommand: Readonly<Record<string, number>>;
  readonly byTarget: Readonly<Record<string, number>>;
}

export interface FlowCounts {
  readonly shown: WindowCounts;
  readonly after: WindowCounts;
  readonly linkOpens: number;
}

/** Key exchanges made for the server: its sealed commands and its channel verification. */
export const RELAYED: readonly string[] = ['RemoteCommand', 'VerifyChannel', 'RemoteVerify'];

const bump = (map: Record<string, number>, key: string): void => {
  map[key] = (map[key] ?? 0) + 1;
};

function windowCounts(sample: FlowSample, inside: (at: number) => boolean): WindowCounts {
  const byCommand: Record<string, number> = {};
  const byTarget: Record<string, number> = {};
  let keyExchanges = 0;
  for (const exchange of sample.exchanges) {
    if (exchange.command === 'open' || !inside(exchange.at + exchange.ms)) continue;
    keyExchanges += 1;
    bump(byCommand, exchange.command);
  }
  let serverCalls = 0;
  let hubConnections = 0;
  for (const event of sample.wire) {
    if (!inside(event.at)) continue;
    if (event.kind === 'upgrade') hubConnections += 1;
    if (event.kind !== 'invocation' || event.dir !== 'up') continue;
    serverCalls += 1;
    bump(byTarget, event.target ?? '?');
  }
  return {
    keyExchanges,
    relayed: RELAYED.reduce((sum, command) => sum + (byCommand[command] ?? 0), 0),
    serverCalls,
    hubConnections,
    serverRoundTrips: serverCalls + 3 * hubConnections,
    byCommand,
    byTarget,
  };
}

export function countFlow(sample: FlowSample): FlowCounts {
  return {
    shown: windowCounts(sample, (at) => at <= sample.endAt),
    after: windowCounts(sample, (at) => at > sample.endAt),
    linkOpens: sample.exchanges.filter((e) => e.command === 'open').length,
  };
}

/** "6" when every run agrees, "6–7" when they do not. */
export function range(values: readonly number[]): string {
  if (values.length === 0) return '–';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? String(min) : `${min}–${max}`;
}

/** The most frequent breakdown, as "GetInfo×4, RemoteCommand×2". */
export function breakdown(maps: readonly Readonly<Record<string, number>>[]): string {
  const texts = maps.map((map) =>
    Object.entries(map)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, n]) => `${name}×${n}`)
      .join(', '),
  );
  const tally = new Map<string, number>();
  for (const text of texts) tally.set(text, (tally.get(text) ?? 0) + 1);
  const [best = ''] = [...tally.entries()].sort((a, b) => b[1] - a[1]).map(([text]) => text);
  return best === '' ? 'none' : best;
}
