// The flow's view of its key (FlowHost, flow-host.ts), built over the key book, the
// device manager and the server: what the flow reads from the key lands in the book,
// what it asks the user goes through the entry's prompt box, what it asks the server
// goes through flow-server.ts.
import { KeyOp } from '../../device/key/key-operations';
import type { DeviceManager } from '../../device/manager/device-manager';
import { WorkstationEventSeverity, WorkstationEventType } from '../../shared/hes/dto';
import { afterCodeAccepted, type KeyInfo } from '../../shared/key/key-info';
import type { FlowHost } from './flow-host';
import type { FlowServer } from './flow-server';
import type { KeyBook } from './key-book';
import type { KeyEntry } from './key-entry';
import { KEY_TIMEOUT_MS } from './key-flow';
import { isNewPendingActivation } from './pending-activation';
import { WorkflowError, WorkflowErrorCode } from './workflow-error';

export interface FlowHostContext {
  readonly book: KeyBook;
  readonly devices: DeviceManager;
  readonly server: FlowServer;
  readonly now: () => Date;
  /** Resolves once the server connection is no longer being made, or after its bound. */
  serverSettled(signal: AbortSignal): Promise<void>;
  /** Counts the server connection coming up (key-flow.ts re-checks a key it has not heard). */
  serverEpoch(): number;
}

/**
 * `opening`: the info the device manager read as it opened the key a moment ago; the
 * flow's first read takes it instead of asking the key again.
 */
export function flowHostOf(ctx: FlowHostContext, e: KeyEntry, opening?: KeyInfo): FlowHost {
  const { book, devices } = ctx;
  let first = opening;
  const current = (): KeyInfo => {
    if (!e.info) throw new WorkflowError(WorkflowErrorCode.KeyError);
    return e.info;
  };
  const told = (info: KeyInfo): KeyInfo => {
    book.keyTold(e, info);
    book.publish();
    return info;
  };
  return {
    serialNo: e.serialNo,
    request: (request, signal, timeoutMs = KEY_TIMEOUT_MS) =>
      devices.request(e.serialNo, request, { timeoutMs, signal }),
    async readInfo(signal) {
      const known = first;
      first = undefined;
      const response = known
        ? { info: known }
        : await devices.request(
            e.serialNo,
            { op: KeyOp.ReadInfo },
            { timeoutMs: KEY_TIMEOUT_MS, signal, reuseCurrentInfo: true },
          );
      if (!('info' in response)) throw new WorkflowError(WorkflowErrorCode.KeyError);
      book.keyRead(e, response.info);
      return response.info;
    },
    codeAccepted: () => told(afterCodeAccepted(current())),
    codeAttemptsLeft: (attemptsRemain) =>
      told({ ...current(), unlockAttemptsRemain: attemptsRemain }),
    pinAttemptsLeft: (attemptsRemain) => told({ ...current(), pinAttemptsRemain: attemptsRemain }),
    ...ctx.server,
    serverSettled: (signal) => ctx.serverSettled(signal),
    serverEpoch: () => ctx.serverEpoch(),
    lastKnownStatus: () => book.lastKnownStatus(e),
    setStep(step, prompt) {
      e.step = step;
      e.prompt = prompt;
      book.publish();
    },
    setAnswer: (dto, fromUpdate) => book.setAnswer(e, dto, fromUpdate),
    setError: (error) => book.setError(e, error),
    reportLater() {
      e.reportPending = true;
    },
    ask: (kind, signal) => e.prompts.ask(kind, signal),
    lockedByPin() {
      book.record(WorkstationEventType.DeviceLocked, e, WorkstationEventSeverity.Warning);
    },
    pendingUnlock(info) {
      const { history } = book;
      if (history && isNewPendingActivation(history, e.serialNo, info, ctx.now))
        book.record(WorkstationEventType.DevicePendingUnlock, e);
    },
  };
}
