// The HES end-to-end flows (hes-contract.md §2.5) walked through the lifecycle table,
// NeedStateUpdate and the view together: what the server records and what the user
// sees at each step must agree.
import { describe, expect, it } from 'vitest';
import { CodeLockReason, type KeyInfo } from '../../shared/key/key-info';
import { transition, type TransitionResult } from '../../shared/vault/lifecycle';
import { syncActionFor } from '../../shared/vault/lifecycle-action';
import { needStateUpdate } from '../../shared/vault/need-state-update';
import { observeKey } from '../../shared/vault/observed-key-state';
import {
  VaultStatus,
  VaultStatusReason,
  type VaultStatus as Status,
} from '../../shared/vault/vault-status';
import { deriveKeyView } from '../../shared/view/key-view';
import type { ServerAnswer } from '../../shared/view/server-state';
import { awaitingCode, keyInfo } from './view/fixtures';

const connected = { state: 'connected' } as const;
const blank = keyInfo({ access: { linkRequired: true } });
const unlocked = keyInfo();
const suspendedKey = (attempts: number): KeyInfo => ({
  ...awaitingCode(attempts),
  codeLockReason: CodeLockReason.Suspension,
});
const pinLocked = keyInfo({ lockedByPin: true, access: { locked: true } });

/** What the server answers UpdateHwVaultProperties with, for a key in this state. */
function properties(status: Status, key: KeyInfo): ServerAnswer {
  const need = needStateUpdate(status, observeKey(key));
  return need.ok
    ? { kind: 'ok', needStateUpdate: need.needStateUpdate }
    : { kind: 'error', code: need.code };
}
/** The status sync the server runs when asked. */
function sync(status: Status, key: KeyInfo, statusApplied: boolean): TransitionResult {
  return transition(status, { action: syncActionFor(observeKey(key)) }, { statusApplied });
}
const seen = (key: KeyInfo, answer: ServerAnswer) =>
  deriveKeyView({ key, answer, connection: connected });
const to = (result: TransitionResult): Status => {
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.rejection)}`);
  return result.to;
};

describe('first assignment and activation', () => {
  it('Ready → Reserved → linked → code entered → Active', () => {
    const reserved = transition(VaultStatus.Ready, { action: 'reserve' });
    expect(reserved).toMatchObject({ ok: true, newActivationCode: true });
    let status = to(reserved);

    // The blank key is reported; the server asks for a status sync and links it.
    expect(properties(status, blank)).toEqual({ kind: 'ok', needStateUpdate: true });
    expect(seen(blank, properties(status, blank)).kind).toBe('checking');
    const link = sync(status, blank, false);
    expect(link.ok && link.effects).toContain('link');
    status = to(link);
    expect(status).toBe(VaultStatus.Reserved);

    // Now locked by the code: nothing more to sync; the user is asked for the code.
    const linked = awaitingCode(3);
    expect(properties(status, linked)).toEqual({ kind: 'ok', needStateUpdate: false });
    expect(seen(linked, properties(status, linked))).toMatchObject({
      kind: 'awaitingActivation',
      params: { attemptsRemain: 3 },
    });

    // The right code unlocks the key; the next report asks for the sync that makes it Active.
    expect(properties(status, unlocked)).toEqual({ kind: 'ok', needStateUpdate: true });
    status = to(sync(status, unlocked, true));
    expect(status).toBe(VaultStatus.Active);
    expect(seen(unlocked, properties(status, unlocked)).kind).toBe('active');
  });
});

describe('failed activation', () => {
  it('three wrong activation codes lock the key and the server records Locked', () => {
    const exhausted = awaitingCode(0);
    expect(properties(VaultStatus.Reserved, exhausted)).toEqual({
      kind: 'ok',
      needStateUpdate: true,
    });
    const locked = sync(VaultStatus.Reserved, exhausted, true);
    expect(locked).toMatchObject({ ok: true, to: VaultStatus.Locked, reply: 615 });
    expect(seen(exhausted, { kind: 'error', code: 615 }).kind).toBe('lockedByCode');
    expect(properties(VaultStatus.Locked, exhausted)).toEqual({ kind: 'error', code: 615 });
  });

  it('the admin activates the Locked key: Suspended with a new code, then Active after it is entered', () => {
    let status = to(transition(VaultStatus.Locked, { action: 'activate' }));
    expect(status).toBe(VaultStatus.Suspended);
    const exhausted = awaitingCode(0);
    expect(properties(status, exhausted)).toEqual({ kind: 'ok', needStateUpdate: true });
    const relock = sync(status, exhausted, false);
    expect(relock.ok && relock.effects).toContain('lockDeviceCode');
    status = to(relock);

    const waiting = suspendedKey(3);
    expect(properties(status, waiting)).toEqual({ kind: 'ok', needStateUpdate: false });
    expect(seen(waiting, properties(status, waiting))).toMatchObject({
      kind: 'suspended',
      params: { attemptsRemain: 3 },
    });

    status = to(sync(status, unlocked, true));
    expect(status).toBe(VaultStatus.Active);
  });
});

describe('PIN lockout', () => {
  it('too many wrong PINs: the Active key becomes Locked and the user is told it is locked by PIN', () => {
    expect(properties(VaultStatus.Active, pinLocked)).toEqual({
      kind: 'ok',
      needStateUpdate: true,
    });
    // Before the sync, the key's own lock already wins over the server's "ok".
    expect(seen(pinLocked, properties(VaultStatus.Active, pinLocked)).kind).toBe('lockedByPin');
    expect(sync(VaultStatus.Active, pinLocked, true)).toMatchObject({
      ok: true,
      to: VaultStatus.Locked,
      reply: 615,
    });
    expect(seen(pinLocked, { kind: 'error', code: 615 }).kind).toBe('lockedByPin');
  });
});

describe('suspend', () => {
  it('the admin suspends an Active key; the next connection locks it with the new code', () => {
    const suspended = transition(VaultStatus.Active, {
      action: 'suspend',
      description: 'on leave',
    });
    expect(suspended).toMatchObject({
      ok: true,
      to: VaultStatus.Suspended,
      newActivationCode: true,
      description: 'on leave',
    });
    const status = to(suspended);
    // HES quirk: a not-yet-locked key gives NeedStateUpdate=true, and the sync sends LockDeviceCode.
    expect(properties(status, unlocked)).toEqual({ kind: 'ok', needStateUpdate: true });
    expect(sync(status, unlocked, false)).toMatchObject({ ok: true, to: VaultStatus.Suspended });
    const view = seen(suspendedKey(3), { kind: 'ok', needStateUpdate: false });
    expect(view).toMatchObject({ kind: 'suspended', params: { attemptsRemain: 3 } });
  });
});

describe('withdrawal', () => {
  it('a removed key is wiped at its next connection and the user is told so', () => {
    const removed = transition(VaultStatus.Active, {
      action: 'remove',
      reason: VaultStatusReason.Withdrawal,
    });
    expect(removed).toMatchObject({
      ok: true,
      to: VaultStatus.Deactivated,
      reason: VaultStatusReason.Withdrawal,
    });
    const status = to(removed);
    expect(properties(status, unlocked)).toEqual({ kind: 'ok', needStateUpdate: true });
    const wiped = sync(status, unlocked, true);
    expect(wiped).toMatchObject({ ok: true, to: VaultStatus.Ready, reply: 1014 });
    expect(seen(blank, { kind: 'error', code: 1014 }).kind).toBe('wiped');
  });
});

describe('compromise', () => {
  it('a lost key is compromised for good and every answer says so', () => {
    const status = to(
      transition(VaultStatus.Active, { action: 'compromise', reason: VaultStatusReason.Lost }),
    );
    for (const key of [unlocked, pinLocked, awaitingCode(3), blank]) {
      expect(properties(status, key)).toEqual({ kind: 'error', code: 614 });
      expect(seen(key, properties(status, key)).kind).toBe('compromised');
      expect(sync(status, key, true).ok).toBe(false);
    }
  });
});
