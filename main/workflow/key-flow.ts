// One key's connection flow (hideez-client-behaviour.md §1.2, §2, §3, improved):
// read info (refuse bootloader) → report Initializing → status update when the server
// asks → activation code while locked by code and attempts remain → new PIN / PIN /
// button → AuthHwVault → accounts → Online. Every exit is a FlowEnd: 'online', or
// 'stopped' with a WorkflowError saying why. Codes and PINs are turned into bytes for
// the key and dropped; they never reach the host's state.
import { type KeyAnswer, KeyOp } from '../../device/key/key-operations';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { HwVaultConnectionState, type HwVaultInfoFromHesDto } from '../../shared/hes/dto';
import { PIN_MAX_LENGTH } from '../../shared/ipc/input-rules';
import type { KeyInfo } from '../../shared/key/key-info';
import { isSuspension } from '../../shared/view/server-status';
import { isHesError } from '../hes/hes-error';
import { loadLicenses } from './license-step';
import { Gone, serverCall } from './server-call';
import type { FlowHost } from './flow-host';
import { WorkflowError, WorkflowErrorCode } from './workflow-error';

/**
 * Thrown into a prompt the user has not answered when the server comes back and has not
 * heard of the key: the flow reports first, then asks again if the key still needs it.
 */
export class ServerBack extends Error {
  constructor() {
    super('the server is back: the key is checked with it first');
  }
}

/** How long a key's check waits for a server connection still being made. */
export const SERVER_FIRST_WORD_MS = 10_000;

/** Per exchange with the key; a button wait has its own limit. */
export const KEY_TIMEOUT_MS = 10_000;
/** WaitButton's own limit (the key refuses more than 5 minutes). */
export const BUTTON_WAIT_MS = 120_000;

export type { FlowHost } from './flow-host';

export type FlowEnd =
  { readonly step: 'online' } | { readonly step: 'stopped'; readonly error: WorkflowError };

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

export async function runKeyFlow(host: FlowHost, signal: AbortSignal): Promise<FlowEnd> {
  try {
    return await flow(host, signal);
  } catch (e) {
    if (signal.aborted && signal.reason instanceof WorkflowError) {
      return { step: 'stopped', error: signal.reason };
    }
    if (e instanceof WorkflowError) return { step: 'stopped', error: e };
    if (e instanceof Gone) {
      return { step: 'stopped', error: new WorkflowError(WorkflowErrorCode.PairingForgotten) };
    }
    if (isHesError(e)) {
      return { step: 'stopped', error: new WorkflowError(e.code, e.message) };
    }
    const code =
      (e as { kind?: unknown }).kind === 'disconnected'
        ? WorkflowErrorCode.Disconnected
        : WorkflowErrorCode.KeyError;
    return { step: 'stopped', error: new WorkflowError(code) };
  }
}

async function flow(host: FlowHost, signal: AbortSignal): Promise<FlowEnd> {
  host.setStep('reading');
  let info = await host.readInfo(signal);
  if (info.bootloaderMode) throw new WorkflowError(WorkflowErrorCode.Bootloader);
  // A key never reaches Online on a check the server has not heard while it could: when the
  // server comes back during a prompt or before the end, the key is reported again and every
  // step that depends on the server's word runs again (docs/workflow.md, "Offline").
  for (;;) {
    try {
      const end = await checkKey(host, info, signal);
      if (end !== undefined) return end;
    } catch (e) {
      if (!(e instanceof ServerBack) || signal.aborted) throw e;
    }
    info = await host.readInfo(signal);
  }
}

/** One pass of the checks; undefined when the server came back and they must run again. */
async function checkKey(
  host: FlowHost,
  current: KeyInfo,
  signal: AbortSignal,
): Promise<FlowEnd | undefined> {
  const first = await report(host, current, HwVaultConnectionState.Initializing, signal);
  let answer = first.answer;
  // A server connection made after this point has not heard of the key.
  let epoch = host.serverEpoch();
  // Only the server's commands change the key here: without them the key is as just read.
  let info = first.keyChanged ? await host.readInfo(signal) : current;

  // Activation: the key checks the code, online or not.
  if (info.lockedByCode && info.canUnlock) host.pendingUnlock(info);
  let lastResult: 'wrong' | 'tooShort' | 'tooLong' | undefined;
  while (info.lockedByCode && info.canUnlock) {
    const reason = isSuspension(info, host.lastKnownStatus()) ? 'suspension' : 'firstActivation';
    host.setStep('awaitingActivationCode', {
      kind: 'activationCode',
      attemptsRemain: info.unlockAttemptsRemain,
      reason,
      ...(lastResult ? { lastResult } : {}),
    });
    const input = await host.ask('activationCode', signal);
    try {
      host.setStep('verifyingCode');
      const response = await host.request(
        { op: KeyOp.UnlockWithCode, code: ascii(input.values[0] ?? '') },
        signal,
      );
      lastResult = response.status === DeviceErrorCode.OK ? undefined : 'wrong';
      // The answer says all the server needs (docs/protocol.md §5.2), so no GetInfo here: the
      // key is unlocked, or a wrong code changed nothing but the count it carries, and the
      // user hears at once (a GetInfo is 0.2 s on BLE). Anything else is read.
      const left = attemptsLeftAfterWrong(response);
      info =
        response.status === DeviceErrorCode.OK
          ? host.codeAccepted()
          : left !== undefined
            ? host.codeAttemptsLeft(left)
            : await host.readInfo(signal);
    } finally {
      input.handled();
    }
    if (!info.lockedByCode || !info.canUnlock) {
      // Success or the last attempt spent: the server moves the key to Active or Locked at
      // once, with no report before it (the Hideez Client's order, §2 step 9).
      const reported = await report(host, info, HwVaultConnectionState.Initializing, signal, true);
      answer = reported.answer;
      epoch = host.serverEpoch();
      if (reported.keyChanged) info = await host.readInfo(signal);
    }
  }
  if (info.lockedByPin) {
    host.lockedByPin();
    throw new WorkflowError(WorkflowErrorCode.LockedByPin);
  }
  if (info.lockedByCode) throw new WorkflowError(WorkflowErrorCode.LockedByCode);
  if (info.access.linkRequired) throw new WorkflowError(WorkflowErrorCode.NotLinked);

  info = await userAuthorization(host, info, signal);
  if (host.serverEpoch() !== epoch && host.serverReady()) return undefined;

  if (host.serverReady() && answer !== undefined) {
    // Only a key that asks for its master key needs the server's CheckPassphrase (§1.5):
    // each AuthHwVault opens a /deviceHub channel and relays two sealed commands.
    if (info.access.masterKeyRequired) {
      host.setStep('authorizing');
      await serverCall(host, () => host.authHwVault(host.serialNo), signal);
      info = await host.readInfo(signal);
    }
    if (answer.needUpdateOSAccounts || answer.needUpdateNonOSAccounts) {
      host.setStep('syncingAccounts');
      if (answer.needUpdateOSAccounts) {
        await serverCall(host, () => host.updateAccounts(host.serialNo, true), signal);
      }
      if (answer.needUpdateNonOSAccounts) {
        await serverCall(host, () => host.updateAccounts(host.serialNo, false), signal);
      }
    }
    const dto = host.dto(info, HwVaultConnectionState.Online);
    await serverCall(host, () => host.updateProperties(dto, false), signal);
  }
  return { step: 'online' };
}

/**
 * The attempts a wrong code or PIN left, when its answer says so and some are left: all the
 * step changed on the key. Undefined for anything else (read the key to know).
 */
function attemptsLeftAfterWrong(response: KeyAnswer): number | undefined {
  if (response.status !== DeviceErrorCode.ERR_PIN_WRONG || !('attemptsRemain' in response)) {
    return undefined;
  }
  const left = response.attemptsRemain;
  return left !== undefined && left > 0 ? left : undefined;
}

/** What a report got: the server's answer (none offline), and whether the server changed the key. */
interface Reported {
  readonly answer: HwVaultInfoFromHesDto | undefined;
  /** The status update ran: the server's commands may have changed the key (read it again). */
  readonly keyChanged: boolean;
}

/**
 * UpdateHwVaultProperties(returnInfo) then UpdateHwVaultStatus when asked; or, `statusOnly`,
 * UpdateHwVaultStatus alone, when the key's own answer already says the server must act.
 */
async function report(
  host: FlowHost,
  info: KeyInfo,
  state: HwVaultConnectionState,
  signal: AbortSignal,
  statusOnly = false,
): Promise<Reported> {
  if (!(await serverReachable(host, signal))) return { answer: undefined, keyChanged: false };
  if (statusOnly) return updateStatus(host, info, state, signal);
  host.setStep('reporting');
  const answer = await serverCall(
    host,
    () => host.updateProperties(host.dto(info, state), true),
    signal,
  );
  if (answer === undefined) return { answer: undefined, keyChanged: false };
  host.setAnswer(answer);
  // Licences before the status update, as the Hideez Client orders it (§1.2, §1.4).
  const loaded = await loadLicenses(host, info, answer, signal);
  if (!answer.needStateUpdate) return { answer, keyChanged: false };
  // The key as the status update must describe it: read again only if licences went to it.
  const fresh = loaded > 0 ? await host.readInfo(signal) : info;
  return updateStatus(host, fresh, state, signal);
}

async function updateStatus(
  host: FlowHost,
  info: KeyInfo,
  state: HwVaultConnectionState,
  signal: AbortSignal,
): Promise<Reported> {
  host.setStep('updatingStatus');
  const updated = await serverCall(host, () => host.updateStatus(host.dto(info, state)), signal);
  if (updated !== undefined) host.setAnswer(updated, true);
  return { answer: updated, keyChanged: true };
}

/** Whether the server can hear the key now, waiting for a connection still being made. */
async function serverReachable(host: FlowHost, signal: AbortSignal): Promise<boolean> {
  if (!host.serverReady()) {
    host.setStep('reporting');
    await host.serverSettled(signal);
  }
  if (host.serverReady()) return true;
  host.reportLater();
  return false;
}

/** New PIN, PIN, button, as the key asks (re-read after each step). */
async function userAuthorization(
  host: FlowHost,
  first: KeyInfo,
  signal: AbortSignal,
): Promise<KeyInfo> {
  let info = first;
  let pinResult: 'wrong' | undefined;
  let newPinResult: 'tooShort' | 'tooLong' | 'mismatch' | undefined;
  for (;;) {
    if (info.lockedByPin || info.access.locked) {
      host.lockedByPin();
      throw new WorkflowError(
        info.lockedByPin ? WorkflowErrorCode.LockedByPin : WorkflowErrorCode.LockedByCode,
      );
    }
    if (info.access.newPinRequired) {
      host.setStep('awaitingNewPin', {
        kind: 'newPin',
        minLength: info.minPinLength,
        maxLength: PIN_MAX_LENGTH,
        ...(newPinResult ? { lastResult: newPinResult } : {}),
      });
      const input = await host.ask('newPin', signal);
      try {
        host.setStep('verifyingPin');
        const response = await host.request(
          { op: KeyOp.SetPin, newPin: ascii(input.values[0] ?? '') },
          signal,
        );
        newPinResult =
          response.status === DeviceErrorCode.ERR_PIN_TOO_SHORT
            ? 'tooShort'
            : response.status === DeviceErrorCode.ERR_PIN_TOO_LONG
              ? 'tooLong'
              : undefined;
        info = await host.readInfo(signal);
      } finally {
        input.handled();
      }
      continue;
    }
    if (info.access.pinRequired) {
      host.setStep('awaitingPin', {
        kind: 'pin',
        attemptsRemain: info.pinAttemptsRemain,
        minLength: info.minPinLength,
        maxLength: PIN_MAX_LENGTH,
        ...(pinResult ? { lastResult: pinResult } : {}),
      });
      const input = await host.ask('pin', signal);
      try {
        host.setStep('verifyingPin');
        const response = await host.request(
          { op: KeyOp.EnterPin, pin: ascii(input.values[0] ?? '') },
          signal,
        );
        pinResult = response.status === DeviceErrorCode.OK ? undefined : 'wrong';
        // As with a wrong code: the failure carries the attempts left (protocol §5.3), so
        // the prompt shows them in the same turn; a right PIN, or the last one spent, is read.
        const left = attemptsLeftAfterWrong(response);
        info = left !== undefined ? host.pinAttemptsLeft(left) : await host.readInfo(signal);
      } finally {
        input.handled();
      }
      if (info.lockedByPin) {
        // Locked by PIN: the server hears of it at once (its refusal, 615, is expected).
        await report(host, info, HwVaultConnectionState.Initializing, signal).catch(
          (e: unknown) => {
            if (!(e instanceof WorkflowError) || signal.aborted) throw e;
          },
        );
        host.lockedByPin();
        throw new WorkflowError(WorkflowErrorCode.LockedByPin);
      }
      continue;
    }
    if (info.access.buttonRequired) {
      host.setStep('awaitingButton', { kind: 'button' });
      const response = await host.request(
        { op: KeyOp.WaitButton, timeoutMs: BUTTON_WAIT_MS },
        signal,
        BUTTON_WAIT_MS + KEY_TIMEOUT_MS,
      );
      if (response.status === DeviceErrorCode.ERR_OPERATION_CANCELED) {
        throw new WorkflowError(WorkflowErrorCode.CancelledOnKey);
      }
      info = await host.readInfo(signal);
      continue;
    }
    return info;
  }
}
