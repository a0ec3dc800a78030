// When to try again after a failed or lost connection (hes-contract.md §4.1: the SDK
// waits 1 s, then +1 s each try, at most 10 s). Jitter spreads many workstations
// reconnecting to one restarted server. Pure: the random source is a parameter.
import type { IRetryPolicy, RetryContext } from '@microsoft/signalr';

export interface ReconnectOptions {
  readonly firstMs?: number;
  readonly stepMs?: number;
  readonly maxMs?: number;
  /** ± this fraction of the delay, 0..1. */
  readonly jitter?: number;
}

export const DEFAULT_RECONNECT = { firstMs: 1000, stepMs: 1000, maxMs: 10_000, jitter: 0.2 };

/** The delay before try number `attempt` (0 = the first retry); `random` in [0, 1). */
export function reconnectDelay(
  attempt: number,
  options: ReconnectOptions = {},
  random: () => number = Math.random,
): number {
  const firstMs = Math.max(0, options.firstMs ?? DEFAULT_RECONNECT.firstMs);
  const stepMs = Math.max(0, options.stepMs ?? DEFAULT_RECONNECT.stepMs);
  const maxMs = Math.max(firstMs, options.maxMs ?? DEFAULT_RECONNECT.maxMs);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_RECONNECT.jitter));
  const n = Math.max(0, Math.floor(Number.isFinite(attempt) ? attempt : 0));
  const base = Math.min(maxMs, firstMs + stepMs * n);
  const offset = base * jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + offset));
}

/** The same schedule as a SignalR IRetryPolicy that never gives up. */
export const reconnectPolicy = (
  options: ReconnectOptions = {},
  random: () => number = Math.random,
): IRetryPolicy => ({
  nextRetryDelayInMilliseconds: (context: RetryContext) =>
    reconnectDelay(context.previousRetryCount, options, random),
});
