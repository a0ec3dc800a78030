// The local per-key history of status changes the companion observed (the key's
// transition history, as HES keeps one per vault). One JSON file, rewritten
// atomically (temp file, fsync, rename) after each change, writes serialised; temp
// files left by killed processes are removed at open (stale-temp-files.ts).
// It holds statuses, reasons, times and serial numbers only: never a code or a PIN.
import { open, readFile, rename } from 'node:fs/promises';
import { CompanionError } from '../../shared/errors/companion-error';
import type { HistoryEntry } from '../../shared/ipc/snapshot';
import { isVaultStatus, isVaultStatusReason } from '../../shared/vault/vault-status';
import { removeStaleTempFiles, tempFileOf } from './stale-temp-files';

/** Entries kept per key (oldest dropped first). */
export const MAX_ENTRIES_PER_KEY = 200;

export interface ForgottenPairing {
  readonly time: string;
  /** The HideezErrorCode that ended the key for this user (1014, 614, 611, 607). */
  readonly code: number;
}

/**
 * An activation the key is waiting for (locked by code, attempts left), as the workstation
 * first saw it: its DevicePendingUnlock event is recorded once, however often the key's check
 * runs again (replug, server back, restart). The lowest attempt count seen tells a new lock
 * (the server's fresh code resets the count) from the same one.
 */
export interface PendingActivation {
  readonly since: string;
  readonly attemptsRemain: number;
}

interface HistoryFile {
  readonly version: 1;
  readonly keys: Record<string, HistoryEntry[]>;
  readonly forgotten: Record<string, ForgottenPairing>;
  readonly pendingActivations: Record<string, PendingActivation>;
}

export class KeyHistoryError extends CompanionError<'HISTORY_WRITE_FAILED'> {
  override readonly name = 'KeyHistoryError';
}

export interface KeyHistory {
  /** Newest first. */
  entries(serialNo: string): readonly HistoryEntry[];
  /** Appends when `to` differs from the last status recorded for the key; true if appended. */
  record(serialNo: string, entry: HistoryEntry): boolean;
  /** The last status recorded for the key. */
  lastStatus(serialNo: string): HistoryEntry['to'] | null;
  forget(serialNo: string, pairing: ForgottenPairing): void;
  forgotten(serialNo: string): ForgottenPairing | undefined;
  pendingActivation(serialNo: string): PendingActivation | undefined;
  /** Remembers the activation the key waits for; undefined: it waits for none. */
  setPendingActivation(serialNo: string, pending: PendingActivation | undefined): void;
  /** Drops everything recorded for the key (the user removed it from this computer). */
  remove(serialNo: string): void;
  /** Resolves once every change so far is on disk. */
  flush(): Promise<void>;
}

const isEntry = (value: unknown): value is HistoryEntry => {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e['time'] === 'string' &&
    (e['from'] === null || isVaultStatus(e['from'])) &&
    isVaultStatus(e['to']) &&
    (e['reason'] === null || isVaultStatusReason(e['reason'])) &&
    (e['source'] === 'server' || e['source'] === 'key')
  );
};

/** Reads what it can: a missing or damaged file starts an empty history (it is informational). */
function parse(text: string | undefined): HistoryFile {
  const empty: HistoryFile = { version: 1, keys: {}, forgotten: {}, pendingActivations: {} };
  if (text === undefined) return empty;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return empty;
  }
  if (typeof value !== 'object' || value === null) return empty;
  const raw = value as { keys?: unknown; forgotten?: unknown; pendingActivations?: unknown };
  const keys: Record<string, HistoryEntry[]> = {};
  if (typeof raw.keys === 'object' && raw.keys !== null) {
    for (const [serial, list] of Object.entries(raw.keys)) {
      if (Array.isArray(list)) keys[serial] = list.filter(isEntry).slice(-MAX_ENTRIES_PER_KEY);
    }
  }
  const forgotten: Record<string, ForgottenPairing> = {};
  if (typeof raw.forgotten === 'object' && raw.forgotten !== null) {
    for (const [serial, f] of Object.entries(raw.forgotten as Record<string, unknown>)) {
      const p = f as { time?: unknown; code?: unknown } | null;
      if (p && typeof p.time === 'string' && typeof p.code === 'number') {
        forgotten[serial] = { time: p.time, code: p.code };
      }
    }
  }
  const pendingActivations: Record<string, PendingActivation> = {};
  if (typeof raw.pendingActivations === 'object' && raw.pendingActivations !== null) {
    for (const [serial, v] of Object.entries(raw.pendingActivations as Record<string, unknown>)) {
      const p = v as { since?: unknown; attemptsRemain?: unknown } | null;
      if (p && typeof p.since === 'string' && typeof p.attemptsRemain === 'number') {
        pendingActivations[serial] = { since: p.since, attemptsRemain: p.attemptsRemain };
      }
    }
  }
  return { version: 1, keys, forgotten, pendingActivations };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = tempFileOf(file, process.pid);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

export async function openKeyHistory(
  file: string,
  onError: (error: KeyHistoryError) => void = () => undefined,
): Promise<KeyHistory> {
  // A writer killed before its rename left its temp file: drop those of dead processes.
  await removeStaleTempFiles(file);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = undefined;
  }
  const data = parse(text);
  let writing: Promise<void> = Promise.resolve();
  let saveQueued = false;
  // One write for all the changes of a turn of the event loop, made after it: the text
  // (the whole file) and the file's opening stay off the step that made the change (a
  // wrong code's count is shown first). flush() waits for it like any other write.
  const save = (): void => {
    if (saveQueued) return;
    saveQueued = true;
    writing = writing
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        saveQueued = false;
        return writeAtomically(file, JSON.stringify(data, null, 2));
      })
      .catch((e: unknown) => {
        onError(
          new KeyHistoryError(
            'HISTORY_WRITE_FAILED',
            `could not write the key history (${e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'error'})`,
          ),
        );
      });
  };
  return {
    entries: (serialNo) => [...(data.keys[serialNo] ?? [])].reverse(),
    lastStatus: (serialNo) => data.keys[serialNo]?.at(-1)?.to ?? null,
    record(serialNo, entry) {
      const list = (data.keys[serialNo] ??= []);
      if (list.at(-1)?.to === entry.to) return false;
      list.push({ ...entry });
      if (list.length > MAX_ENTRIES_PER_KEY) list.splice(0, list.length - MAX_ENTRIES_PER_KEY);
      save();
      return true;
    },
    forget(serialNo, pairing) {
      data.forgotten[serialNo] = { ...pairing };
      save();
    },
    forgotten: (serialNo) => data.forgotten[serialNo],
    pendingActivation: (serialNo) => data.pendingActivations[serialNo],
    setPendingActivation(serialNo, pending) {
      const before = data.pendingActivations[serialNo];
      if (pending === undefined) {
        if (before === undefined) return;
        delete data.pendingActivations[serialNo];
      } else {
        if (before?.since === pending.since && before.attemptsRemain === pending.attemptsRemain)
          return;
        data.pendingActivations[serialNo] = { ...pending };
      }
      save();
    },
    remove(serialNo) {
      if (
        !Object.hasOwn(data.keys, serialNo) &&
        !Object.hasOwn(data.forgotten, serialNo) &&
        !Object.hasOwn(data.pendingActivations, serialNo)
      )
        return;
      delete data.keys[serialNo];
      delete data.forgotten[serialNo];
      delete data.pendingActivations[serialNo];
      save();
    },
    flush: () => writing,
  };
}
