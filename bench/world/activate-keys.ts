// Switches keys on together with a robot typist: each key is reserved, and its
// activation code is submitted the moment its prompt appears. Resolves with the time
// each key showed its prompt and reached Online (nowMs()).
import { nowMs } from '../clock';
import type { CompanionProcess } from '../companion/companion-process';
import type { BenchKey, KeyWorld } from './key-world';

export interface Activation {
  readonly startAt: number;
  readonly promptAt: ReadonlyMap<string, number>;
  readonly onlineAt: ReadonlyMap<string, number>;
}

export async function activateTogether(
  world: KeyWorld,
  companion: CompanionProcess,
  keys: readonly BenchKey[],
  timeoutMs = 120_000,
): Promise<Activation> {
  const codes = new Map(keys.map((k) => [k.serialNo, world.reserve(k.serialNo)]));
  const promptAt = new Map<string, number>();
  const onlineAt = new Map<string, number>();
  const startAt = nowMs();
  const submitted = new Set<string>();
  const off = companion.onKey(({ key, at }) => {
    const code = codes.get(key.serialNo);
    if (code === undefined || at < startAt) return;
    if (key.promptKind === 'activationCode' && !submitted.has(key.serialNo)) {
      submitted.add(key.serialNo);
      promptAt.set(key.serialNo, at);
      void companion.submitCode(key.serialNo, code);
    }
    if (key.step === 'online' && !onlineAt.has(key.serialNo)) onlineAt.set(key.serialNo, at);
  });
  try {
    await Promise.all(keys.map((k) => world.switchOn(k)));
    await Promise.all(
      keys.map((k) => companion.until(k.serialNo, (s) => s.step === 'online', startAt, timeoutMs)),
    );
    return { startAt, promptAt, onlineAt };
  } finally {
    off();
  }
}
