// The answers of the workflow's IPC commands: Ok, a refusal with a stable code and a fixed
// message, and what a server address that cannot be used means in the user's terms.
import type { CommandResult } from '../../shared/ipc/contract';
import { INPUT_ERROR_MESSAGES } from '../../shared/ipc/input-rules';
import { HesErrorReason, isHesError } from '../hes/hes-error';
import { WORKFLOW_ERROR_MESSAGES, workflowError, WorkflowErrorCode } from './workflow-error';

export const OK: CommandResult = { ok: true, value: null };

export const fail = (code: string | number, message: string): CommandResult => ({
  ok: false,
  error: { code, message },
});

export const failWith = (code: WorkflowErrorCode): CommandResult => ({
  ok: false,
  error: workflowError(code),
});

/** A server address that cannot be used, in the user's terms (never the address itself). */
export function addressFailure(error: unknown): CommandResult {
  if (isHesError(error) && error.reason === HesErrorReason.Unreachable)
    return failWith(WorkflowErrorCode.ServerUnreachable);
  if (isHesError(error) && error.reason === HesErrorReason.InvalidServerUrl) {
    // The address policy's refusal says why in its details (never the address itself).
    return error.details?.['refused'] !== undefined
      ? fail('INPUT_URL_NOT_ALLOWED', INPUT_ERROR_MESSAGES.INPUT_URL_NOT_ALLOWED)
      : fail('INPUT_URL_INVALID', INPUT_ERROR_MESSAGES.INPUT_URL_INVALID);
  }
  return isHesError(error)
    ? fail(error.code, WORKFLOW_ERROR_MESSAGES.WORKFLOW_SERVER_REFUSED)
    : failWith(WorkflowErrorCode.ServerUnreachable);
}
