// Measured records for the bench's report and pricing tests: one key exchange, one flow's sample.
import type { ExchangeRecord } from '../../../bench/companion/protocol';
import type { FlowId, FlowSample } from '../../../bench/flows/flow-types';

export const exchange = (command: string, at: number, ms: number, ok = true): ExchangeRecord => ({
  at,
  link: 'usb',
  transportId: 'k1',
  command,
  requestBytes: 1,
  responseBytes: 1,
  ms,
  ok,
});

/** A USB sample of `flow` that took `latencyMs` from its trigger at `startAt`. */
export const sample = (
  flow: FlowId,
  exchanges: ExchangeRecord[],
  latencyMs = 100,
  startAt = 0,
  leadMs = 0.2,
): FlowSample => ({
  profile: 'usb-fs',
  flow,
  latencyMs,
  leadMs,
  startAt,
  endAt: startAt + latencyMs,
  windowMs: latencyMs + 200,
  cpuMs: 2,
  loops: 5,
  bridgeMessages: 10,
  packetsUp: 2,
  packetsDown: 2,
  exchanges,
  wire: [],
});
