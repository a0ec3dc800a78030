// The companion's workflow service (plain Node): runs one connection flow per key the
// device manager reports (key-flow.ts), in parallel and cancellable, and takes the user's
// codes and PINs from the IPC commands. What it knows of each key (snapshot, notices,
// audit, local status history) is in the key book (key-book.ts); the flow's view of its
// key is flow-host-of.ts. Codes and PINs go to the key and are forgotten: they are never
// in a snapshot, notice, error or file.
import type { KeyEvent } from '../../device/key/key-events';
import type { DeviceManager } from '../../device/manager/device-manager';
import type { KeyRecord } from '../../device/manager/key-record';
import { HwVaultConnectionState, WorkstationEventType } from '../../shared/hes/dto';
import type { CommandResult, Notice } from '../../shared/ipc/contract';
import { checkServerUrl, INPUT_ERROR_MESSAGES } from '../../shared/ipc/input-rules';
import type { AppSnapshot } from '../../shared/ipc/snapshot';
import type { KeyInfo } from '../../shared/key/key-info';
import type { AuditQueue } from '../audit/audit-queue';
import type { HesClient } from '../hes/hes-client';
import { addressFailure, fail, failWith, OK } from './command-result';
import { flowHostOf } from './flow-host-of';
import { flowServer } from './flow-server';
import { KeyBook } from './key-book';
import { lockPicture, type KeyEntry } from './key-entry';
import { KEY_TIMEOUT_MS, runKeyFlow, SERVER_FIRST_WORD_MS, ServerBack } from './key-flow';
import { changePin, setPin, type PinCommandHost } from './pin-commands';
import { answerActivationCode, answerNewPin, answerPin, type PromptHost } from './prompt-answers';
import { WorkflowError, WorkflowErrorCode, workflowError } from './workflow-error';

export { GONE_CODES } from './key-book';

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
  /** Resolves once the history file and the audit events recorded so far are written (tests, shutdown). */
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

export function createCompanionService(options: CompanionServiceOptions): CompanionService {
  const { devices, hes } = options;
  const now = options.now ?? (() => new Date());
  const book = new KeyBook({
    devices,
    hes,
    audit: options.audit,
    historyFile: options.historyFile,
    now,
  });
  const { entries } = book;
  const publish = (): void => book.publish();
  const unsubscribe: (() => void)[] = [];
  let stopped = false;
  /** Counts the server connection coming up: a flow re-checks a key the new one has not heard. */
  let serverEpoch = hes.state.state === 'connected' ? 1 : 0;

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

  // ---- flows ----
  const hostContext = {
    book,
    devices,
    server: flowServer(hes),
    now,
    serverSettled,
    serverEpoch: () => serverEpoch,
  };

  const startFlow = (e: KeyEntry, opening?: KeyInfo): void => {
    if (stopped || e.flow || !e.connected) return;
    const controller = new AbortController();
    e.error = undefined;
    const done = (async () => {
      await book.historyReady;
      const end = await runKeyFlow(flowHostOf(hostContext, e, opening), controller.signal);
      e.flow = undefined;
      e.prompt = undefined;
      e.step = end.step;
      e.error = end.step === 'stopped' ? end.error.toIpc() : undefined;
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

  /** Reports the key's current state at once (a lock change outside a flow, server back). */
  const resync = (e: KeyEntry): void => {
    if (e.flow || !e.connected) return;
    startFlow(e);
  };

  const connected = (e: KeyEntry): void => {
    if (e.connected) return;
    e.connected = true;
    book.record(WorkstationEventType.DeviceConnect, e);
    // The manager has just read the key to name it: the flow starts from that reading.
    startFlow(e, e.record?.info);
  };
  const disconnected = (e: KeyEntry): void => {
    if (!e.connected) return;
    e.connected = false;
    book.record(WorkstationEventType.DeviceDisconnect, e);
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
    const e = book.entryOf(r.serialNo);
    e.record = r;
    // The one place a lock change outside a flow is noticed: the manager's picture of the
    // key (from its events, or its read after one) differs from the one the flow last
    // reported, so the flow runs again; a Locked card updates by itself when the
    // administrator sends a new code.
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
    const battery = event.kind === 'state' ? event.update.battery : undefined;
    if (battery !== undefined && e.info && e.info.battery !== battery) {
      e.info = { ...e.info, battery };
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
    published: () => book.published(),
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
    snapshot: () => book.snapshot(),
    onSnapshot: (listener) => book.onSnapshot(listener),
    onNotice: (listener) => book.onNotice(listener),
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
      await book.historyReady;
      entries.delete(serialNo);
      book.history?.remove(serialNo);
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
      await book.flush();
      await book.auditWritten();
    },
    async ready() {
      await book.historyReady;
      await book.flush();
      await book.auditWritten();
    },
  };
}
