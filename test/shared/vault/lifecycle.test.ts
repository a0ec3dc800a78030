import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { ACTION_TABLE, Effect } from '../../../shared/vault/action-table';
import {
  LIFECYCLE_ACTION_IDS,
  LIFECYCLE_ACTIONS,
  type LifecycleAction,
} from '../../../shared/vault/lifecycle-action';
import {
  canPerform,
  COMPROMISE_REASONS,
  isAllowed,
  LIFECYCLE_TRANSITIONS,
  type LifecycleTrigger,
  nextStatuses,
  REMOVAL_REASONS,
  STATUS_REASONS,
  transition,
} from '../../../shared/vault/lifecycle';
import {
  VAULT_STATUSES,
  VaultStatus,
  VaultStatusReason,
  vaultStatusName,
} from '../../../shared/vault/vault-status';

const { Ready, Reserved, Active, Locked, Suspended, Deactivated, Compromised } = VaultStatus;
const contexts = [{ statusApplied: true }, { statusApplied: false }];
const allowedFrom = (action: LifecycleAction, context = { statusApplied: true }) =>
  VAULT_STATUSES.filter((s) => isAllowed(s, action, context));

describe('the state × action table', () => {
  it('has a cell for every action and every status', () => {
    expect(LIFECYCLE_ACTIONS.map((a) => a.action).sort()).toEqual(Object.keys(ACTION_TABLE).sort());
    for (const action of LIFECYCLE_ACTION_IDS) {
      for (const status of VAULT_STATUSES) {
        for (const context of contexts) {
          const outcome = canPerform(status, action, context);
          expect(['succeeds', 'rejected']).toContain(outcome.result);
        }
      }
    }
  });

  it('nothing leaves Compromised', () => {
    for (const action of LIFECYCLE_ACTION_IDS) {
      for (const context of contexts) {
        const outcome = canPerform(Compromised, action, context);
        if (outcome.result === 'succeeds') expect(outcome.to).toBe(Compromised);
      }
    }
    expect(nextStatuses(Compromised)).toEqual([]);
  });

  it('Reserve only from Ready, with a new activation code', () => {
    expect(allowedFrom('reserve')).toEqual([Ready]);
    const result = transition(Ready, { action: 'reserve' });
    expect(result).toMatchObject({ ok: true, to: Reserved, newActivationCode: true });
    expect(canPerform(Active, 'reserve')).toEqual({
      result: 'rejected',
      rejection: { source: 'server', name: 'HardwareVaultCannotReserve' },
      note: 'Reserved only from Ready',
    });
  });

  it('Activate only from Locked, and it leads to Suspended with a new code (not Active)', () => {
    expect(allowedFrom('activate')).toEqual([Locked]);
    expect(transition(Locked, { action: 'activate' })).toMatchObject({
      ok: true,
      to: Suspended,
      newActivationCode: true,
      reason: VaultStatusReason.None,
    });
  });

  it('Suspend only from Active, with a new code and the admin description', () => {
    expect(allowedFrom('suspend')).toEqual([Active]);
    expect(transition(Active, { action: 'suspend', description: 'on leave' })).toMatchObject({
      ok: true,
      to: Suspended,
      newActivationCode: true,
      description: 'on leave',
    });
  });

  it('Remove only from Reserved/Active/Locked/Suspended, carrying the reason', () => {
    for (const context of contexts) {
      expect(allowedFrom('remove', context)).toEqual([Reserved, Active, Locked, Suspended]);
    }
    for (const reason of REMOVAL_REASONS) {
      for (const from of [Active, Locked, Suspended]) {
        expect(transition(from, { action: 'remove', reason })).toMatchObject({
          ok: true,
          to: Deactivated,
          reason,
        });
      }
    }
  });

  it('removing a Reserved key that was never linked goes straight back to Ready', () => {
    const result = transition(
      Reserved,
      { action: 'remove', reason: VaultStatusReason.Withdrawal },
      { statusApplied: false },
    );
    expect(result).toMatchObject({ ok: true, to: Ready, reason: VaultStatusReason.None });
    expect(result.ok && result.effects).toContain(Effect.ActivationCanceled);
    expect(
      transition(
        Reserved,
        { action: 'remove', reason: VaultStatusReason.Broken },
        { statusApplied: true },
      ),
    ).toMatchObject({ ok: true, to: Deactivated, reason: VaultStatusReason.Broken });
  });

  it('Compromise from any assigned status, with Lost or Stolen', () => {
    expect(allowedFrom('compromise')).toEqual([Reserved, Active, Locked, Suspended]);
    for (const reason of COMPROMISE_REASONS) {
      expect(
        transition(Active, { action: 'compromise', reason, description: 'left on a train' }),
      ).toMatchObject({
        ok: true,
        to: Compromised,
        reason,
        description: 'left on a train',
      });
    }
  });

  it('accounts: added in Reserved (queued) or Active; changed and deleted only in Active', () => {
    expect(allowedFrom('addAccount')).toEqual([Reserved, Active]);
    const queued = canPerform(Reserved, 'addAccount');
    expect(queued.result === 'succeeds' && queued.effects).toEqual([Effect.AccountsQueued]);
    expect(allowedFrom('changeAccount')).toEqual([Active]);
    expect(allowedFrom('deleteAccount')).toEqual([Active]);
    expect(allowedFrom('changeProfile')).toEqual([Active]);
    expect(allowedFrom('useAccounts')).toEqual([Active]);
  });

  it('the activation code is shown only for Reserved and Suspended', () => {
    expect(allowedFrom('showActivationCode')).toEqual([Reserved, Suspended]);
  });

  it('entering the activation code makes a Reserved or Suspended key Active', () => {
    expect(allowedFrom('enterActivationCode')).toEqual([Reserved, Suspended]);
    expect(transition(Reserved, { action: 'enterActivationCode' })).toMatchObject({
      ok: true,
      to: Active,
    });
    expect(transition(Suspended, { action: 'enterActivationCode' })).toMatchObject({
      ok: true,
      to: Active,
    });
    expect(canPerform(Active, 'enterActivationCode')).toMatchObject({
      rejection: { source: 'device', code: DeviceErrorCode.ERR_NOT_LOCKED },
    });
  });

  it('a PIN is entered or set only on an Active key; a Reserved key is still locked by its code', () => {
    for (const action of ['enterPin', 'setPin'] as const) {
      expect(allowedFrom(action)).toEqual([Active]);
      expect(canPerform(Reserved, action)).toMatchObject({
        rejection: { source: 'device', code: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE },
      });
    }
  });
});

describe('the status sync rows (hes-contract §2.2/§2.4)', () => {
  const syncs = [
    'syncLinkRequired',
    'syncUnlocked',
    'syncLockedAttemptsLeft',
    'syncLockedNoAttempts',
  ] as const;

  it('Ready answers 611, Locked 615, Compromised 614 whatever the key says', () => {
    for (const action of syncs) {
      for (const context of contexts) {
        expect(canPerform(Ready, action, context)).toMatchObject({ rejection: { code: 611 } });
        expect(canPerform(Locked, action, context)).toMatchObject({ rejection: { code: 615 } });
        expect(canPerform(Compromised, action, context)).toMatchObject({
          rejection: { code: 614 },
        });
      }
    }
  });

  it('a Deactivated key is wiped back to Ready and the client gets 1014', () => {
    for (const action of syncs) {
      const result = transition(Deactivated, { action });
      expect(result).toMatchObject({ ok: true, to: Ready, reply: HesErrorCode.DeviceHasBeenWiped });
      expect(result.ok && result.effects.includes(Effect.Wipe)).toBe(action !== 'syncLinkRequired');
    }
  });

  it('a blank Reserved key gets linked and stays Reserved', () => {
    const outcome = canPerform(Reserved, 'syncLinkRequired');
    expect(outcome).toMatchObject({ result: 'succeeds', to: Reserved });
    expect(outcome.result === 'succeeds' && outcome.effects).toContain(Effect.Link);
  });

  it('Reserved → Active once the key is unlocked, with the profile applied', () => {
    const outcome = canPerform(Reserved, 'syncUnlocked');
    expect(outcome).toMatchObject({ result: 'succeeds', to: Active });
    expect(outcome.result === 'succeeds' && outcome.effects).toContain(Effect.Access);
  });

  it('Active → Locked when the key reports itself locked, and the reply is 615', () => {
    for (const action of ['syncLockedAttemptsLeft', 'syncLockedNoAttempts'] as const) {
      expect(canPerform(Active, action)).toMatchObject({ to: Locked, reply: 615 });
    }
    expect(canPerform(Active, 'syncUnlocked')).toMatchObject({ to: Active });
  });

  it('Suspended: first the new code is sent, then the unlocked key becomes Active', () => {
    const first = canPerform(Suspended, 'syncUnlocked', { statusApplied: false });
    expect(first).toMatchObject({ result: 'succeeds', to: Suspended });
    expect(first.result === 'succeeds' && first.effects).toContain(Effect.LockDeviceCode);
    expect(canPerform(Suspended, 'syncUnlocked', { statusApplied: true })).toMatchObject({
      to: Active,
    });
    expect(canPerform(Suspended, 'syncLockedNoAttempts', { statusApplied: true })).toMatchObject({
      to: Locked,
    });
  });

  it('three wrong codes on a Reserved key make it Locked at the next sync', () => {
    expect(transition(Reserved, { action: 'syncLockedNoAttempts' })).toMatchObject({
      ok: true,
      to: Locked,
    });
    expect(canPerform(Reserved, 'syncLockedAttemptsLeft')).toMatchObject({ to: Reserved });
  });
});

describe('transitions derived from the table', () => {
  it('every listed transition is one canPerform agrees with', () => {
    for (const t of LIFECYCLE_TRANSITIONS) {
      const context = { statusApplied: t.when !== 'statusNotApplied' };
      expect(canPerform(t.from, t.action, context)).toMatchObject({ result: 'succeeds', to: t.to });
      expect(t.from).not.toBe(t.to);
    }
  });

  it('the reasons after each transition are ones the target status may carry', () => {
    for (const t of LIFECYCLE_TRANSITIONS) {
      for (const reason of t.reasons) expect(STATUS_REASONS[t.to]).toContain(reason);
    }
  });

  it('contains the named edges of the lifecycle', () => {
    const has = (from: VaultStatus, to: VaultStatus, action: string) =>
      LIFECYCLE_TRANSITIONS.some((t) => t.from === from && t.to === to && t.action === action);
    expect(has(Ready, Reserved, 'reserve')).toBe(true);
    expect(has(Reserved, Active, 'syncUnlocked')).toBe(true);
    expect(has(Active, Locked, 'syncLockedNoAttempts')).toBe(true);
    expect(has(Locked, Suspended, 'activate')).toBe(true);
    expect(has(Suspended, Active, 'syncUnlocked')).toBe(true);
    expect(has(Deactivated, Ready, 'syncUnlocked')).toBe(true);
    expect(has(Reserved, Ready, 'remove')).toBe(true);
    for (const from of [Reserved, Active, Locked, Suspended]) {
      expect(has(from, Deactivated, 'remove')).toBe(true);
      expect(has(from, Compromised, 'compromise')).toBe(true);
    }
  });

  it('property: transition agrees with canPerform for every status, action and context', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VAULT_STATUSES),
        fc.constantFrom(...LIFECYCLE_ACTION_IDS),
        fc.boolean(),
        fc.constantFrom(...REMOVAL_REASONS),
        fc.constantFrom(...COMPROMISE_REASONS),
        (status, action, statusApplied, removal, compromise) => {
          const trigger =
            action === 'remove'
              ? { action, reason: removal }
              : action === 'compromise'
                ? { action, reason: compromise }
                : { action };
          const result = transition(status, trigger as LifecycleTrigger, { statusApplied });
          const outcome = canPerform(status, action, { statusApplied });
          expect(result.ok).toBe(outcome.result === 'succeeds');
          if (result.ok && outcome.result === 'succeeds') {
            expect(result.to).toBe(outcome.to);
            expect(STATUS_REASONS[result.to]).toContain(result.reason);
          }
        },
      ),
    );
  });

  it('a Locked vault keeps its reason through a sync that leaves it Locked', () => {
    expect(
      transition(
        Active,
        { action: 'syncLockedNoAttempts' },
        { statusApplied: true, reason: VaultStatusReason.None },
      ),
    ).toMatchObject({ to: Locked, reason: VaultStatusReason.None });
  });

  it('an unknown status or action is a TypeError, not a wrong answer', () => {
    expect(() => canPerform(9 as VaultStatus, 'reserve')).toThrow(TypeError);
    expect(() => canPerform(Ready, 'fly' as LifecycleAction)).toThrow(TypeError);
  });

  it('status names in the table are the VaultStatus names', () => {
    for (const row of Object.values(ACTION_TABLE)) {
      expect(Object.keys(row).sort()).toEqual(VAULT_STATUSES.map(vaultStatusName).sort());
    }
  });
});
