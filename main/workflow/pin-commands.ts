// The PIN commands on a key that is online: set the first PIN (a key without one whose
// profile does not ask for one) and change it. Both are checked here before the key
// sees anything (digits, the key's length rules, the confirmation); the key judges the
// current PIN, and its answer alone says what happened: a wrong PIN carries the attempts
// left (no second exchange), the last one locks the key (the flow then reports it), and
// "no PIN yet" / "already has one" teach the companion which action to offer.
import { KeyOp, type KeyAnswer, type KeyOperation } from '../../device/key/key-operations';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { CommandResult, IpcError } from '../../shared/ipc/contract';
import {
  checkPin,
  INPUT_ERROR_MESSAGES,
  PIN_MAX_LENGTH,
  pinLengthResult,
} from '../../shared/ipc/input-rules';
import type { KeyInfo } from '../../shared/key/key-info';
import { workflowError, WorkflowErrorCode } from './workflow-error';

/** A key as the PIN commands see it. */
export interface PinKey {
  readonly connected: boolean;
  readonly busy: boolean;
  readonly info: KeyInfo | undefined;
}

export interface PinCommandHost {
  key(serialNo: string): PinKey | undefined;
  request(serialNo: string, operation: KeyOperation): Promise<KeyAnswer>;
  /** The key told whether it holds a PIN. */
  learnedPin(serialNo: string, pinSet: boolean): void;
  /** The key locked itself after the last wrong PIN: its check runs to report it. */
  lockedByPin(serialNo: string): void;
}

const ok: CommandResult = { ok: true, value: null };
const fail = (code: WorkflowErrorCode, extra: Partial<IpcError> = {}): CommandResult => ({
  ok: false,
  error: { ...workflowError(code), ...extra },
});
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The input rules both commands share; undefined when the new PIN may go to the key. */
function refuseNewPin(
  key: PinKey | undefined,
  pins: readonly string[],
  newPin: string,
  confirm: string,
): CommandResult | undefined {
  if (!key || !key.connected) return fail(WorkflowErrorCode.UnknownKey);
  if (key.busy) return fail(WorkflowErrorCode.KeyBusy);
  for (const p of pins) {
    const check = checkPin(p);
    if (!check.ok)
      return { ok: false, error: { code: check.code, message: INPUT_ERROR_MESSAGES[check.code] } };
  }
  const length = pinLengthResult(newPin, key.info?.minPinLength ?? 4, PIN_MAX_LENGTH);
  if (length !== 'ok')
    return fail(
      length === 'tooShort' ? WorkflowErrorCode.PinTooShort : WorkflowErrorCode.PinTooLong,
    );
  if (newPin !== confirm) return fail(WorkflowErrorCode.PinMismatch);
  return undefined;
}

async function sendPin(
  host: PinCommandHost,
  serialNo: string,
  operation: KeyOperation,
): Promise<CommandResult> {
  let answer: KeyAnswer;
  try {
    answer = await host.request(serialNo, operation);
  } catch {
    return fail(WorkflowErrorCode.KeyError);
  }
  const left = 'attemptsRemain' in answer ? answer.attemptsRemain : undefined;
  switch (answer.status) {
    case DeviceErrorCode.OK:
      host.learnedPin(serialNo, true);
      return ok;
    case DeviceErrorCode.ERR_PIN_WRONG:
      return fail(WorkflowErrorCode.PinWrong, left !== undefined ? { attemptsRemain: left } : {});
    case DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN:
      host.lockedByPin(serialNo);
      return fail(WorkflowErrorCode.LockedByPin, { attemptsRemain: 0 });
    case DeviceErrorCode.ERR_PIN_NOT_SET:
      host.learnedPin(serialNo, false);
      return fail(WorkflowErrorCode.PinNotSet);
    case DeviceErrorCode.ERR_ALREADY_INITIALIZED:
      host.learnedPin(serialNo, true);
      return fail(WorkflowErrorCode.PinAlreadySet);
    case DeviceErrorCode.ERR_PIN_TOO_SHORT:
      return fail(WorkflowErrorCode.PinTooShort);
    case DeviceErrorCode.ERR_PIN_TOO_LONG:
      return fail(WorkflowErrorCode.PinTooLong);
    default:
      return fail(WorkflowErrorCode.KeyError);
  }
}

/** Sets the first PIN of an online key that has none. */
export function setPin(
  host: PinCommandHost,
  serialNo: string,
  newPin: string,
  confirm: string,
): Promise<CommandResult> {
  const refused = refuseNewPin(host.key(serialNo), [newPin], newPin, confirm);
  if (refused) return Promise.resolve(refused);
  return sendPin(host, serialNo, { op: KeyOp.SetPin, newPin: bytes(newPin) });
}

/** Changes the PIN of an online key, proving the current one (a wrong one costs an attempt). */
export function changePin(
  host: PinCommandHost,
  serialNo: string,
  oldPin: string,
  newPin: string,
  confirm: string,
): Promise<CommandResult> {
  const refused = refuseNewPin(host.key(serialNo), [oldPin, newPin], newPin, confirm);
  if (refused) return Promise.resolve(refused);
  return sendPin(host, serialNo, {
    op: KeyOp.SetPin,
    newPin: bytes(newPin),
    oldPin: bytes(oldPin),
  });
}
