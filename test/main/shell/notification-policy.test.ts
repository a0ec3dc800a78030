// OS notifications: only locked, suspended, withdrawn (wiped) and compromised keys,
// once per key each time it enters one of those states.
import { describe, expect, it } from 'vitest';
import { VIEW_KIND_ORDER, type ViewKind } from '../../../shared/view/view-kind';
import { NotificationGate, notificationFor } from '../../../main/shell/notification-policy';

const NOTIFIED: ViewKind[] = [
  'locked',
  'lockedByPin',
  'lockedByCode',
  'suspended',
  'wiped',
  'compromised',
];

describe('which notices notify', () => {
  it('locked, suspended, withdrawn and compromised keys do, naming the key', () => {
    for (const kind of NOTIFIED) {
      const shown = notificationFor('ST10000000001', kind);
      expect(shown?.title, kind).toBe('Hideez Key ST10000000001');
      expect(shown?.body, kind).toMatch(/\w/);
    }
    expect(notificationFor('S', 'wiped')?.body).toMatch(/withdrawn/);
    expect(notificationFor('S', 'compromised')?.body).toMatch(/compromised/);
  });

  it('every other view does not (the window shows it)', () => {
    for (const kind of VIEW_KIND_ORDER.filter((k) => !NOTIFIED.includes(k))) {
      expect(notificationFor('S', kind), kind).toBeNull();
    }
  });
});

describe('the notification gate', () => {
  it('a key that stays locked notifies once; unlocking and relocking notifies again', () => {
    const gate = new NotificationGate();
    const seen = (kind: ViewKind, serialNo = 'A') => gate.decide({ serialNo, kind }) !== null;
    expect(seen('lockedByPin')).toBe(true);
    expect(seen('lockedByPin')).toBe(false);
    expect(seen('locked')).toBe(false); // still "locked", whatever the reason
    expect(seen('active')).toBe(false);
    expect(seen('lockedByCode')).toBe(true);
    expect(seen('suspended')).toBe(true);
  });

  it('keys are gated independently', () => {
    const gate = new NotificationGate();
    expect(gate.decide({ serialNo: 'A', kind: 'compromised' })).not.toBeNull();
    expect(gate.decide({ serialNo: 'B', kind: 'compromised' })).not.toBeNull();
    expect(gate.decide({ serialNo: 'A', kind: 'compromised' })).toBeNull();
  });

  it('a low battery notifies each time the service says so, and neither fires nor re-arms a topic', () => {
    const gate = new NotificationGate();
    expect(gate.decide({ serialNo: 'A', kind: 'locked' })).not.toBeNull();
    const low = gate.decide({ serialNo: 'A', kind: 'lowBattery' });
    expect(low?.body).toContain('battery is below 25%');
    expect(gate.decide({ serialNo: 'A', kind: 'locked' })).toBeNull();
  });
});
