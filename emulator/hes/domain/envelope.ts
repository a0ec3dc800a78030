// The {code, message, data} envelope of every AppHub reply (hes-contract.md §4.3): Ok with
// data (message null) or plain Ok (message ""); a HideezErrorCode as "<EnumName> (<number>)";
// any other exception as 1001 NonHideezException with its own text.
import {
  DeviceErrorCode,
  deviceErrorCodeName,
  isDeviceErrorCode,
} from '../../../shared/errors/device-error-code';
import {
  HesErrorCode,
  hesErrorCodeName,
  isHesErrorCode,
} from '../../../shared/errors/hes-error-code';
import type { HesResponse } from '../../../shared/hes/dto';
import { HesCodeError } from './ports';

/** The SDK's message format for a HideezException. */
export function codeMessage(code: number): string {
  if (isHesErrorCode(code)) return `${hesErrorCodeName(code)} (${code})`;
  // The key's own codes share HideezErrorCode's numbers (5, 7, 19).
  if (isDeviceErrorCode(code) && code !== DeviceErrorCode.OK) {
    return `${deviceErrorCodeName(code)} (${code})`;
  }
  return `HideezErrorCode (${code})`;
}

export const okData = <T>(data: T): HesResponse<T> => ({
  code: HesErrorCode.Ok,
  message: null,
  data,
});
export const okPlain = (): HesResponse => ({ code: HesErrorCode.Ok, message: '', data: null });

export function errorResponse<T>(e: unknown): HesResponse<T> {
  if (e instanceof HesCodeError) return { code: e.code, message: codeMessage(e.code), data: null };
  const message = e instanceof Error ? e.message : String(e);
  return { code: HesErrorCode.NonHideezException, message, data: null };
}

/** Runs a hub method body; any throw becomes the error envelope (hub methods never throw). */
export async function envelope<T>(
  body: () => Promise<HesResponse<T>> | HesResponse<T>,
): Promise<HesResponse<T>> {
  try {
    return await body();
  } catch (e) {
    return errorResponse<T>(e);
  }
}

export const hesError = (code: HesErrorCode): HesCodeError =>
  new HesCodeError(code, codeMessage(code));
