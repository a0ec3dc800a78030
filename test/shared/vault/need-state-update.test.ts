import { describe, expect, it } from 'vitest';
import { isAllowed } from '../../../shared/vault/lifecycle';
import { needStateUpdate } from '../../../shared/vault/need-state-update';
import {
  OBSERVED_KEY_STATES,
  ObservedKeyState,
  observeKey,
} from '../../../shared/vault/observed-key-state';
import { syncActionFor } from '../../../shared/vault/lifecycle-action';
import { VAULT_STATUSES, VaultStatus } from '../../../shared/vault/vault-status';
import { keyInfo } from '../view/fixtures';

describe('NeedStateUpdate (hes-contract §2.3)', () => {
  it('Ready, Locked and Compromised answer with their error codes', () => {
    for (const observed of OBSERVED_KEY_STATES) {
      expect(needStateUpdate(VaultStatus.Ready, observed)).toEqual({ ok: false, code: 611 });
      expect(needStateUpdate(VaultStatus.Locked, observed)).toEqual({ ok: false, code: 615 });
      expect(needStateUpdate(VaultStatus.Compromised, observed)).toEqual({ ok: false, code: 614 });
      expect(needStateUpdate(VaultStatus.Deactivated, observed)).toEqual({
        ok: true,
        needStateUpdate: true,
      });
    }
  });

  it('a Reserved key waiting for its code needs no update; a blank or unlocked one does', () => {
    expect(needStateUpdate(VaultStatus.Reserved, 'lockedAttemptsLeft')).toEqual({
      ok: true,
      needStateUpdate: false,
    });
    expect(needStateUpdate(VaultStatus.Reserved, 'linkRequired')).toEqual({
      ok: true,
      needStateUpdate: true,
    });
    expect(needStateUpdate(VaultStatus.Reserved, 'unlocked')).toEqual({
      ok: true,
      needStateUpdate: true,
    });
    expect(needStateUpdate(VaultStatus.Active, 'unlocked')).toEqual({
      ok: true,
      needStateUpdate: false,
    });
    expect(needStateUpdate(VaultStatus.Active, 'lockedNoAttempts')).toEqual({
      ok: true,
      needStateUpdate: true,
    });
  });

  it('an error answer is the same code the sync row rejects with', () => {
    for (const status of VAULT_STATUSES) {
      for (const observed of OBSERVED_KEY_STATES) {
        const need = needStateUpdate(status, observed);
        if (!need.ok) expect(isAllowed(status, syncActionFor(observed))).toBe(false);
      }
    }
  });
});

describe('observing a key as HES does', () => {
  it('classifies blank, unlocked, code-locked and PIN-locked keys', () => {
    expect(observeKey(keyInfo({ access: { linkRequired: true } }))).toBe(
      ObservedKeyState.LinkRequired,
    );
    expect(observeKey(keyInfo({}))).toBe(ObservedKeyState.Unlocked);
    expect(
      observeKey(keyInfo({ lockedByCode: true, canUnlock: true, unlockAttemptsRemain: 2 })),
    ).toBe(ObservedKeyState.LockedAttemptsLeft);
    expect(
      observeKey(keyInfo({ lockedByCode: true, canUnlock: false, unlockAttemptsRemain: 0 })),
    ).toBe(ObservedKeyState.LockedNoAttempts);
    expect(observeKey(keyInfo({ lockedByPin: true }))).toBe(ObservedKeyState.LockedNoAttempts);
    expect(observeKey(keyInfo({ access: { locked: true } }))).toBe(
      ObservedKeyState.LockedNoAttempts,
    );
  });
});
