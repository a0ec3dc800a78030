// One key's open question to the user: the flow awaits `ask`, a command answers
// with `answer`. No timeout (the user may take their time); the flow's abort
// signal (disconnect, long press, cancel, server gate) ends the wait. The value
// (a code or PIN) goes straight to the flow and is not kept here.
import type { Prompt } from '../../shared/ipc/snapshot';

export interface Answer {
  readonly values: readonly string[];
  /** The flow calls it once it has handled the answer (the command resolves then). */
  readonly handled: () => void;
}

interface Waiting {
  readonly kind: Prompt['kind'];
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
}

export class PromptBox {
  #waiting: Waiting | undefined;

  get kind(): Prompt['kind'] | undefined {
    return this.#waiting?.kind;
  }

  ask(kind: Prompt['kind'], signal: AbortSignal): Promise<Answer> {
    if (signal.aborted) return Promise.reject(reasonOf(signal));
    return new Promise<Answer>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.#waiting?.resolve === done) this.#waiting = undefined;
        reject(reasonOf(signal));
      };
      const done = (answer: Answer): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      };
      const fail = (error: Error): void => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      };
      this.#waiting = { kind, resolve: done, reject: fail };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Hands the values to the waiting flow; resolves once it has handled them. False if no such prompt. */
  answer(kind: Prompt['kind'], values: readonly string[]): Promise<void> | false {
    const waiting = this.#waiting;
    if (!waiting || waiting.kind !== kind) return false;
    this.#waiting = undefined;
    return new Promise<void>((handled) => waiting.resolve({ values, handled }));
  }

  /**
   * Ends the open question with `error` (the flow decides what it means: the server came back
   * and must be heard first). False if nothing was asked.
   */
  interrupt(error: Error): boolean {
    const waiting = this.#waiting;
    if (!waiting) return false;
    this.#waiting = undefined;
    waiting.reject(error);
    return true;
  }
}

const reasonOf = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error('aborted');
