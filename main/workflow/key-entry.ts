// What the workflow service keeps for one key: its record from the device manager, its
// info, the server's last answer, the flow and its prompt, and what it learnt along the way.
// Plain state with the small rules that read it (the PIN it holds, its lock picture).
import type { KeyRecord } from '../../device/manager/key-record';
import type { FlowStep, Prompt } from '../../shared/ipc/snapshot';
import type { KeyInfo } from '../../shared/key/key-info';
import type { KeyView } from '../../shared/view/key-view';
import type { ServerAnswer } from '../../shared/view/server-state';
import { PromptBox } from './prompt-box';

export interface KeyEntry {
  readonly serialNo: string;
  record: KeyRecord | undefined;
  info: KeyInfo | undefined;
  answer: ServerAnswer;
  step: FlowStep;
  prompt: Prompt | undefined;
  readonly prompts: PromptBox;
  error: { code: string | number; message: string } | undefined;
  owner: { name: string | null; email: string | null } | undefined;
  lastSync: string | undefined;
  flow: { controller: AbortController; done: Promise<void> } | undefined;
  /** A status change is waiting for the server (offline activation, lock). */
  reportPending: boolean;
  connected: boolean;
  lastViewKind: KeyView['kind'] | undefined;
  /** The lock picture the last flow saw, to tell a real AccessChanged from our own. */
  lockPicture: string | undefined;
  /** Whether the low-battery notice was given for the current low spell. */
  lowBatteryNoticed: boolean;
  /** The answer came from a status update: the key's next report tells what it settled. */
  answerAwaitsKey: boolean;
  /** The key's state the server's last Ok answer was about. */
  answerKey: KeyInfo | undefined;
  /** Whether the key holds a PIN, learned where its report does not say (pinStateOf). */
  pinLearned: boolean | undefined;
}

/** A key just seen: nothing read, nothing asked. */
export function newKeyEntry(serialNo: string): KeyEntry {
  return {
    serialNo,
    record: undefined,
    info: undefined,
    answer: { kind: 'none' },
    step: 'connecting',
    prompt: undefined,
    prompts: new PromptBox(),
    error: undefined,
    owner: undefined,
    lastSync: undefined,
    flow: undefined,
    reportPending: false,
    connected: false,
    lastViewKind: undefined,
    lockPicture: undefined,
    lowBatteryNoticed: false,
    answerAwaitsKey: false,
    answerKey: undefined,
    pinLearned: undefined,
  };
}

/** What the companion knows of the key's PIN: its own report first, else what it learned. */
export const pinStateOf = (e: KeyEntry): 'set' | 'notSet' | undefined => {
  const known = e.info?.pinSet ?? e.pinLearned;
  return known === undefined ? undefined : known ? 'set' : 'notSet';
};

export const pinField = (e: KeyEntry): { pin?: 'set' | 'notSet' } => {
  const pin = pinStateOf(e);
  return pin === undefined ? {} : { pin };
};

/** What a report teaches about the PIN of a key that does not report it. */
export function learnPin(before: KeyInfo | undefined, info: KeyInfo): boolean | undefined {
  if (info.access.newPinRequired) return false;
  if (info.access.pinRequired || info.lockedByPin) return true;
  // The key asked for a new PIN and no longer does: it was set.
  if (before?.access.newPinRequired && !info.lockedByCode) return true;
  return undefined;
}

export const lockPicture = (i: KeyInfo): string =>
  `${i.lockedByCode}/${i.lockedByPin}/${i.access.locked}/${i.canUnlock}/${i.access.newPinRequired}/${i.access.pinRequired}`;
