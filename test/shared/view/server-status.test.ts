// The vault status the companion reads from what HES says (HES never sends the status).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodeLockReason } from '../../../shared/key/key-info';
import { needStateUpdate } from '../../../shared/vault/need-state-update';
import { observeKey, OBSERVED_KEY_STATES } from '../../../shared/vault/observed-key-state';
import { VAULT_STATUSES, VaultStatus } from '../../../shared/vault/vault-status';
import {
  inferServerStatus,
  isSuspension,
  settledStatuses,
  statusFromCode,
} from '../../../shared/view/server-status';
import { awaitingCode, keyInfo } from './fixtures';

const settled = { kind: 'ok', needStateUpdate: false } as const;

describe('the server status as HES reveals it', () => {
  it('its refusal codes name the status; 1014 means wiped back to Ready', () => {
    expect(statusFromCode({ kind: 'error', code: 611 })).toBe(VaultStatus.Ready);
    expect(statusFromCode({ kind: 'error', code: 615 })).toBe(VaultStatus.Locked);
    expect(statusFromCode({ kind: 'error', code: 614 })).toBe(VaultStatus.Compromised);
    expect(statusFromCode({ kind: 'error', code: 1014 })).toBe(VaultStatus.Ready);
    expect(statusFromCode({ kind: 'error', code: 511 })).toBeUndefined();
    expect(statusFromCode(settled)).toBeUndefined();
  });

  it('an Ok answer without NeedStateUpdate is read back through HES’s own rule', () => {
    expect(inferServerStatus(settled, keyInfo(), undefined)).toBe(VaultStatus.Active);
    // A key that does not say why it is code-locked (a Hideez Key 3).
    const silent = { ...awaitingCode(3), codeLockReason: CodeLockReason.None };
    expect(inferServerStatus(settled, silent, undefined)).toBe(VaultStatus.Reserved);
    expect(inferServerStatus(settled, silent, VaultStatus.Active)).toBe(VaultStatus.Suspended);
    expect(
      inferServerStatus(
        settled,
        { ...awaitingCode(3), codeLockReason: CodeLockReason.Suspension },
        undefined,
      ),
    ).toBe(VaultStatus.Suspended);
    expect(
      inferServerStatus(
        settled,
        { ...awaitingCode(3), codeLockReason: CodeLockReason.FirstActivation },
        VaultStatus.Active,
      ),
    ).toBe(VaultStatus.Reserved);
  });

  it('says nothing while HES is about to change the status, or before the key is read', () => {
    expect(inferServerStatus({ kind: 'ok', needStateUpdate: true }, keyInfo(), undefined)).toBe(
      undefined,
    );
    expect(inferServerStatus(settled, undefined, VaultStatus.Active)).toBeUndefined();
    expect(inferServerStatus({ kind: 'none' }, keyInfo(), VaultStatus.Active)).toBeUndefined();
    expect(
      inferServerStatus(settled, keyInfo({ bootloaderMode: true }), undefined),
    ).toBeUndefined();
  });

  it('every status it infers from an Ok answer is one HES would answer that way about that key', () => {
    for (const state of OBSERVED_KEY_STATES) {
      for (const status of settledStatuses(state)) {
        expect(needStateUpdate(status, state)).toEqual({ ok: true, needStateUpdate: false });
      }
    }
    fc.assert(
      fc.property(
        fc.constantFrom(keyInfo(), awaitingCode(1), awaitingCode(3), awaitingCode(0)),
        fc.constantFrom(undefined, ...VAULT_STATUSES),
        (key, lastKnown) => {
          const status = inferServerStatus(settled, key, lastKnown);
          if (status !== undefined) {
            expect(settledStatuses(observeKey(key))).toContain(status);
          }
        },
      ),
    );
  });

  it('a code lock is a suspension when the key says so, or after the key was activated here', () => {
    const none = { codeLockReason: CodeLockReason.None };
    expect(isSuspension(none, undefined)).toBe(false);
    expect(isSuspension(none, VaultStatus.Reserved)).toBe(false);
    expect(isSuspension(none, VaultStatus.Ready)).toBe(false);
    for (const status of [VaultStatus.Active, VaultStatus.Locked, VaultStatus.Suspended]) {
      expect(isSuspension(none, status)).toBe(true);
    }
    expect(isSuspension({ codeLockReason: CodeLockReason.Suspension }, undefined)).toBe(true);
    expect(
      isSuspension({ codeLockReason: CodeLockReason.FirstActivation }, VaultStatus.Active),
    ).toBe(false);
  });
});
