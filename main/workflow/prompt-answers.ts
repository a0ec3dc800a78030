// The user's answers to a flow's prompt (activation code, new PIN, PIN), checked before the
// key sees them: a length error costs no attempt and updates the prompt; a valid answer goes
// to the waiting flow and the command resolves once the flow has handled it. The values are
// handed over and not kept.
import type { CommandResult } from '../../shared/ipc/contract';
import {
  checkActivationCode,
  checkPin,
  INPUT_ERROR_MESSAGES,
  pinLengthResult,
} from '../../shared/ipc/input-rules';
import type { Prompt } from '../../shared/ipc/snapshot';
import { fail, failWith, OK } from './command-result';
import type { KeyEntry } from './key-entry';
import { WorkflowErrorCode } from './workflow-error';

export interface PromptHost {
  entry(serialNo: string): KeyEntry | undefined;
  /** Shows the prompt again with what was wrong with the last answer. */
  updatePrompt(e: KeyEntry, prompt: Prompt): void;
  /** Resolves once the UI has been sent what the flow's handling changed. */
  published(): Promise<void>;
}

/** The key's open prompt of this kind, or the refusal to answer. */
function promptOf(
  host: PromptHost,
  serialNo: string,
  kind: Prompt['kind'],
): KeyEntry | CommandResult {
  const e = host.entry(serialNo);
  if (!e) return failWith(WorkflowErrorCode.UnknownKey);
  if (e.prompts.kind !== kind || e.prompt?.kind !== kind)
    return failWith(WorkflowErrorCode.NoPrompt);
  return e;
}

const isResult = (v: KeyEntry | CommandResult): v is CommandResult => 'ok' in v;

async function hand(
  host: PromptHost,
  e: KeyEntry,
  kind: Prompt['kind'],
  values: readonly string[],
): Promise<CommandResult> {
  const handled = e.prompts.answer(kind, values);
  if (handled === false) return failWith(WorkflowErrorCode.NoPrompt);
  await handled;
  // The flow's new step (the next prompt, the attempts left) reaches the UI before this reply.
  await host.published();
  return OK;
}

export async function answerActivationCode(
  host: PromptHost,
  serialNo: string,
  code: string,
): Promise<CommandResult> {
  const e = promptOf(host, serialNo, 'activationCode');
  if (isResult(e)) return e;
  const check = checkActivationCode(code);
  if (!check.ok) {
    // Length errors never reach the key: no attempt is spent.
    const prompt = e.prompt;
    if (prompt?.kind === 'activationCode' && check.code !== 'INPUT_CODE_NOT_DIGITS') {
      host.updatePrompt(e, {
        ...prompt,
        lastResult: check.code === 'INPUT_CODE_TOO_SHORT' ? 'tooShort' : 'tooLong',
      });
    }
    return fail(check.code, INPUT_ERROR_MESSAGES[check.code]);
  }
  return hand(host, e, 'activationCode', [code]);
}

export async function answerNewPin(
  host: PromptHost,
  serialNo: string,
  pin: string,
  confirm: string,
): Promise<CommandResult> {
  const e = promptOf(host, serialNo, 'newPin');
  if (isResult(e)) return e;
  const prompt = e.prompt;
  if (prompt?.kind !== 'newPin') return failWith(WorkflowErrorCode.NoPrompt);
  const check = checkPin(pin);
  if (!check.ok) return fail(check.code, INPUT_ERROR_MESSAGES[check.code]);
  const length = pinLengthResult(pin, prompt.minLength, prompt.maxLength);
  if (length !== 'ok') {
    host.updatePrompt(e, { ...prompt, lastResult: length });
    return failWith(
      length === 'tooShort' ? WorkflowErrorCode.PinTooShort : WorkflowErrorCode.PinTooLong,
    );
  }
  if (pin !== confirm) {
    host.updatePrompt(e, { ...prompt, lastResult: 'mismatch' });
    return failWith(WorkflowErrorCode.PinMismatch);
  }
  return hand(host, e, 'newPin', [pin]);
}

export async function answerPin(
  host: PromptHost,
  serialNo: string,
  pin: string,
): Promise<CommandResult> {
  const e = promptOf(host, serialNo, 'pin');
  if (isResult(e)) return e;
  const check = checkPin(pin);
  if (!check.ok) return fail(check.code, INPUT_ERROR_MESSAGES[check.code]);
  return hand(host, e, 'pin', [pin]);
}
