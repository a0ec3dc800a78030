// What the companion knows of every key, in one place: the key entries, their local
// status history and audit events, and what the UI sees of them (snapshots, notices).
// The flows (flow-host-of.ts) and the commands write here; everything that changes a
// key's picture goes through a method that records and publishes it, so the UI, the
// history and the audit trail never disagree.
import type { DeviceManager } from '../../device/manager/device-manager';
import type { LinkAvailability } from '../../device/transport/transport';
import { HesErrorCode } from '../../shared/errors/hes-error-code';
import {
  WorkstationEventSeverity,
  type HwVaultInfoFromHesDto,
  type WorkstationEventType,
} from '../../shared/hes/dto';
import type { Notice } from '../../shared/ipc/contract';
import type { AppSnapshot, HistoryEntry, KeySnapshot } from '../../shared/ipc/snapshot';
import type { KeyInfo } from '../../shared/key/key-info';
import {
  VaultStatus,
  VaultStatusReason,
  type VaultStatusReason as Reason,
} from '../../shared/vault/vault-status';
import type { AuditQueue } from '../audit/audit-queue';
import type { HesClient } from '../hes/hes-client';
import type { HesError } from '../hes/hes-error';
import { openKeyHistory, type KeyHistory } from '../history/key-history';
import { learnPin, lockPicture, newKeyEntry, type KeyEntry } from './key-entry';
import { noticesFor } from './key-notices';
import type { KeyView } from '../../shared/view/key-view';
import { keySnapshotOf, keyViewOf, serverStatusOf } from './key-snapshot';
import { settlePendingActivation } from './pending-activation';

/** HideezErrorCodes after which the key is gone for this user: forget its pairing (§1.7). */
export const GONE_CODES: ReadonlySet<number> = new Set([
  HesErrorCode.DeviceHasBeenWiped,
  HesErrorCode.HesDeviceCompromised,
  HesErrorCode.HesDeviceNotAssignedToAnyUser,
  HesErrorCode.HesDeviceNotFound,
]);
/** Codes that mean "no server right now": the flow goes on locally. */
const OFFLINE_CODES: ReadonlySet<number> = new Set([
  HesErrorCode.HesNotConnected,
  HesErrorCode.HesAppHubDisconnected,
  HesErrorCode.HesDeviceHubDisconnected,
]);

export interface KeyBookOptions {
  readonly devices: DeviceManager;
  readonly hes: HesClient;
  readonly audit?: AuditQueue | undefined;
  readonly historyFile: string;
  readonly now: () => Date;
}

export class KeyBook {
  readonly entries = new Map<string, KeyEntry>();
  /** Resolves once the history file is open (flows wait for it before their first step). */
  readonly historyReady: Promise<void>;
  #history: KeyHistory | undefined;
  readonly #snapshotListeners = new Set<(s: AppSnapshot) => void>();
  readonly #noticeListeners = new Set<(n: Notice) => void>();
  #auditWrites: Promise<void> = Promise.resolve();
  #publishQueued = false;

  constructor(private readonly options: KeyBookOptions) {
    this.historyReady = openKeyHistory(options.historyFile).then((h) => {
      this.#history = h;
    });
  }

  get history(): KeyHistory | undefined {
    return this.#history;
  }

  entryOf(serialNo: string): KeyEntry {
    let e = this.entries.get(serialNo);
    if (!e) {
      e = newKeyEntry(serialNo);
      this.entries.set(serialNo, e);
    }
    return e;
  }

  // ---- what the UI sees ----
  onSnapshot(listener: (s: AppSnapshot) => void): () => void {
    this.#snapshotListeners.add(listener);
    return () => this.#snapshotListeners.delete(listener);
  }

  onNotice(listener: (n: Notice) => void): () => void {
    this.#noticeListeners.add(listener);
    return () => this.#noticeListeners.delete(listener);
  }

  lastKnownStatus(e: KeyEntry): VaultStatus | undefined {
    return this.#history?.lastStatus(e.serialNo) ?? undefined;
  }

  /** `views`: the keys' views when the caller has just derived them (publishing). */
  snapshot(views?: ReadonlyMap<KeyEntry, KeyView>): AppSnapshot {
    const { hes } = this.options;
    const ble = this.#linkState('ble');
    const url = hes.serverUrl;
    return {
      server: { connection: hes.state, ...(url !== undefined ? { url } : {}) },
      links: {
        usb: this.#linkState('usb')?.state ?? 'unknown',
        ble: ble?.state ?? 'unknown',
        ...(ble && 'detail' in ble && typeof ble.detail === 'string'
          ? { bleDetail: ble.detail }
          : {}),
      },
      keys: [...this.entries.values()].map((e) => this.#keySnapshot(e, views?.get(e))),
    };
  }

  /**
   * Tells the UI, once for all the changes made in the same turn: a flow step that changes
   * several things (its read, its step, its prompt, over several awaits) costs one snapshot,
   * built after the key request or server call the step makes has gone out. A tick, not a
   * microtask: Node runs the ticks queued while promise callbacks run once those callbacks
   * are all done, so the snapshot waits for the flow's chain of awaits to reach its next
   * real wait (a microtask would run between two of its awaits, before its request is sent),
   * and still comes before the loop turns to new I/O.
   */
  publish(): void {
    if (this.#publishQueued) return;
    this.#publishQueued = true;
    process.nextTick(() => {
      this.#publishQueued = false;
      this.#publishNow();
    });
  }

  /**
   * Resolves once the snapshot of the changes made so far has gone out (at once when none
   * is queued): ticks run in the order they were queued, so this one runs after the
   * publish's. A command answers after it, so the UI sees what its answer did (a new
   * prompt, the attempts left) before the reply itself travels.
   */
  published(): Promise<void> {
    if (!this.#publishQueued) return Promise.resolve();
    return new Promise((resolve) => process.nextTick(resolve));
  }

  #publishNow(): void {
    const views = new Map<KeyEntry, KeyView>();
    for (const e of this.entries.values()) {
      const view = keyViewOf(e, this.options.hes.state, this.lastKnownStatus(e));
      views.set(e, view);
      for (const notice of noticesFor(e, view)) {
        for (const l of [...this.#noticeListeners]) safely(() => l(notice));
      }
    }
    if (this.#snapshotListeners.size === 0) return;
    const s = this.snapshot(views);
    for (const l of [...this.#snapshotListeners]) safely(() => l(s));
  }

  // ---- history & audit ----
  observe(e: KeyEntry, to: VaultStatus, reason: Reason | null, source: 'server' | 'key'): void {
    const history = this.#history;
    if (!history) return;
    const entry: HistoryEntry = {
      time: this.options.now().toISOString(),
      from: history.lastStatus(e.serialNo),
      to,
      reason,
      source,
    };
    history.record(e.serialNo, entry);
  }

  /**
   * An audit event, timed now and written a moment later: its write is a committed SQLite
   * transaction (an fsync with the default power-loss safety), which would otherwise hold up
   * the flow's next step (the server call or key request it makes in the same turn). Written
   * in order; `auditWritten()` says when all are on disk.
   */
  record(
    eventId: WorkstationEventType,
    e: KeyEntry,
    severity: WorkstationEventSeverity = WorkstationEventSeverity.Info,
  ): void {
    const { audit, now } = this.options;
    if (!audit) return;
    const event = { eventId, severityId: severity, deviceId: e.serialNo, date: now() };
    this.#auditWrites = this.#auditWrites.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            try {
              audit.record(event);
            } catch {
              // The audit trail must not stop the key's flow.
            }
            resolve();
          }),
        ),
    );
  }

  /** Resolves once every audit event recorded so far is on disk (shutdown, tests). */
  auditWritten(): Promise<void> {
    return this.#auditWrites;
  }

  // ---- the key's word ----
  /** The key as it just read: its lock picture, the status the last answer proves, its locks. */
  keyRead(e: KeyEntry, info: KeyInfo): void {
    e.pinLearned = learnPin(e.info, info) ?? e.pinLearned;
    this.#take(e, info);
    if (e.answerAwaitsKey && e.answer.kind === 'ok') {
      e.answer = { kind: 'ok', needStateUpdate: false };
      e.answerKey = info;
      e.answerAwaitsKey = false;
    }
    this.#observeServerStatus(e);
    this.#settleActivation(e, info);
    if (info.lockedByCode && !info.canUnlock)
      this.observe(e, VaultStatus.Locked, VaultStatusReason.InvalidActivationCode, 'key');
    if (info.lockedByPin)
      this.observe(e, VaultStatus.Locked, VaultStatusReason.LockedByInvalidPin, 'key');
    this.publish();
  }

  /** What the key's answer to a code said, without a read (its OK, or the attempts left). */
  keyTold(e: KeyEntry, info: KeyInfo): void {
    this.#take(e, info);
    this.#settleActivation(e, info);
  }

  #take(e: KeyEntry, info: KeyInfo): void {
    e.info = info;
    e.lockPicture = lockPicture(info);
  }

  #settleActivation(e: KeyEntry, info: KeyInfo): void {
    if (this.#history) settlePendingActivation(this.#history, e.serialNo, info);
  }

  // ---- the server's word ----
  setAnswer(e: KeyEntry, dto: HwVaultInfoFromHesDto, fromUpdate = false): void {
    e.answer = { kind: 'ok', needStateUpdate: dto.needStateUpdate };
    e.owner = { name: dto.ownerName, email: dto.ownerEmail };
    e.lastSync = this.options.now().toISOString();
    // HES builds the status update's answer from the report sent before the update ran, so
    // its NeedStateUpdate still describes the old key state: the update has settled the
    // status, and the key's next report says which one it settled on.
    e.answerAwaitsKey = fromUpdate;
    // A report's answer is about the key as just reported.
    e.answerKey = fromUpdate ? undefined : e.info;
    if (!fromUpdate) this.#observeServerStatus(e);
    e.reportPending = false;
    this.publish();
  }

  setError(e: KeyEntry, error: HesError): 'gone' | 'offline' | 'refused' {
    if (OFFLINE_CODES.has(error.code)) return 'offline';
    e.answer = { kind: 'error', code: error.code };
    if (error.code === HesErrorCode.HesDeviceLocked)
      this.observe(e, VaultStatus.Locked, null, 'server');
    if (GONE_CODES.has(error.code)) {
      this.#forget(e, error.code);
      this.publish();
      return 'gone';
    }
    this.publish();
    return 'refused';
  }

  /** Flushes the history file (tests, shutdown). */
  async flush(): Promise<void> {
    await this.#history?.flush();
  }

  #forget(e: KeyEntry, code: number): void {
    this.#history?.forget(e.serialNo, { time: this.options.now().toISOString(), code });
    if (code === HesErrorCode.DeviceHasBeenWiped)
      this.observe(e, VaultStatus.Ready, null, 'server');
    if (code === HesErrorCode.HesDeviceCompromised)
      this.observe(e, VaultStatus.Compromised, null, 'server');
  }

  /** Records the status HES now holds, when its answer and a current key report prove it. */
  #observeServerStatus(e: KeyEntry): void {
    const known = this.lastKnownStatus(e);
    const status = serverStatusOf(e, known);
    if (status !== undefined && status !== known) this.observe(e, status, null, 'server');
  }

  #keySnapshot(e: KeyEntry, view: KeyView | undefined): KeySnapshot {
    return keySnapshotOf(e, {
      connection: this.options.hes.state,
      lastKnownStatus: this.lastKnownStatus(e),
      history: this.#history?.entries(e.serialNo) ?? [],
      ...(view ? { view } : {}),
    });
  }

  #linkState(kind: 'usb' | 'ble'): LinkAvailability | undefined {
    return this.options.devices.availability().find((a) => a.link === kind);
  }
}

function safely(run: () => void): void {
  try {
    run();
  } catch {
    // A listener's bug is the listener's.
  }
}
