import { describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { stopReasonAddsToView } from '../../../shared/view/stop-reason';

describe('whether a stop reason adds to the view', () => {
  it('a server code the view came from, or a lock the view shows, is not repeated', () => {
    expect(stopReasonAddsToView(HesErrorCode.HesDeviceLocked, 'locked')).toBe(false);
    expect(stopReasonAddsToView(HesErrorCode.HesDeviceCompromised, 'compromised')).toBe(false);
    expect(stopReasonAddsToView('WORKFLOW_LOCKED_BY_PIN', 'lockedByPin')).toBe(false);
    expect(stopReasonAddsToView('WORKFLOW_PAIRING_FORGOTTEN', 'wiped')).toBe(false);
    expect(stopReasonAddsToView('WORKFLOW_DISCONNECTED', 'disconnected')).toBe(false);
    // Under a workstation gate, whatever stopped the flow follows from the gate.
    expect(stopReasonAddsToView('WORKFLOW_NOT_LINKED', 'notApproved')).toBe(false);
    expect(stopReasonAddsToView(HesErrorCode.HesAlarm, 'alarm')).toBe(false);
  });

  it('on a lock or a server verdict nothing a retry could change is shown (no Try again)', () => {
    for (const view of ['lockedByCode', 'lockedByPin', 'locked'] as const) {
      expect(stopReasonAddsToView(HesErrorCode.HesDeviceLocked, view), view).toBe(false);
      expect(stopReasonAddsToView('WORKFLOW_KEY_ERROR', view), view).toBe(false);
      expect(stopReasonAddsToView('WORKFLOW_CANCELLED_BY_USER', view), view).toBe(false);
    }
    expect(stopReasonAddsToView(HesErrorCode.HesUnknownError, 'compromised')).toBe(false);
    expect(stopReasonAddsToView('WORKFLOW_KEY_ERROR', 'notGenuine')).toBe(false);
  });

  it('a reason the view does not say is shown', () => {
    expect(stopReasonAddsToView('WORKFLOW_CANCELLED_BY_USER', 'awaitingActivation')).toBe(true);
    expect(stopReasonAddsToView('WORKFLOW_KEY_ERROR', 'active')).toBe(true);
    expect(stopReasonAddsToView(HesErrorCode.HesDeviceLocked, 'awaitingActivation')).toBe(true);
    expect(stopReasonAddsToView(HesErrorCode.HesNotConnected, 'serverUnreachable')).toBe(true);
    expect(stopReasonAddsToView(123456, 'serverError')).toBe(true);
  });
});
