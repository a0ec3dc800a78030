// What each step costs on one link profile, taken from the companion's own runs on it:
// the medians of its exchanges per command, of its link opens, of the time from
// switching a key on to the first open, and of the stand-in's time per plain call.
// A Hideez Key 3's profile also hands on its packet model: its key steps are priced
// on the link itself (sequence-model.ts), the medians are kept to set beside them.
import { median } from '../report/stats';
import type { LinkProfile } from '../link-profiles';
import type { WireEvent } from '../net/signalr-tap';
import type { FlowSample } from './flow-types';
import type { LinkCosts } from './sequence-model';

/** Calls that relay nothing to a key: their time is the server's own. */
const PLAIN_CALLS: ReadonlySet<string> = new Set([
  'UpdateHwVaultProperties',
  'GetHwVaultLicenses',
  'HwVaultLicenseApplied',
  'SaveClientEvents',
]);

/** Server time of each plain call: its completion left the server − the call reached it. */
export function serverTimes(wire: readonly WireEvent[], oneWayMs: number): number[] {
  const open = new Map<string, WireEvent>();
  const times: number[] = [];
  for (const event of wire) {
    if (event.invocationId === undefined) continue;
    const id = `${event.connection}:${event.invocationId}`;
    if (event.kind === 'invocation' && event.dir === 'up') open.set(id, event);
    if (event.kind === 'completion' && event.dir === 'down') {
      const call = open.get(id);
      open.delete(id);
      if (call && PLAIN_CALLS.has(call.target ?? '')) times.push(event.at - call.at - oneWayMs);
    }
  }
  return times;
}

export function linkCosts(
  samples: readonly FlowSample[],
  rttMs: number,
  profile?: LinkProfile,
): LinkCosts {
  const byCommand = new Map<string, number[]>();
  const opens: number[] = [];
  const discover: number[] = [];
  const server: number[] = [];
  for (const sample of samples) {
    for (const exchange of sample.exchanges) {
      if (exchange.command === 'open') opens.push(exchange.ms);
      else
        byCommand.set(exchange.command, [...(byCommand.get(exchange.command) ?? []), exchange.ms]);
    }
    const firstOpen = sample.exchanges.find((e) => e.command === 'open');
    if (firstOpen && (sample.flow === 'appearsOnline' || sample.flow === 'reservedPrompt')) {
      discover.push(firstOpen.at - sample.startAt);
    }
    server.push(...serverTimes(sample.wire, rttMs / 2));
  }
  return {
    discoverMs: median(discover),
    openMs: median(opens),
    keyMs: Object.fromEntries([...byCommand].map(([command, ms]) => [command, median(ms)])),
    rttMs,
    serverMs: median(server),
    ...(profile?.family === 'key3' && profile.ble
      ? {
          packets: {
            latencyMs: profile.ble.latencyMs,
            packetIntervalMs: profile.ble.packetIntervalMs,
          },
        }
      : {}),
  };
}
