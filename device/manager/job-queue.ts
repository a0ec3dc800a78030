// One exchange at a time per key: a key's firmware handles one request per link,
// and interleaving two workflows' requests would mix their answers. Jobs run
// FIFO; each has a time limit and may be cancelled. Different keys have
// different queues, so keys run in parallel (the Hideez Client ran one flow for
// all keys and dropped the rest).
import { DeviceError, DeviceErrorKind } from '../errors/device-error';

export interface JobOptions {
  /** Time limit for the job once it starts running (not while it waits its turn). */
  readonly timeoutMs: number;
  /** Cancels the job whether it is waiting or running. */
  readonly signal?: AbortSignal;
  /** A short label for diagnostics (never message contents). */
  readonly label?: string;
}

/**
 * A job receives a signal that fires when it must stop (timeout, cancel, queue
 * closed) and should pass it to the transport so the link is cancelled cleanly.
 */
export type Job<T> = (signal: AbortSignal) => Promise<T>;

export interface JobQueueOptions {
  /**
   * After a timeout or cancel, how long a job may take to actually stop before
   * the link is declared stuck. The next job never starts while the previous one
   * still owns the link.
   */
  readonly graceMs?: number;
  /**
   * Called when a job did not stop within the grace period. The device layer
   * resets (closes) the link, which ends the job's I/O. Without a handler the
   * queue closes itself: later jobs fail with DeviceDisconnected until reopen().
   */
  readonly onStuck?: (label: string) => void;
}

interface Pending {
  readonly start: () => void;
  readonly fail: (error: DeviceError) => void;
}

export class JobQueue {
  readonly #waiting: Pending[] = [];
  #running: { readonly stop: (reason: DeviceError) => void } | null = null;
  #closed: DeviceError | null = null;
  readonly #graceMs: number;
  readonly #onStuck: (label: string) => void;

  constructor(options: JobQueueOptions = {}) {
    this.#graceMs = options.graceMs ?? 2_000;
    this.#onStuck =
      options.onStuck ??
      ((label) =>
        this.close(
          new DeviceError(
            DeviceErrorKind.Disconnected,
            'The link stopped responding and was reset',
            {
              job: label,
            },
          ),
        ));
  }

  /** True once closed, until reopened: every job is refused. */
  get isClosed(): boolean {
    return this.#closed !== null;
  }

  /** Number of jobs waiting or running. */
  get size(): number {
    return this.#waiting.length + (this.#running ? 1 : 0);
  }

  run<T>(job: Job<T>, options: JobOptions): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelled(options));
    // An idle queue starts the job now: it has no turn to wait for, so no waiting to cancel.
    if (!this.#running && this.#waiting.length === 0) return this.#execute(job, options);

    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbortWhileWaiting);
        fn();
      };
      const pending: Pending = {
        start: () => {
          signal?.removeEventListener('abort', onAbortWhileWaiting);
          void this.#execute(job, options).then(
            (value) => settle(() => resolve(value)),
            (error: Error) => settle(() => reject(error)),
          );
        },
        fail: (error) => settle(() => reject(error)),
      };
      const onAbortWhileWaiting = (): void => {
        const index = this.#waiting.indexOf(pending);
        if (index >= 0) this.#waiting.splice(index, 1);
        pending.fail(cancelled(options));
      };
      signal?.addEventListener('abort', onAbortWhileWaiting, { once: true });
      this.#waiting.push(pending);
      this.#next();
    });
  }

  /**
   * Fails the running job and every waiting one with `reason` (for example
   * DeviceDisconnected) and refuses new jobs until reopen().
   */
  close(reason: DeviceError): void {
    this.#closed = reason;
    const waiting = this.#waiting.splice(0);
    this.#running?.stop(reason);
    for (const pending of waiting) pending.fail(reason);
  }

  /** Accept jobs again (the key reconnected). */
  reopen(): void {
    this.#closed = null;
  }

  async #execute<T>(job: Job<T>, options: JobOptions): Promise<T> {
    const controller = new AbortController();
    const label = options.label ?? 'job';
    // Every stop comes through here (timeout, the caller's cancel, close), so the queue needs
    // no listener on its own signal: the job is told through it, the caller through `aborted`.
    let rejectAborted: (reason: DeviceError) => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      rejectAborted = reject;
    });
    const stop = (reason: DeviceError): void => {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      rejectAborted(reason);
    };
    this.#running = { stop };
    const timer = setTimeout(
      () =>
        stop(
          new DeviceError(
            DeviceErrorKind.Timeout,
            `The key did not answer in ${options.timeoutMs} ms`,
            {
              job: label,
              timeoutMs: options.timeoutMs,
            },
          ),
        ),
      options.timeoutMs,
    );
    const onCallerAbort = (): void => stop(cancelled(options));
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });

    const work = job(controller.signal);
    // The link is released only when the job has really stopped, or, if it
    // ignores its signal, when the grace period after the abort runs out.
    const finished = work.then(
      () => undefined,
      () => undefined,
    );
    void this.#releaseWhenDone(finished, aborted, controller.signal, label);
    try {
      // The caller is answered at once on timeout or cancel, even while the job winds down.
      return await Promise.race([work, aborted]);
    } catch (error) {
      throw asError(error);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async #releaseWhenDone(
    finished: Promise<void>,
    aborted: Promise<never>,
    signal: AbortSignal,
    label: string,
  ): Promise<void> {
    await Promise.race([finished, aborted.catch(() => undefined)]);
    let stuck = false;
    if (signal.aborted) {
      const grace = new Promise<'stuck'>((resolve) => {
        const timer = setTimeout(() => resolve('stuck'), this.#graceMs);
        void finished.then(() => clearTimeout(timer));
      });
      stuck = (await Promise.race([finished, grace])) === 'stuck';
    }
    this.#running = null;
    if (stuck) this.#onStuck(label);
    this.#next();
  }

  #next(): void {
    if (this.#running || this.#closed) return;
    const pending = this.#waiting.shift();
    pending?.start();
  }
}

function cancelled(options: JobOptions): DeviceError {
  return new DeviceError(DeviceErrorKind.Cancelled, 'The operation was cancelled', {
    job: options.label ?? 'job',
  });
}

// A job may throw anything; callers always get an Error (a non-Error value is kept as the cause).
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error('The job failed', { cause: error });
}
