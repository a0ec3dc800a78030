// Whether the reason a key's flow stopped says more than its view already does. A
// server code the view was derived from (615 → locked, 614 → compromised, …) or a lock
// the view shows would only repeat it in technical words; a cancel, a timeout or a
// key error does add something, and is shown with "Try again". On a final view (a lock
// or a server verdict) nothing the user retries can change it, so no reason is shown
// there: the view says what to do, and the code stays in the log.
import { isServerErrorCode, SERVER_CODE_VIEWS } from './key-view';
import type { ViewKind } from './view-kind';

/** The workflow's stop codes (main/workflow/workflow-error.ts) that a view already says. */
const SAID_BY_VIEW: Readonly<Record<string, readonly ViewKind[]>> = {
  WORKFLOW_LOCKED_BY_CODE: ['lockedByCode', 'locked'],
  WORKFLOW_LOCKED_BY_PIN: ['lockedByPin', 'locked'],
  WORKFLOW_NOT_APPROVED: ['notApproved'],
  WORKFLOW_ALARM: ['alarm'],
  WORKFLOW_BOOTLOADER: ['bootloader'],
  WORKFLOW_DISCONNECTED: ['disconnected', 'lockedByCode', 'lockedByPin', 'locked'],
  WORKFLOW_NOT_LINKED: ['notAssigned', 'notInitialized'],
  WORKFLOW_PAIRING_FORGOTTEN: [
    'wiped',
    'compromised',
    'notAssigned',
    'unknownToServer',
    'manuallyWiped',
    'linkedToAnotherServer',
    'wipedOnAnotherServer',
  ],
};

/**
 * Views whose cause is the workstation (the gates) or that only the administrator or the
 * server can change (locks, verdicts): what stopped the flow follows from them, and a
 * retry cannot succeed. The card updates by itself when the state changes.
 */
const FINAL: ReadonlySet<ViewKind> = new Set([
  'notApproved',
  'alarm',
  'lockedByPin',
  'lockedByCode',
  'locked',
  'compromised',
  'wiped',
  'manuallyWiped',
  'linkedToAnotherServer',
  'wipedOnAnotherServer',
  'unknownToServer',
  'notGenuine',
]);

export function stopReasonAddsToView(code: string | number, view: ViewKind): boolean {
  if (FINAL.has(view)) return false;
  if (typeof code === 'number')
    return !(isServerErrorCode(code) && SERVER_CODE_VIEWS[code] === view);
  return !(SAID_BY_VIEW[code]?.includes(view) ?? false);
}
