// Which prompt dialog is open, if any: the first key (in the snapshot's order) that
// asks for input, or that is checking what was just typed (then the dialog stays
// open on the key's last prompt, showing "Verifying…").
import type { AppSnapshot, KeySnapshot, Prompt } from '../../shared/ipc/snapshot';

export interface PromptTarget {
  readonly key: KeySnapshot;
  readonly prompt: Prompt;
  /** The key is checking the last input: the dialog waits. */
  readonly verifying: boolean;
}

export function promptTarget(
  snapshot: AppSnapshot | undefined,
  lastPrompts: Readonly<Record<string, Prompt>>,
): PromptTarget | undefined {
  for (const key of snapshot?.keys ?? []) {
    if (key.prompt) return { key, prompt: key.prompt, verifying: false };
    const last = lastPrompts[key.serialNo];
    if (last === undefined) continue;
    if (key.step === 'verifyingCode' && last.kind === 'activationCode') {
      return { key, prompt: last, verifying: true };
    }
    if (key.step === 'verifyingPin' && (last.kind === 'pin' || last.kind === 'newPin')) {
      return { key, prompt: last, verifying: true };
    }
  }
  return undefined;
}
