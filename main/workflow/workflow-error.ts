// Why a key's flow stopped or a command was refused: stable codes, fixed messages,
// never a submitted code or PIN.
import { CompanionError } from '../../shared/errors/companion-error';

export const WorkflowErrorCode = {
  Bootloader: 'WORKFLOW_BOOTLOADER',
  Disconnected: 'WORKFLOW_DISCONNECTED',
  CancelledByUser: 'WORKFLOW_CANCELLED_BY_USER',
  CancelledOnKey: 'WORKFLOW_CANCELLED_ON_KEY',
  NotApproved: 'WORKFLOW_NOT_APPROVED',
  Alarm: 'WORKFLOW_ALARM',
  Stopped: 'WORKFLOW_SERVICE_STOPPED',
  LockedByCode: 'WORKFLOW_LOCKED_BY_CODE',
  LockedByPin: 'WORKFLOW_LOCKED_BY_PIN',
  NotLinked: 'WORKFLOW_NOT_LINKED',
  PairingForgotten: 'WORKFLOW_PAIRING_FORGOTTEN',
  ServerRefused: 'WORKFLOW_SERVER_REFUSED',
  KeyError: 'WORKFLOW_KEY_ERROR',
  NoPrompt: 'WORKFLOW_NO_PROMPT',
  UnknownKey: 'WORKFLOW_UNKNOWN_KEY',
  PinMismatch: 'WORKFLOW_PIN_MISMATCH',
  PinTooShort: 'WORKFLOW_PIN_TOO_SHORT',
  PinTooLong: 'WORKFLOW_PIN_TOO_LONG',
  PinWrong: 'WORKFLOW_PIN_WRONG',
  PinNotSet: 'WORKFLOW_PIN_NOT_SET',
  PinAlreadySet: 'WORKFLOW_PIN_ALREADY_SET',
  KeyBusy: 'WORKFLOW_KEY_BUSY',
  KeyConnected: 'WORKFLOW_KEY_CONNECTED',
  LicenseInvalid: 'WORKFLOW_LICENSE_INVALID',
  LicenseRefused: 'WORKFLOW_LICENSE_REFUSED',
  ServerUnreachable: 'WORKFLOW_SERVER_UNREACHABLE',
} as const;
export type WorkflowErrorCode = (typeof WorkflowErrorCode)[keyof typeof WorkflowErrorCode];

export const WORKFLOW_ERROR_MESSAGES: Readonly<Record<WorkflowErrorCode, string>> = {
  WORKFLOW_BOOTLOADER: 'The key is in firmware-update mode.',
  WORKFLOW_DISCONNECTED: 'The key was disconnected.',
  WORKFLOW_CANCELLED_BY_USER: 'You cancelled. Choose Try again, or reconnect the key.',
  WORKFLOW_CANCELLED_ON_KEY:
    'Cancelled with a long press on the key. Choose Try again, or reconnect it.',
  WORKFLOW_NOT_APPROVED: 'This computer is not approved on the server.',
  WORKFLOW_ALARM: 'The server has stopped all access (alarm).',
  WORKFLOW_SERVICE_STOPPED: 'The companion stopped.',
  WORKFLOW_LOCKED_BY_CODE: 'The key is locked after too many wrong activation codes.',
  WORKFLOW_LOCKED_BY_PIN: 'The key is locked after too many wrong PINs.',
  WORKFLOW_NOT_LINKED: 'The key has not been set up by the server.',
  WORKFLOW_PAIRING_FORGOTTEN: 'The key is no longer yours: this computer forgot it.',
  WORKFLOW_SERVER_REFUSED: 'The server refused the key.',
  WORKFLOW_KEY_ERROR: 'The key did not answer as expected.',
  WORKFLOW_NO_PROMPT: 'The key is not waiting for this input.',
  WORKFLOW_UNKNOWN_KEY: 'No such key.',
  WORKFLOW_PIN_MISMATCH: 'The new PIN and its confirmation do not match.',
  WORKFLOW_PIN_TOO_SHORT: 'The PIN is shorter than the key requires.',
  WORKFLOW_PIN_TOO_LONG: 'The PIN is longer than 8 digits.',
  WORKFLOW_PIN_WRONG: 'Wrong PIN.',
  WORKFLOW_PIN_NOT_SET: 'The key has no PIN yet: choose one with Set PIN.',
  WORKFLOW_PIN_ALREADY_SET: 'The key already has a PIN: change it with Change PIN.',
  WORKFLOW_KEY_BUSY: 'The key is busy with its connection flow.',
  WORKFLOW_KEY_CONNECTED: 'Unplug or switch off the key before removing it from this computer.',
  WORKFLOW_LICENSE_INVALID: 'The server sent a licence for the key that is empty or malformed.',
  WORKFLOW_LICENSE_REFUSED:
    'The key did not accept a licence from the server. Contact your administrator.',
  WORKFLOW_SERVER_UNREACHABLE:
    'No HES answers at this address. Check the address and your network connection.',
};

/** A flow's or a command's typed error; its IPC form is `toIpc()`, what a key's snapshot carries. */
export class WorkflowError extends CompanionError<WorkflowErrorCode | number> {
  override readonly name = 'WorkflowError';
  constructor(code: WorkflowErrorCode | number, message?: string) {
    super(
      code,
      message ?? (typeof code === 'string' ? WORKFLOW_ERROR_MESSAGES[code] : `code ${code}`),
    );
  }

  /** `{code, message}` (shared/ipc/snapshot.ts): the code may be a HideezErrorCode number. */
  toIpc(): { code: string | number; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const workflowError = (code: WorkflowErrorCode): { code: string; message: string } => ({
  code,
  message: WORKFLOW_ERROR_MESSAGES[code],
});
