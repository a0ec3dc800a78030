// The floor HES itself sets for N keys activated together (docs/performance.md §6).
// HES runs one hub invocation per client connection at a time: it calls AddSignalR()
// with no options (HES.Web/Startup.cs, v3.8.4) on .NET 5, whose
// HubOptions.MaximumParallelInvocationsPerClient defaults to 1; the stand-in keeps that.
// The workstation has one /appHub connection, so every key's AppHub calls queue on it,
// and an UpdateHwVaultStatus holds it for its whole remote work: the server's push to
// open a /deviceHub, that hub's set-up, and each relayed command's round trip through
// the companion to the key (the relays themselves run on /deviceHub, which is not
// serialised with /appHub, but the AppHub call stays outstanding until they end).
//
// So N keys cannot all be Online sooner than
//   floor(N) = max(chain, head + N × held + tail)
// - held: what one key's required AppHub calls hold the connection, on the server's
//   side: each call's server time, and inside each UpdateHwVaultStatus its /deviceHub
//   set-up and relayed commands (priced as in the minimum: sequence-model.ts). The
//   calls are the minimum's (protocol-minimum.ts): Reserved → prompt, code → Active,
//   and the Online report;
// - head: what comes before the first key's first call reaches the server (discovery,
//   the link open, its GetInfo, ½ RTT up): no call of any key can be held before it;
// - tail: the last completion's ½ RTT back to the companion;
// - chain: one key's own minimum from switch-on to Online (the flows' minimum steps
//   end to end; the robot types the code at once): the floor for N = 1, where nothing
//   overlaps.
// The keys' other steps (their links, the RTTs between a key's calls) overlap with other
// keys' holds, so they add nothing once N is large.
import type { WireEvent } from '../net/signalr-tap';
import { minimumSteps } from './protocol-minimum';
import { flowCosts, sequenceMs, stepMs, type LinkCosts, type Step } from './sequence-model';

export interface ScaleFloor {
  readonly keys: number;
  /** AppHub time one key's required calls hold the connection, ms. */
  readonly heldPerKeyMs: number;
  readonly headMs: number;
  readonly tailMs: number;
  /** One key alone, switch-on → Online. */
  readonly chainMs: number;
  readonly floorMs: number;
}

type Leg = 'reservedPrompt' | 'codeActive';

/** One key's minimum from switch-on to Online: the two flows', then the Online report. */
export function keyToOnline(licences: number): { readonly leg: Leg; readonly step: Step }[] {
  const online: Step = { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Online' };
  return [
    ...minimumSteps('reservedPrompt', licences).map((step) => ({
      leg: 'reservedPrompt' as const,
      step,
    })),
    ...[...minimumSteps('codeActive', licences), online].map((step) => ({
      leg: 'codeActive' as const,
      step,
    })),
  ];
}

/** The AppHub connection is held by a call's server time and by the remote work inside it. */
const holds = (step: Step): boolean =>
  step.kind === 'call' || step.kind === 'hub' || step.kind === 'relay';

export function scaleFloor(keys: number, costs: LinkCosts, licences = 0): ScaleFloor {
  const steps = keyToOnline(licences);
  let heldPerKeyMs = 0;
  let headMs = 0;
  let started = false;
  for (const { leg, step } of steps) {
    const priced = flowCosts(costs, leg);
    if (step.kind === 'call') started = true;
    if (!started) headMs += stepMs(step, priced);
    if (holds(step)) heldPerKeyMs += step.kind === 'call' ? costs.serverMs : stepMs(step, priced);
  }
  headMs += costs.rttMs / 2;
  const tailMs = costs.rttMs / 2;
  const legMs = (leg: Leg): number =>
    sequenceMs(
      steps.filter((s) => s.leg === leg).map((s) => s.step),
      costs,
      leg,
    );
  const chainMs = legMs('reservedPrompt') + legMs('codeActive');
  return {
    keys,
    heldPerKeyMs,
    headMs,
    tailMs,
    chainMs,
    floorMs: Math.max(chainMs, headMs + keys * heldPerKeyMs + tailMs),
  };
}

export interface HubHeld {
  /** The union of the server-side holds (a call arrived → its completion left), ms. */
  readonly heldMs: number;
  /** From the first call's arrival to the last completion, ms. */
  readonly spanMs: number;
  /** Of that span, no call held the connection: HES could have run one, none was there. */
  readonly idleMs: number;
  readonly calls: number;
}

/**
 * What a hub connection was held for on the server's side, from the wire records: each
 * client invocation from its arrival at the server (the proxy's time + the one-way
 * delay) to its completion leaving it, over every connection to that hub; calls sent
 * after `until` are left out.
 */
export function hubHeld(
  wire: readonly WireEvent[],
  hub: string,
  oneWayMs: number,
  until = Number.POSITIVE_INFINITY,
): HubHeld {
  const started = new Map<string, number>();
  const intervals: [number, number][] = [];
  for (const event of wire) {
    if (event.hub !== hub || event.invocationId === undefined || event.at > until) continue;
    const id = `${event.connection}:${event.invocationId}`;
    if (event.kind === 'invocation' && event.dir === 'up') started.set(id, event.at + oneWayMs);
    if (event.kind === 'completion' && event.dir === 'down') {
      const at = started.get(id);
      started.delete(id);
      if (at !== undefined) intervals.push([at, Math.max(at, event.at)]);
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let heldMs = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [start, stop] of intervals) {
    if (stop <= end) continue;
    heldMs += stop - Math.max(start, end);
    end = stop;
  }
  const first = intervals[0]?.[0];
  const spanMs = first === undefined ? 0 : end - first;
  return { heldMs, spanMs, idleMs: spanMs - heldMs, calls: intervals.length };
}
