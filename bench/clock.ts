// One clock for every process of the bench: CLOCK_MONOTONIC (process.hrtime) is
// system-wide on Linux, so a timestamp taken in the companion's process can be
// compared with one taken in the orchestrator's.
export const nowMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with a message naming what was awaited: a stuck bench fails loudly. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
