// The {code, message, data} envelope every hub method answers (hes-contract.md §4.3), built the
// way HES builds it: a plain Ok has message "", a data reply null; a HideezException's message is
// "<EnumName> (<number>)"; anything else is 1001 NonHideezException with the exception text.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { HesResponse } from '../../../shared/hes/dto';
import { codeMessage } from '../domain/envelope';
import { DotNetException } from '../domain/hes-exception-text';
import { HesCodeError, NonHideezError } from '../domain/ports';
import { isHubBindingError } from '../signalr/argument-binder';

export const okResponse = (): HesResponse => ({ code: HesErrorCode.Ok, message: '', data: null });

export const errorResponse = (code: number, message: string): HesResponse => ({
  code,
  message,
  data: null,
});

const UNEXPECTED = 'The HES stand-in could not process the call';

/**
 * A thrown error as HES would answer it. Errors that carry HES's own text (a HideezErrorCode,
 * an exception text HES gives) pass it through; anything else — a stand-in bug, which HES has
 * no text for — gets a fixed one, so no internal message reaches a client. A binding failure is
 * not the method's error at all: it is rethrown for the SignalR layer, which fails the
 * invocation as ASP.NET does.
 */
export function responseForError(e: unknown): HesResponse {
  if (isHubBindingError(e)) throw e;
  if (e instanceof HesCodeError) {
    return errorResponse(
      e.code,
      e.code === HesErrorCode.NonHideezException ? e.message : codeMessage(e.code),
    );
  }
  if (e instanceof DotNetException || e instanceof NonHideezError) {
    return errorResponse(HesErrorCode.NonHideezException, e.message);
  }
  return errorResponse(HesErrorCode.NonHideezException, UNEXPECTED);
}
