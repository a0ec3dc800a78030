import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceError, DeviceErrorKind } from '../../../device/errors/device-error';
import { JobQueue } from '../../../device/manager/job-queue';

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    });
  });

describe('JobQueue: one exchange at a time per key', () => {
  it('runs jobs one at a time, first in first out', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) => async (signal: AbortSignal) => {
      log.push(`start ${name}`);
      await sleep(ms, signal);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      queue.run(job('a', 20), { timeoutMs: 1000 }),
      queue.run(job('b', 1), { timeoutMs: 1000 }),
      queue.run(job('c', 5), { timeoutMs: 1000 }),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.size).toBe(0);
  });

  it('times out a job that does not answer, signals it to stop, and runs the next one', async () => {
    const queue = new JobQueue();
    let stopped = false;
    const slow = queue.run(
      async (signal) => {
        signal.addEventListener('abort', () => (stopped = true));
        await sleep(10_000, signal);
      },
      { timeoutMs: 30, label: 'getInfo' },
    );
    const next = queue.run(() => Promise.resolve('next'), { timeoutMs: 1000 });
    await expect(slow).rejects.toMatchObject({
      code: DeviceErrorKind.Timeout,
      details: { job: 'getInfo' },
    });
    expect(stopped).toBe(true);
    await expect(next).resolves.toBe('next');
  });

  it('answers the caller on timeout at once, but keeps the link until the job has stopped', async () => {
    const queue = new JobQueue({ graceMs: 1000 });
    const log: string[] = [];
    const slowToStop = queue.run(
      async (signal) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        await sleep(30); // winding down, e.g. a CTAPHID CANCEL round trip
        log.push('first stopped');
      },
      { timeoutMs: 10 },
    );
    const next = queue.run(
      async () => {
        log.push('second started');
        return Promise.resolve();
      },
      { timeoutMs: 100 },
    );
    await expect(slowToStop).rejects.toMatchObject({ code: DeviceErrorKind.Timeout });
    expect(log).toEqual([]);
    await next;
    expect(log).toEqual(['first stopped', 'second started']);
  });

  it('declares the link stuck when a job ignores its signal past the grace period', async () => {
    const stuck: string[] = [];
    const queue = new JobQueue({
      graceMs: 20,
      onStuck: (label) => {
        stuck.push(label);
        // what the device manager does: reset the link, then accept jobs again on reconnect
      },
    });
    const stubborn = queue.run(() => new Promise<never>(() => undefined), {
      timeoutMs: 10,
      label: 'enterPin',
    });
    await expect(stubborn).rejects.toMatchObject({ code: DeviceErrorKind.Timeout });
    await expect(queue.run(() => Promise.resolve(1), { timeoutMs: 100 })).resolves.toBe(1);
    expect(stuck).toEqual(['enterPin']);
  });

  it('without a stuck handler, closes itself: later jobs fail with DeviceDisconnected', async () => {
    const queue = new JobQueue({ graceMs: 10 });
    await expect(
      queue.run(() => new Promise<never>(() => undefined), { timeoutMs: 10 }),
    ).rejects.toMatchObject({
      code: DeviceErrorKind.Timeout,
    });
    await expect(queue.run(() => Promise.resolve(1), { timeoutMs: 100 })).rejects.toMatchObject({
      code: DeviceErrorKind.Disconnected,
    });
  });

  it('cancels a waiting job without running it', async () => {
    const queue = new JobQueue();
    const controller = new AbortController();
    let ran = false;
    const first = queue.run((signal) => sleep(30, signal), { timeoutMs: 1000 });
    const second = queue.run(
      () => {
        ran = true;
        return Promise.resolve();
      },
      { timeoutMs: 1000, signal: controller.signal },
    );
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
    await first;
    expect(ran).toBe(false);
  });

  it('cancels a running job through its signal', async () => {
    const queue = new JobQueue();
    const controller = new AbortController();
    const running = queue.run((signal) => sleep(10_000, signal), {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    await expect(running).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
    expect(queue.size).toBe(0);
  });

  it('rejects at once when the caller already cancelled', async () => {
    const queue = new JobQueue();
    await expect(
      queue.run(() => Promise.resolve(), { timeoutMs: 10, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
  });

  it('a job that fails with a non-Error gives its caller an Error, whether it ran at once or waited', async () => {
    const queue = new JobQueue();
    // Not an Error on purpose: a job may reject with anything.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const odd = (): Promise<never> => Promise.reject(Object.freeze({ odd: true }));
    const first = queue.run(odd, { timeoutMs: 1000 });
    const second = queue.run(odd, { timeoutMs: 1000 });
    for (const result of [first, second]) {
      const error: unknown = await result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).cause).toEqual({ odd: true });
    }
    expect(queue.size).toBe(0);
  });

  it('a disconnect fails the running and the waiting jobs with DeviceDisconnected, then works after reopen', async () => {
    const queue = new JobQueue();
    const gone = new DeviceError(DeviceErrorKind.Disconnected, 'The key was disconnected');
    const running = queue.run((signal) => sleep(10_000, signal), { timeoutMs: 60_000 });
    const waiting = queue.run(() => Promise.resolve('never'), { timeoutMs: 60_000 });
    queue.close(gone);
    await expect(running).rejects.toBe(gone);
    await expect(waiting).rejects.toBe(gone);
    await expect(queue.run(() => Promise.resolve(), { timeoutMs: 10 })).rejects.toBe(gone);
    queue.reopen();
    await expect(queue.run(() => Promise.resolve('again'), { timeoutMs: 100 })).resolves.toBe(
      'again',
    );
  });

  it('different keys run in parallel', async () => {
    const a = new JobQueue();
    const b = new JobQueue();
    let concurrent = 0;
    let most = 0;
    const job = async (signal: AbortSignal) => {
      concurrent += 1;
      most = Math.max(most, concurrent);
      await sleep(20, signal);
      concurrent -= 1;
    };
    await Promise.all([a.run(job, { timeoutMs: 500 }), b.run(job, { timeoutMs: 500 })]);
    expect(most).toBe(2);
  });

  it('property: any mix of jobs, failures, timeouts and cancels never runs two at once and settles every job', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            ms: fc.integer({ min: 0, max: 6 }),
            outcome: fc.constantFrom('ok', 'throw', 'hang'),
            cancelAfter: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
          }),
          { maxLength: 12 },
        ),
        async (specs) => {
          const queue = new JobQueue({ graceMs: 5 });
          let running = 0;
          let overlap = false;
          const started: number[] = [];
          const settled = await Promise.allSettled(
            specs.map((spec, i) => {
              const controller = new AbortController();
              if (spec.cancelAfter !== undefined)
                setTimeout(() => controller.abort(), spec.cancelAfter);
              return queue.run(
                async (signal) => {
                  started.push(i);
                  running += 1;
                  if (running > 1) overlap = true;
                  try {
                    if (spec.outcome === 'hang') await new Promise<never>(() => undefined);
                    await sleep(spec.ms, signal);
                    if (spec.outcome === 'throw') throw new Error('boom');
                    return i;
                  } finally {
                    running -= 1;
                  }
                },
                { timeoutMs: 15, signal: controller.signal },
              );
            }),
          );
          expect(overlap).toBe(false);
          expect(settled).toHaveLength(specs.length);
          expect([...started].sort((x, y) => x - y)).toEqual(started);
          for (const [i, result] of settled.entries()) {
            if (result.status === 'fulfilled') expect(result.value).toBe(i);
            else if (result.reason instanceof DeviceError)
              expect([
                DeviceErrorKind.Timeout,
                DeviceErrorKind.Cancelled,
                DeviceErrorKind.Disconnected,
              ]).toContain(result.reason.code);
            else expect(String(result.reason)).toContain('boom');
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
