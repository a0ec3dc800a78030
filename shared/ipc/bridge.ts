// The API the renderer calls: one named function per command plus onSnapshot and
// onNotice. Identical for Electron's preload (over ipcRenderer) and the browser host
// (over a WebSocket): both build it with createCompanionApi from two primitives,
// so the renderer never sees a generic invoke. Incoming answers and events are
// validated here, on the receiving side.
import {
  IpcErrorCode,
  failure,
  type CommandName,
  type CommandResult,
  type CommandValues,
  type IpcError,
  type Notice,
} from './contract';
import { EVENTS, type EventName, type EventPayloads } from './ipc-events';
import type { AppSnapshot } from './snapshot';

type Answer<N extends CommandName> = Promise<CommandResult<CommandValues[N]>>;

export interface CompanionApi {
  getSnapshot(): Answer<'getSnapshot'>;
  submitActivationCode(serialNo: string, code: string): Answer<'submitActivationCode'>;
  submitNewPin(serialNo: string, pin: string, confirm: string): Answer<'submitNewPin'>;
  submitPin(serialNo: string, pin: string): Answer<'submitPin'>;
  changePin(serialNo: string, oldPin: string, newPin: string, confirm: string): Answer<'changePin'>;
  /** The first PIN of an online key that has none. */
  setPin(serialNo: string, pin: string, confirm: string): Answer<'setPin'>;
  cancelPrompt(serialNo: string): Answer<'cancelPrompt'>;
  /** Run a stopped key's flow again (the view's 'retry' action); also retries the server now. */
  retryKey(serialNo: string): Answer<'retryKey'>;
  /** Forget a key that is no longer connected: its card and its local history (the 'removeKey' action). */
  forgetKey(serialNo: string): Answer<'forgetKey'>;
  setServerUrl(url: string | null): Answer<'setServerUrl'>;
  checkServer(url: string): Answer<'checkServer'>;
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
  onNotice(listener: (notice: Notice) => void): () => void;
}

// Every command of the table has its function, and nothing else does.
type ApiCommands = Exclude<keyof CompanionApi, 'onSnapshot' | 'onNotice'>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const commandsMatchTable: Same<ApiCommands, CommandName> = true;
void commandsMatchTable;

/** What a transport provides: send one command, and listen to one event channel. */
export interface BridgeTransport {
  /** Resolves with the raw answer (validated here); may reject when the link is gone. */
  call(name: CommandName, args: readonly unknown[]): Promise<unknown>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

const isIpcError = (value: unknown): value is IpcError =>
  typeof value === 'object' &&
  value !== null &&
  (typeof (value as { code?: unknown }).code === 'string' ||
    typeof (value as { code?: unknown }).code === 'number') &&
  typeof (value as { message?: unknown }).message === 'string';

/** Check an answer's shape; getSnapshot's value must be a snapshot, the rest carry null. */
export function readAnswer<N extends CommandName>(
  name: N,
  raw: unknown,
): CommandResult<CommandValues[N]> {
  if (typeof raw !== 'object' || raw === null) return failure(IpcErrorCode.BadRequest);
  const answer = raw as { ok?: unknown; value?: unknown; error?: unknown };
  if (answer.ok === false) {
    if (!isIpcError(answer.error)) return failure(IpcErrorCode.BadRequest);
    const { code, message, attemptsRemain } = answer.error;
    return {
      ok: false,
      error: {
        code,
        message,
        ...(typeof attemptsRemain === 'number' &&
        Number.isInteger(attemptsRemain) &&
        attemptsRemain >= 0
          ? { attemptsRemain }
          : {}),
      },
    };
  }
  if (answer.ok !== true) return failure(IpcErrorCode.BadRequest);
  if (name === 'getSnapshot') {
    const parsed = EVENTS.snapshot.safeParse(answer.value);
    return parsed.success
      ? { ok: true, value: parsed.data as CommandValues[N] }
      : failure(IpcErrorCode.BadRequest);
  }
  return { ok: true, value: null as CommandValues[N] };
}

export function createCompanionApi(transport: BridgeTransport): CompanionApi {
  const call = async <N extends CommandName>(name: N, args: readonly unknown[]): Answer<N> => {
    try {
      return readAnswer(name, await transport.call(name, args));
    } catch {
      return failure(IpcErrorCode.Disconnected);
    }
  };
  const listen =
    <E extends EventName>(event: E) =>
    (listener: (payload: EventPayloads[E]) => void): (() => void) =>
      transport.subscribe(event, (payload) => {
        const parsed = EVENTS[event].safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayloads[E]);
      });
  return Object.freeze({
    getSnapshot: () => call('getSnapshot', []),
    submitActivationCode: (serialNo: string, code: string) =>
      call('submitActivationCode', [serialNo, code]),
    submitNewPin: (serialNo: string, pin: string, confirm: string) =>
      call('submitNewPin', [serialNo, pin, confirm]),
    setPin: (serialNo: string, pin: string, confirm: string) =>
      call('setPin', [serialNo, pin, confirm]),
    submitPin: (serialNo: string, pin: string) => call('submitPin', [serialNo, pin]),
    changePin: (serialNo: string, oldPin: string, newPin: string, confirm: string) =>
      call('changePin', [serialNo, oldPin, newPin, confirm]),
    cancelPrompt: (serialNo: string) => call('cancelPrompt', [serialNo]),
    retryKey: (serialNo: string) => call('retryKey', [serialNo]),
    forgetKey: (serialNo: string) => call('forgetKey', [serialNo]),
    setServerUrl: (url: string | null) => call('setServerUrl', [url]),
    checkServer: (url: string) => call('checkServer', [url]),
    onSnapshot: listen('snapshot'),
    onNotice: listen('notice'),
  });
}
