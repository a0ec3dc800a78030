// The one exchange in flight on a transport (device/transport/pending-exchange.ts),
// through its public interface and under fake timers: the answer, failures, the time
// limit and its keepalive extension, both timeout policies, the caller's abort with
// its bounded grace, a disconnect that wins at any moment, and an outcome told once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError, DeviceErrorKind } from '../../../device/errors/device-error';
import {
  PendingExchange,
  cancelledError,
  timeoutError,
  type ExchangeOutcome,
  type TimeoutPolicy,
} from '../../../device/transport/pending-exchange';
import type { ExchangeOptions, KeepaliveStatus } from '../../../device/transport/transport';

const TIMEOUT_MS = 100;
const GRACE_MS = 50;

interface Rig {
  readonly pending: PendingExchange<string>;
  readonly outcomes: ExchangeOutcome<string>[];
  readonly statuses: KeepaliveStatus[];
  /** What happened, in order: 'cancel' sent, 'settle', 'graceExpired'. */
  readonly calls: string[];
  readonly abort: AbortController;
}

function start(onTimeout: TimeoutPolicy = 'fail', options: Partial<ExchangeOptions> = {}): Rig {
  const outcomes: ExchangeOutcome<string>[] = [];
  const statuses: KeepaliveStatus[] = [];
  const calls: string[] = [];
  const abort = new AbortController();
  const pending = new PendingExchange<string>({
    options: {
      timeoutMs: TIMEOUT_MS,
      signal: abort.signal,
      onKeepalive: (status) => statuses.push(status),
      ...options,
    },
    what: 'exchange',
    cancelGraceMs: GRACE_MS,
    onTimeout,
    sendCancel: () => calls.push('cancel'),
    onGraceExpired: () => calls.push('graceExpired'),
    settle: (outcome) => {
      calls.push('settle');
      outcomes.push(outcome);
    },
  });
  return { pending, outcomes, statuses, calls, abort };
}

const linkError = (): DeviceError => new DeviceError(DeviceErrorKind.LinkError, 'refused');
const gone = (): DeviceError => new DeviceError(DeviceErrorKind.Disconnected, 'unplugged');
const errorOf = (rig: Rig): DeviceError | undefined => {
  const outcome = rig.outcomes[0];
  return outcome && !outcome.ok ? outcome.error : undefined;
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('answer and failure', () => {
  it("the key's answer settles the exchange once, and its time limit is released", () => {
    const rig = start();
    expect(rig.pending.done).toBe(false);
    rig.pending.answer('pong');
    expect(rig.outcomes).toEqual([{ ok: true, value: 'pong' }]);
    expect(rig.pending.done).toBe(true);
    vi.advanceTimersByTime(TIMEOUT_MS * 10);
    rig.abort.abort();
    expect(rig.calls).toEqual(['settle']);
  });

  it('a failure settles it with that error; the first outcome wins', () => {
    const rig = start();
    const error = linkError();
    rig.pending.fail(error);
    rig.pending.answer('late');
    rig.pending.fail(new DeviceError(DeviceErrorKind.Protocol, 'garbage'));
    rig.pending.disconnected(gone());
    expect(rig.outcomes).toEqual([{ ok: false, error }]);
  });
});

describe('the time limit', () => {
  it("'fail': at the limit, CANCEL goes out and the exchange fails with Timeout at once", () => {
    const rig = start('fail');
    vi.advanceTimersByTime(TIMEOUT_MS - 1);
    expect(rig.calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(rig.calls).toEqual(['cancel', 'settle']);
    expect(errorOf(rig)).toMatchObject({
      code: DeviceErrorKind.Timeout,
      message: 'The key did not answer the exchange in time',
      details: { timeoutMs: TIMEOUT_MS },
    });
    expect(rig.pending.cancelling).toBe(false);
  });

  it("'cancel': at the limit, CANCEL goes out and the key's answer to it ends the exchange with Timeout", () => {
    const rig = start('cancel');
    vi.advanceTimersByTime(TIMEOUT_MS);
    expect(rig.calls).toEqual(['cancel']);
    expect(rig.pending.cancelling).toBe(true);
    rig.pending.answer('too late');
    expect(errorOf(rig)?.code).toBe(DeviceErrorKind.Timeout);
    vi.advanceTimersByTime(GRACE_MS * 10);
    expect(rig.calls).toEqual(['cancel', 'settle']);
  });

  it("'cancel': a key that does not answer the CANCEL fails with Timeout after the grace, then the link is told", () => {
    const rig = start('cancel');
    vi.advanceTimersByTime(TIMEOUT_MS + GRACE_MS - 1);
    expect(rig.outcomes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(errorOf(rig)?.code).toBe(DeviceErrorKind.Timeout);
    expect(rig.calls).toEqual(['cancel', 'settle', 'graceExpired']);
  });
});

describe('keepalive', () => {
  it('every keepalive restarts the time limit', () => {
    const rig = start();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(TIMEOUT_MS - 10);
      rig.pending.keepalive('processing');
    }
    expect(rig.outcomes).toEqual([]);
    vi.advanceTimersByTime(TIMEOUT_MS);
    expect(errorOf(rig)?.code).toBe(DeviceErrorKind.Timeout);
  });

  it('the caller hears each change of status once', () => {
    const rig = start();
    for (const status of [
      'processing',
      'processing',
      'upNeeded',
      'upNeeded',
      'processing',
    ] as const)
      rig.pending.keepalive(status);
    expect(rig.statuses).toEqual(['processing', 'upNeeded', 'processing']);
  });

  it('a listener that throws does not break the exchange', () => {
    const rig = start('fail', {
      onKeepalive: () => {
        throw new Error('a bug in the listener');
      },
    });
    expect(() => rig.pending.keepalive('upNeeded')).not.toThrow();
    rig.pending.answer('ok');
    expect(rig.outcomes).toEqual([{ ok: true, value: 'ok' }]);
  });

  it('while cancelling, keepalives neither extend the grace nor reach the caller', () => {
    const rig = start();
    rig.abort.abort();
    vi.advanceTimersByTime(GRACE_MS - 10);
    rig.pending.keepalive('upNeeded');
    vi.advanceTimersByTime(10);
    expect(rig.statuses).toEqual([]);
    expect(errorOf(rig)?.code).toBe(DeviceErrorKind.Cancelled);
  });
});

describe('cancel', () => {
  it("aborting sends CANCEL once; the key's answer ends the exchange as Cancelled", () => {
    const rig = start();
    rig.abort.abort();
    expect(rig.calls).toEqual(['cancel']);
    expect(rig.pending.cancelling).toBe(true);
    expect(rig.outcomes).toEqual([]);
    rig.pending.answer('what the key had');
    expect(errorOf(rig)).toMatchObject({
      code: DeviceErrorKind.Cancelled,
      message: 'The exchange was cancelled',
    });
    expect(rig.calls).toEqual(['cancel', 'settle']);
  });

  it('a key that never answers the CANCEL: Cancelled after the grace, not the time limit', () => {
    const rig = start('fail', { timeoutMs: 10_000 });
    vi.advanceTimersByTime(10);
    rig.abort.abort();
    vi.advanceTimersByTime(GRACE_MS - 1);
    expect(rig.outcomes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(errorOf(rig)?.code).toBe(DeviceErrorKind.Cancelled);
    expect(rig.calls).toEqual(['cancel', 'settle', 'graceExpired']);
  });

  it('while cancelling, a failure ends the exchange with the cancel, not the failure', () => {
    const rig = start();
    rig.abort.abort();
    rig.pending.fail(linkError());
    expect(errorOf(rig)?.code).toBe(DeviceErrorKind.Cancelled);
  });

  it('the time limit does not fire while cancelling', () => {
    const rig = start('fail', { timeoutMs: GRACE_MS / 2 });
    rig.abort.abort();
    vi.advanceTimersByTime(GRACE_MS);
    expect(rig.calls).toEqual(['cancel', 'settle', 'graceExpired']);
    expect(errorOf(rig)?.code).toBe(DeviceErrorKind.Cancelled);
  });

  it('an abort after the outcome sends nothing', () => {
    const rig = start();
    rig.pending.answer('done');
    rig.abort.abort();
    expect(rig.calls).toEqual(['settle']);
    expect(rig.pending.cancelling).toBe(false);
  });
});

describe('disconnect', () => {
  it('fails the exchange at once with its error, even while cancelling', () => {
    const rig = start();
    rig.abort.abort();
    const error = gone();
    rig.pending.disconnected(error);
    expect(rig.outcomes).toEqual([{ ok: false, error }]);
    vi.advanceTimersByTime(GRACE_MS * 10);
    expect(rig.calls).toEqual(['cancel', 'settle']);
  });
});

describe('done once', () => {
  it('after its outcome nothing it is told changes anything', () => {
    const rig = start('cancel');
    rig.pending.answer('first');
    rig.pending.keepalive('upNeeded');
    rig.pending.fail(linkError());
    rig.pending.disconnected(gone());
    rig.pending.answer('second');
    vi.advanceTimersByTime(TIMEOUT_MS * 10);
    expect(rig.outcomes).toEqual([{ ok: true, value: 'first' }]);
    expect(rig.statuses).toEqual([]);
    expect(rig.calls).toEqual(['settle']);
  });

  it('dispose ends it without an outcome and releases the time limit and the signal', () => {
    const rig = start();
    rig.pending.dispose();
    expect(rig.pending.done).toBe(true);
    rig.abort.abort();
    rig.pending.fail(linkError());
    vi.advanceTimersByTime(TIMEOUT_MS * 10);
    expect(rig.calls).toEqual([]);
  });
});

describe('errors', () => {
  it('name the exchange, carry codes and the limit, never payload bytes', () => {
    expect(cancelledError('ping')).toMatchObject({
      code: DeviceErrorKind.Cancelled,
      message: 'The ping was cancelled',
    });
    expect(timeoutError('channel allocation', 3000)).toMatchObject({
      code: DeviceErrorKind.Timeout,
      message: 'The key did not answer the channel allocation in time',
      details: { timeoutMs: 3000 },
    });
  });
});
