// The key's single button as the firmware sees it: at most one operation waits
// for it; a short press confirms, a long press cancels, and the wait also ends
// on its timeout or when the host cancels (abort signal).

export type ButtonOutcome = 'pressed' | 'canceled' | 'timeout';

export class KeyButton {
  private settle: ((outcome: ButtonOutcome) => void) | undefined;

  get waiting(): boolean {
    return this.settle !== undefined;
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<ButtonOutcome> {
    this.cancel();
    return new Promise((resolve) => {
      const done = (outcome: ButtonOutcome): void => {
        if (this.settle !== done) return;
        this.settle = undefined;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = (): void => done('canceled');
      const timer = setTimeout(() => done('timeout'), timeoutMs);
      this.settle = done;
      if (signal?.aborted) done('canceled');
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A short press; true if it confirmed a waiting operation. */
  press(): boolean {
    return this.finish('pressed');
  }

  /** A long press; true if it canceled a waiting operation. */
  longPress(): boolean {
    return this.finish('canceled');
  }

  cancel(): void {
    this.finish('canceled');
  }

  private finish(outcome: ButtonOutcome): boolean {
    const settle = this.settle;
    if (!settle) return false;
    settle(outcome);
    return true;
  }
}
