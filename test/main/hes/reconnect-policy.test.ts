import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconnectDelay, reconnectPolicy } from '../../../main/hes/reconnect-policy';

const noJitter = { jitter: 0 };

describe('the reconnect schedule', () => {
  it('waits 1 s first, then 1 s more each try, never more than 10 s', () => {
    const delays = Array.from({ length: 14 }, (_, i) => reconnectDelay(i, noJitter));
    expect(delays).toEqual([
      1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 10_000, 10_000, 10_000, 10_000,
    ]);
  });

  it('spreads each delay by at most ± the jitter fraction', () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, random, jitter) => {
          const base = Math.min(10_000, 1000 + 1000 * attempt);
          const delay = reconnectDelay(attempt, { jitter }, () => random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitter)));
          expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + jitter)));
        },
      ),
    );
  });

  it('is never negative or unbounded, whatever the options', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.record({
          firstMs: fc.integer({ min: -5000, max: 60_000 }),
          stepMs: fc.integer({ min: -5000, max: 60_000 }),
          maxMs: fc.integer({ min: -5000, max: 60_000 }),
          jitter: fc.double({ min: -2, max: 2, noNaN: true }),
        }),
        (attempt, options) => {
          const delay = reconnectDelay(attempt, options, () => 0.999);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(2 * Math.max(60_000, options.firstMs));
        },
      ),
    );
  });

  it('never gives up as a SignalR retry policy', () => {
    const policy = reconnectPolicy(noJitter);
    const delay = policy.nextRetryDelayInMilliseconds({
      previousRetryCount: 1_000_000,
      elapsedMilliseconds: 1e12,
      retryReason: new Error('lost'),
    });
    expect(delay).toBe(10_000);
  });
});
