// Event-driven waits for the test rigs: `wait(test)` resolves once `test()` holds,
// checked now and at every `wake()` (the rigs wake on each snapshot and server state).
export interface Waiters {
  wake(): void;
  wait(test: () => boolean): Promise<void>;
}

export function createWaiters(): Waiters {
  const waiting = new Set<() => void>();
  return {
    wake() {
      for (const w of [...waiting]) w();
    },
    wait: (test) =>
      new Promise((resolve) => {
        if (test()) return resolve();
        const w = (): void => {
          if (!test()) return;
          waiting.delete(w);
          resolve();
        };
        waiting.add(w);
      }),
  };
}
