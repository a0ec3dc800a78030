// The companion's workflow service (plain Node): runs one connection flow per key the
// device manager reports (key-flow.ts), in parallel and cancellable, keeps a snapshot
// of every key for the UI, emits notices, records audit events and the local status
// history, and takes the user's codes and PINs from the IPC commands. Codes and PINs
// go to the key and are forgotten: they are never in a snapshot, notice, error or file.
import type { KeyEvent } from '../../device/key/key-events';
import { KeyOp } from '../../device/key/key-operations';
import type { DeviceManager } from '../../device/manager/device-manager';
import type { KeyRecord } from '../../device/manager/key-record';
import type { LinkAvailability } from '../../device/transport/transport';
import { HesErrorCode } from '../../shared/errors/hes-error-code';
import {
  HwVaultConnectionState,
  WorkstationEventType,
  WorkstationEventSeverity,
  type HwVaultInfoFromHesDto,
} from '../../shared/hes/dto';
import type { CommandResult, Notice } from '../../shared/ipc/contract';
import { checkServerUrl, INPUT_ERROR_MESSAGES } from '../../shared/ipc/input-rules';
import type { AppSnapshot, HistoryEntry, KeySnapshot } from '../../shared/ipc/snapshot';
import { afterCodeAccepted, type KeyInfo } from '../../shared/key/key-info';
import type { KeyView } from '../../shared/view/key-view';
import {
  VaultStatus,
  VaultStatusReason,
  type VaultStatusReason as Reason,
} from '../../shared/vault/vault-status';
import type { AuditQueue } from '../audit/audit-queue';
import type { HesClient } from '../hes/hes-client';
import type { HesError } from '../hes/hes-error';
import { openKeyHistory, type KeyHistory } from '../history/key-history';
import {
  KEY_TIMEOUT_MS,
  runKeyFlow,
  SERVER_FIRST_WORD_MS,
  ServerBack,
  type FlowHost,
} from './key-flow';
import { isNewPendingActivation, settlePendingActivation } from './pending-activation';
import { changePin, setPin, type PinCommandHost } from './pin-commands';
import { learnPin, lockPicture, newKeyEntry, type KeyEntry } from './key-entry';
import { addressFailure, fail, failWith, OK } from './command-result';
import { flowServer } from './flow-server';
import { noticesFor } from './key-notices';
import { answerActivationCode, answerNewPin, answerPin, type PromptHost } from './prompt-answers';
import { keySnapshotOf, keyViewOf, serverStatusOf } from './key-snapshot';
import { WorkflowError, WorkflowErrorCode, workflowError } from './workflow-error';

export interface CompanionService {
  snapshot(): AppSnapshot;
  onSnapshot(listener: (s: AppSnapshot) => void): () => void;
  onNotice(listener: (n: Notice) => void): () => void;
  submitActivationCode(serialNo: string, code: string): Promise<CommandResult>;
  submitNewPin(serialNo: string, pin: string, confirm: string): Promise<CommandResult>;
  submitPin(serialNo: string, pin: string): Promise<CommandResult>;
  changePin(
    serialNo: string,
    oldPin: string,
    newPin: string,
    confirm: string,
  ): Promise<CommandResult>;
  /** The first PIN of an online key that has none (pin-commands.ts). */
  setPin(serialNo: string, pin: string, confirm: string): Promise<CommandResult>;
  cancelPrompt(serialNo: string): Promise<CommandResult>;
  /** Runs a stopped flow again (and asks the server client to reconnect now). */
  retryKey(serialNo: string): Promise<CommandResult>;
  /** Drops a disconnected key's card and its local history. */
  forgetKey(serialNo: string): Promise<CommandResult>;
  setServerUrl(url: string | null): Promise<CommandResult>;
  checkServer(url: string): Promise<CommandResult>;
  stop(): Promise<void>;
  /** Resolves once the history file is written (tests, shutdown). */
  ready(): Promise<void>;
}

export interface CompanionServiceOptions {
  readonly devices: DeviceManager;
  readonly hes: HesClient;
  readonly audit?: AuditQueue;
  readonly historyFile: string;
  readonly now?: () => Date;
  /** How long a key's first check waits for a server connection being made (default 10 s). */
  readonly serverFirstWordMs?: number;
}

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

export function createCompanionService(options: CompanionServiceOptions): CompanionService {
  const { devices, hes, audit } = options;
  const now = options.now ?? (() => new Date());
  const entries = new Map<string, KeyEntry>();
  const snapshotListeners = new Set<(s: AppSnapshot) => void>();
  const noticeListeners = new Set<(n: Notice) => void>();
  const unsubscribe: (() => void)[] = [];
  let history: KeyHistory | undefined;
  let stopped = false;
  /** Counts the server connection coming up: a flow re-checks a key the new one has not heard. */
  let serverEpoch = hes.state.state === 'connected' ? 1 : 0;
  const historyReady = openKeyHistory(options.historyFile).then((h) => {
    history = h;
  });

  // ---- snapshot ----
  const lastKnownStatus = (e: KeyEntry): VaultStatus | undefined =>
    history?.lastStatus(e.serialNo) ?? undefined;
  const viewOf = (e: KeyEntry): KeyView => keyViewOf(e, hes.state, lastKnownStatus(e));
  const keySnapshot = (e: KeyEntry): KeySnapshot =>
    keySnapshotOf(e, {
      connection: hes.state,
      lastKnownStatus: lastKnownStatus(e),
      history: history?.entries(e.serialNo) ?? [],
    });
  const linkState = (kind: 'usb' | 'ble'): LinkAvailability | undefined =>
    devices.availability().find((a) => a.link === kind);
  const snapshot = (): AppSnapshot => {
    const ble = linkState('ble');
    const url = hes.serverUrl;
    return {
      server: { connection: hes.state, ...(url !== undefined ? { url } : {}) },
      links: {
        usb: linkState('usb')?.state ?? 'unknown',
        ble: ble?.state ?? 'unknown',
        ...(ble && 'detail' in ble && typeof ble.detail === 'string'
          ? { bleDetail: ble.detail }
          : {}),
      },
      keys: [...entries.values()].map(keySnapshot),
    };
  };
  const notify = (notice: Notice): void => {
    for (const l of [...noticeListeners]) safely(() => l(notice));
  };
  const publish = (): void => {
    for (const e of entries.values()) for (const n of noticesFor(e, viewOf(e))) notify(n);
    if (snapshotListeners.size === 0) return;
    const s = snapshot();
    for (const l of [...snapshotListeners]) safely(() => l(s));
  };

  // ---- history & audit ----
  const observe = (
    e: KeyEntry,
    to: VaultStatus,
    reason: Reason | null,
    source: 'server' | 'key',
  ): void => {
    if (!history) return;
    const entry: HistoryEntry = {
      time: now().toISOString(),
      from: history.lastStatus(e.serialNo),
      to,
      reason,
      source,
    };
    history.record(e.serialNo, entry);
  };
  const record = (
    eventId: WorkstationEventType,
    e: KeyEntry,
    severity: WorkstationEventSeverity = WorkstationEventSeverity.Info,
  ): void => {
    if (!audit) return;
    try {
      audit.record({ eventId, severityId: severity, deviceId: e.serialNo, date: now() });
    } catch {
      // The audit trail must not stop the key's flow.
    }
  };

  /** Resolves once the server connection is no longer being made, or after the bound. */
  const serverSettled = (signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      if (hes.state.state !== 'connecting' || signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        stop();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, options.serverFirstWordMs ?? SERVER_FIRST_WORD_MS);
      const stop = hes.onState((state) => {
        if (state.state !== 'connecting') done();
      });
      signal.addEventListener('abort', done, { once: true });
    });

  // ---- server answers ----
  /** Records the status HES now holds, when its answer and a current key report prove it. */
  const observeServerStatus = (e: KeyEntry): void => {
    const status = serverStatusOf(e, lastKnownStatus(e));
    if (status !== undefined && status !== lastKnownStatus(e)) observe(e, status, null, 'server');
  };
  const setAnswer = (e: KeyEntry, dto: HwVaultInfoFromHesDto, fromUpdate = false): void => {
    e.answer = { kind: 'ok', needStateUpdate: dto.needStateUpdate };
    e.owner = { name: dto.ownerName, email: dto.ownerEmail };
    e.lastSync = now().toISOString();
    // HES builds the status update's answer from the report sent before the update ran, so
    // its NeedStateUpdate still describes the old key state: the update has settled the
    // status, and the key's next report says which one it settled on.
    e.answerAwaitsKey = fromUpdate;
    // A report's answer is about the key as just reported.
    e.answerKey = fromUpdate ? undefined : e.info;
    if (!fromUpdate) observeServerStatus(e);
    e.reportPending = false;
    publish();
  };
  const forget = (e: KeyEntry, code: number): void => {
    history?.forget(e.serialNo, { time: now().toISOString(), code });
    if (code === HesErrorCode.DeviceHasBeenWiped) observe(e, VaultStatus.Ready, null, 'server');
    if (code === HesErrorCode.HesDeviceCompromised)
      observe(e, VaultStatus.Compromised, null, 'server');
  };
  const setError = (e: KeyEntry, error: HesError): 'gone' | 'offline' | 'refused' => {
    if (OFFLINE_CODES.has(error.code)) return 'offline';
    e.answer = { kind: 'error', code: error.code };
    if (error.code === HesErrorCode.HesDeviceLocked) observe(e, VaultStatus.Locked, null, 'server');
    if (GONE_CODES.has(error.code)) {
      forget(e, error.code);
      publish();
      return 'gone';
    }
    publish();
    return 'refused';
  };

  // ---- flows ----
  const entryOf = (serialNo: string): KeyEntry => {
    let e = entries.get(serialNo);
    if (!e) {
      e = newKeyEntry(serialNo);
      entries.set(serialNo, e);
    }
    return e;
  };

  const server = flowServer(hes);
  /**
   * The flow's view of its key. `opening`: the info the device manager read as it opened the
   * key a moment ago; the flow's first read takes it instead of asking the key again.
   */
  const host = (e: KeyEntry, opening?: KeyInfo): FlowHost => ({
    serialNo: e.serialNo,
    request: (request, signal, timeoutMs = KEY_TIMEOUT_MS) =>
      devices.request(e.serialNo, request, { timeoutMs, signal }),
    async readInfo(signal) {
      const known = opening;
      opening = undefined;
      const response = known
        ? { info: known }
        : await devices.request(
            e.serialNo,
            { op: KeyOp.ReadInfo },
            { timeoutMs: KEY_TIMEOUT_MS, signal, reuseCurrentInfo: true },
          );
      if (!('info' in response)) throw new WorkflowError(WorkflowErrorCode.KeyError);
      e.pinLearned = learnPin(e.info, response.info) ?? e.pinLearned;
      e.info = response.info;
      e.lockPicture = lockPicture(response.info);
      if (e.answerAwaitsKey && e.answer.kind === 'ok') {
        e.answer = { kind: 'ok', needStateUpdate: false };
        e.answerKey = response.info;
        e.answerAwaitsKey = false;
      }
      observeServerStatus(e);
      if (history) settlePendingActivation(history, e.serialNo, response.info);
      if (response.info.lockedByCode && !response.info.canUnlock)
        observe(e, VaultStatus.Locked, VaultStatusReason.InvalidActivationCode, 'key');
      if (response.info.lockedByPin)
        observe(e, VaultStatus.Locked, VaultStatusReason.LockedByInvalidPin, 'key');
      publish();
      return response.info;
    },
    codeAccepted() {
      if (!e.info) throw new WorkflowError(WorkflowErrorCode.KeyError);
      e.info = afterCodeAccepted(e.info);
      e.lockPicture = lockPicture(e.info);
      if (history) settlePendingActivation(history, e.serialNo, e.info);
      publish();
      return e.info;
    },
    codeAttemptsLeft(attemptsRemain) {
      if (!e.info) throw new WorkflowError(WorkflowErrorCode.KeyError);
      e.info = { ...e.info, unlockAttemptsRemain: attemptsRemain };
      if (history) settlePendingActivation(history, e.serialNo, e.info);
      publish();
      return e.info;
    },
    ...server,
    serverSettled: (signal) => serverSettled(signal),
    serverEpoch: () => serverEpoch,
    lastKnownStatus: () => lastKnownStatus(e),
    setStep(step, prompt) {
      e.step = step;
      e.prompt = prompt;
      publish();
    },
    setAnswer: (dto, fromUpdate) => setAnswer(e, dto, fromUpdate),
    setError: (error) => setError(e, error),
    reportLater() {
      e.reportPending = true;
    },
    ask: (kind, signal) => e.prompts.ask(kind, signal),
    lockedByPin() {
      record(WorkstationEventType.DeviceLocked, e, WorkstationEventSeverity.Warning);
    },
    pendingUnlock(info) {
      if (history && isNewPendingActivation(history, e.serialNo, info, now))
        record(WorkstationEventType.DevicePendingUnlock, e);
    },
  });

  const startFlow = (e: KeyEntry, opening?: KeyInfo): void => {
    if (stopped || e.flow || !e.connected) return;
    const controller = new AbortController();
    e.error = undefined;
    const done = (async () => {
      await historyReady;
      const end = await runKeyFlow(host(e, opening), controller.signal);
      e.flow = undefined;
      e.prompt = undefined;
      e.step = end.step;
      e.error = end.step === 'stopped' ? end.error.toJSON() : undefined;
      publish();
    })();
    e.flow = { controller, done };
  };
  const cancelFlow = (e: KeyEntry, reason: WorkflowErrorCode): Promise<void> => {
    const flow = e.flow;
    if (!flow) return Promise.resolve();
    flow.controller.abort(new WorkflowError(reason));
    return flow.done;
  };

  /** Reports the key's current state at once (AccessChanged outside a flow, server back). */
  const resync = (e: KeyEntry): void => {
    if (e.flow || !e.connected) return;
    startFlow(e);
  };

  const connected = (e: KeyEntry): void => {
    if (e.connected) return;
    e.connected = true;
    record(WorkstationEventType.DeviceConnect, e);
    // The manager has just read the key to name it: the flow starts from that reading.
    startFlow(e, e.record?.info);
  };
  const disconnected = (e: KeyEntry): void => {
    if (!e.connected) return;
    e.connected = false;
    record(WorkstationEventType.DeviceDisconnect, e);
    const info = e.info;
    void (async () => {
      await cancelFlow(e, WorkflowErrorCode.Disconnected);
      e.step = 'stopped';
      e.prompt = undefined;
      e.error = workflowError(WorkflowErrorCode.Disconnected);
      publish();
      if (info && hes.state.state === 'connected') {
        await hes
          .updateHwVaultProperties(hes.buildVaultDto(info, HwVaultConnectionState.Offline), false)
          .catch(() => undefined);
      }
      await hes.closeVaultChannel(e.serialNo).catch(() => undefined);
    })();
  };

  const onRecord = (r: KeyRecord): void => {
    const e = entryOf(r.serialNo);
    e.record = r;
    // The manager's reread after an AccessChanged lands here: a change the event's flags
    // did not show (a new code on a key already locked by code) still runs the flow again,
    // so a Locked card updates by itself when the administrator sends a new code.
    if (r.state === 'connected' && e.connected && r.info && lockPicture(r.info) !== e.lockPicture)
      resync(e);
    if (r.state === 'connected') connected(e);
    else disconnected(e);
    publish();
  };
  const onEvent = (serialNo: string, event: KeyEvent): void => {
    const e = entries.get(serialNo);
    if (!e) return;
    if (event.kind === 'longPress' && e.flow) {
      void cancelFlow(e, WorkflowErrorCode.CancelledOnKey);
      return;
    }
    if (event.kind !== 'state') return;
    const { update } = event;
    const lockChanged =
      update.access !== undefined ||
      update.lockedByCode !== undefined ||
      update.lockedByPin !== undefined;
    if (lockChanged && !e.flow && e.connected) {
      const info = devices.key(serialNo)?.info;
      if (info && lockPicture(info) !== e.lockPicture) resync(e);
    }
    if (update.battery !== undefined && e.info && e.info.battery !== update.battery) {
      e.info = { ...e.info, battery: update.battery };
      publish();
    }
  };

  unsubscribe.push(
    devices.on('added', onRecord),
    devices.on('changed', onRecord),
    devices.on('removed', (serialNo) => {
      const e = entries.get(serialNo);
      if (e) {
        e.record = undefined;
        disconnected(e);
        // A key seen but never read (a Key 3 known by its address until it names itself)
        // leaves no card behind: there is nothing of it to show.
        if (e.info === undefined && e.answer.kind === 'none') entries.delete(serialNo);
      }
      publish();
    }),
    devices.on('event', onEvent),
    devices.on('availability', () => publish()),
    hes.onState((state) => {
      if (state.state === 'notApproved' || state.state === 'alarm') {
        for (const e of entries.values()) {
          void cancelFlow(
            e,
            state.state === 'alarm' ? WorkflowErrorCode.Alarm : WorkflowErrorCode.NotApproved,
          );
        }
      }
      if (state.state === 'connected') {
        serverEpoch += 1;
        // Back online: report what changed meanwhile (and every key's Initializing). A flow
        // waiting on the user with its report pending hears the server first (key-flow.ts).
        for (const e of entries.values()) {
          if (e.connected && !e.flow) resync(e);
          else if (e.flow && e.reportPending) e.prompts.interrupt(new ServerBack());
        }
      } else {
        for (const e of entries.values()) if (e.answer.kind !== 'none') e.reportPending = true;
      }
      publish();
    }),
  );
  for (const r of devices.keys()) onRecord(r);

  // ---- commands ----
  const promptHost: PromptHost = {
    entry: (serialNo) => entries.get(serialNo),
    updatePrompt(e, prompt) {
      e.prompt = prompt;
      publish();
    },
  };

  const pinHost: PinCommandHost = {
    key(serialNo) {
      const e = entries.get(serialNo);
      return e && { connected: e.connected, busy: e.flow !== undefined, info: e.info };
    },
    request: (serialNo, operation) =>
      devices.request(serialNo, operation, { timeoutMs: KEY_TIMEOUT_MS }),
    learnedPin(serialNo, pinSet) {
      const e = entries.get(serialNo);
      if (!e) return;
      e.pinLearned = pinSet;
      if (e.info && e.info.pinSet !== undefined) e.info = { ...e.info, pinSet };
      publish();
    },
    lockedByPin(serialNo) {
      // The key's own AccessChanged may come first; either way one check reports the lock.
      const e = entries.get(serialNo);
      if (e) resync(e);
    },
  };

  return {
    snapshot,
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    submitActivationCode: (serialNo, code) => answerActivationCode(promptHost, serialNo, code),
    submitNewPin: (serialNo, pin, confirm) => answerNewPin(promptHost, serialNo, pin, confirm),
    submitPin: (serialNo, pin) => answerPin(promptHost, serialNo, pin),
    changePin: (serialNo, oldPin, newPin, confirm) =>
      changePin(pinHost, serialNo, oldPin, newPin, confirm),
    setPin: (serialNo, pin, confirm) => setPin(pinHost, serialNo, pin, confirm),
    async cancelPrompt(serialNo) {
      const e = entries.get(serialNo);
      if (!e) return failWith(WorkflowErrorCode.UnknownKey);
      if (!e.flow) return failWith(WorkflowErrorCode.NoPrompt);
      await cancelFlow(e, WorkflowErrorCode.CancelledByUser);
      return OK;
    },
    retryKey(serialNo) {
      const e = entries.get(serialNo);
      if (!e) return Promise.resolve(failWith(WorkflowErrorCode.UnknownKey));
      // The server may be the reason the flow stopped: try it now, not at the end of the back-off.
      hes.retryNow();
      // A key that could not be opened (e.g. it wanted pairing) is tried again at once.
      if (!e.connected && e.record?.openError !== undefined && devices.reopen(serialNo))
        return Promise.resolve(OK);
      if (!e.connected) return Promise.resolve(failWith(WorkflowErrorCode.Disconnected));
      if (e.flow) return Promise.resolve(failWith(WorkflowErrorCode.KeyBusy));
      startFlow(e);
      publish();
      return Promise.resolve(OK);
    },
    async forgetKey(serialNo) {
      const e = entries.get(serialNo);
      if (!e) return failWith(WorkflowErrorCode.UnknownKey);
      // A connected key would reappear at once: unplug or switch it off first.
      if (e.connected) return failWith(WorkflowErrorCode.KeyConnected);
      await historyReady;
      entries.delete(serialNo);
      history?.remove(serialNo);
      publish();
      return OK;
    },
    async setServerUrl(url) {
      try {
        await hes.setServerUrl(url ?? undefined);
        publish();
        return OK;
      } catch (error) {
        return addressFailure(error);
      }
    },
    async checkServer(url) {
      const check = checkServerUrl(url);
      if (!check.ok) return fail(check.code, INPUT_ERROR_MESSAGES[check.code]);
      try {
        await hes.checkServer(url);
        return OK;
      } catch (error) {
        return addressFailure(error);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const u of unsubscribe.splice(0)) u();
      await Promise.all([...entries.values()].map((e) => cancelFlow(e, WorkflowErrorCode.Stopped)));
      await history?.flush();
    },
    async ready() {
      await historyReady;
      await history?.flush();
    },
  };
}

function safely(run: () => void): void {
  try {
    run();
  } catch {
    // A listener's bug is the listener's.
  }
}
