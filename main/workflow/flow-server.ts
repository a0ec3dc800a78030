// The server side of a key's flow host: the HES client's calls as the flow makes them, and
// a call the flow gives up on when it is aborted (abandoned, not cancelled: HES finishes it).
import type { HesClient } from '../hes/hes-client';
import type { FlowHost } from './flow-host';
import { WorkflowError, WorkflowErrorCode } from './workflow-error';

/** The abort reason as an Error (flows abort with WorkflowErrors). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new WorkflowError(WorkflowErrorCode.Stopped);
}

/** Runs `call`, rejecting with the abort reason as soon as the flow is aborted. */
export function abandonable<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    call()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export type FlowServer = Pick<
  FlowHost,
  | 'serverReady'
  | 'server'
  | 'dto'
  | 'updateProperties'
  | 'updateStatus'
  | 'authHwVault'
  | 'updateAccounts'
  | 'licenses'
  | 'licenseApplied'
>;

export function flowServer(hes: HesClient): FlowServer {
  return {
    serverReady: () => hes.state.state === 'connected',
    server: abandonable,
    dto: (info, state) => hes.buildVaultDto(info, state),
    updateProperties: ((
      dto: Parameters<HesClient['updateHwVaultStatus']>[0],
      returnInfo: boolean,
    ) =>
      returnInfo
        ? hes.updateHwVaultProperties(dto, true)
        : hes.updateHwVaultProperties(dto, false)) as HesClient['updateHwVaultProperties'],
    updateStatus: (dto) => hes.updateHwVaultStatus(dto),
    authHwVault: (serialNo) => hes.authHwVault(serialNo),
    updateAccounts: (serialNo, onlyOs) => hes.updateHwVaultAccounts(serialNo, onlyOs),
    licenses: (serialNo, which) =>
      which === 'new' ? hes.getNewHwVaultLicenses(serialNo) : hes.getHwVaultLicenses(serialNo),
    licenseApplied: (serialNo, licenseId) => hes.hwVaultLicenseApplied(serialNo, licenseId),
  };
}
