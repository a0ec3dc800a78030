// The {code, message, data} envelope every hub method answers (hes-contract.md §4.3), built the
// way HES builds it: a plain Ok has message "", a data reply null; a HideezException's message is
// "<EnumName> (<number>)"; anything else is 1001 NonHideezException with the exception text.
import {
  HesErrorCode,
  hesErrorCodeName,
  isHesErrorCode,
} from '../../../shared/errors/hes-error-code';
import type { HesResponse } from '../../../shared/hes/dto';
import { HesCodeError } from '../domain/ports';
import { HubArgumentError } from './hub-arguments';

export const okResponse = (): HesResponse => ({ code: HesErrorCode.Ok, message: '', data: null });

export const errorResponse = (code: number, message: string): HesResponse => ({
  code,
  message,
  data: null,
});

/** The SDK's text for a HideezErrorCode, e.g. "HesDeviceLocked (615)". */
export const codeMessage = (code: number): string =>
  isHesErrorCode(code) ? `${hesErrorCodeName(code)} (${code})` : `HideezErrorCode (${code})`;

export const NO_WORKSTATION_ID = 'AppHub does not contain WorkstationId!';
export const NO_REMOTE_DEVICE = 'Cannot find remote device in the DeviceHub';
const UNEXPECTED = 'The HES stand-in could not process the call';

/**
 * A thrown error as HES would answer it. Only our typed errors pass their text through: their
 * messages are written to be shown (no secrets); anything else gets a fixed text.
 */
export function responseForError(e: unknown): HesResponse {
  if (e instanceof HesCodeError) {
    return errorResponse(
      e.code,
      e.code === HesErrorCode.NonHideezException ? e.message : codeMessage(e.code),
    );
  }
  if (e instanceof HubArgumentError)
    return errorResponse(HesErrorCode.NonHideezException, e.message);
  return errorResponse(HesErrorCode.NonHideezException, UNEXPECTED);
}
