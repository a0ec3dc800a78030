// How much of a time window a hub connection spent with at least one client call
// outstanding (the union of invocation → completion intervals). HES runs one
// invocation per client connection at a time (ASP.NET Core's default, which the
// stand-in keeps), so a busy share near 100 % means the calls queued behind each other.
import type { WireEvent } from './signalr-tap';

export function hubBusyShare(
  wire: readonly WireEvent[],
  hub: string,
  from: number,
  to: number,
): number {
  const started = new Map<string, number>();
  const intervals: [number, number][] = [];
  for (const event of wire) {
    if (event.hub !== hub || event.invocationId === undefined) continue;
    const id = `${event.connection}:${event.invocationId}`;
    if (event.kind === 'invocation' && event.dir === 'up') started.set(id, event.at);
    if (event.kind === 'completion' && event.dir === 'down') {
      const at = started.get(id);
      started.delete(id);
      if (at !== undefined) intervals.push([Math.max(at, from), Math.min(event.at, to)]);
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let end = from;
  for (const [start, stop] of intervals) {
    if (stop <= end) continue;
    busy += stop - Math.max(start, end);
    end = stop;
  }
  return to > from ? busy / (to - from) : 0;
}
