// The timer census of the companion's process: what fires and what is pending, with
// where an interval was set.
import { afterEach, describe, expect, it } from 'vitest';
import {
  installTimerCensus,
  timerCensus,
  traceTimeouts,
} from '../../../bench/companion/timer-census';

describe('the timer census', () => {
  afterEach(() => traceTimeouts(false));

  it('lists a pending interval with where it was set, and counts its firings', async () => {
    installTimerCensus();
    const before = timerCensus().fired.interval;
    const interval = setInterval(() => undefined, 5);
    interval.unref();
    await new Promise((resolve) => setTimeout(resolve, 40));
    const census = timerCensus();
    const mine = census.pending.find((t) => t.kind === 'interval' && t.ms === 5);
    expect(mine).toMatchObject({ ref: false });
    expect(mine?.origin).toMatch(/timer-census\.test\.ts:\d+$/);
    expect(census.fired.interval - before).toBeGreaterThan(1);
    clearInterval(interval);
    expect(timerCensus().pending.some((t) => t.kind === 'interval' && t.ms === 5)).toBe(false);
  });

  it('forgets a timeout once it fired or was cleared; traces timeouts only when asked', async () => {
    installTimerCensus();
    traceTimeouts(true);
    const cleared = setTimeout(() => undefined, 60_000);
    expect(timerCensus().pending.find((t) => t.ms === 60_000)?.origin).toMatch(/\.test\.ts/);
    clearTimeout(cleared);
    const fired = timerCensus().fired.timeout;
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(timerCensus().fired.timeout).toBeGreaterThan(fired);
    expect(timerCensus().pending.some((t) => t.ms === 60_000)).toBe(false);
    traceTimeouts(false);
    const untraced = setTimeout(() => undefined, 59_000);
    expect(timerCensus().pending.find((t) => t.ms === 59_000)?.origin).toBeUndefined();
    clearTimeout(untraced);
  });
});
