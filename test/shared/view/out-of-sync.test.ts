import { describe, expect, it } from 'vitest';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { detectOutOfSync, serverStatusOf } from '../../../shared/view/out-of-sync';
import type { ServerAnswer } from '../../../shared/view/server-state';
import { awaitingCode, keyInfo } from './fixtures';

const withStatus = (status: VaultStatus): ServerAnswer => ({
  kind: 'ok',
  needStateUpdate: false,
  status,
});
const pinLocked = keyInfo({ lockedByPin: true, access: { locked: true } });
const blank = keyInfo({ access: { linkRequired: true } });

describe('key and server out of sync', () => {
  it('server Active, key locked by PIN or code: report the status', () => {
    for (const key of [pinLocked, awaitingCode(0), awaitingCode(2)]) {
      expect(detectOutOfSync(key, withStatus(VaultStatus.Active))).toMatchObject({
        reason: 'serverActiveKeyLocked',
        remedy: 'reportStatus',
      });
    }
  });

  it('server Reserved or Suspended, key already unlocked: report the status', () => {
    for (const status of [VaultStatus.Reserved, VaultStatus.Suspended]) {
      expect(detectOutOfSync(keyInfo(), withStatus(status))).toMatchObject({
        reason: 'serverPendingKeyUnlocked',
        serverStatus: status,
        keyState: 'unlocked',
        remedy: 'reportStatus',
      });
      expect(detectOutOfSync(awaitingCode(0), withStatus(status))).toMatchObject({
        reason: 'serverPendingKeyExhausted',
      });
      expect(detectOutOfSync(awaitingCode(3), withStatus(status))).toBeUndefined();
    }
  });

  it('server Ready, key linked: only an admin can fix it', () => {
    expect(detectOutOfSync(keyInfo(), withStatus(VaultStatus.Ready))).toMatchObject({
      reason: 'serverReadyKeyLinked',
      remedy: 'contactAdmin',
    });
    expect(detectOutOfSync(keyInfo(), { kind: 'error', code: 611 })).toMatchObject({
      reason: 'serverReadyKeyLinked',
    });
    expect(detectOutOfSync(blank, withStatus(VaultStatus.Ready))).toBeUndefined();
  });

  it('server Active, key blank; server Locked, key usable; server Deactivated, key linked', () => {
    expect(detectOutOfSync(blank, withStatus(VaultStatus.Active))).toMatchObject({
      reason: 'serverActiveKeyBlank',
    });
    expect(detectOutOfSync(keyInfo(), { kind: 'error', code: 615 })).toMatchObject({
      reason: 'serverLockedKeyUsable',
    });
    expect(detectOutOfSync(pinLocked, { kind: 'error', code: 615 })).toBeUndefined();
    expect(detectOutOfSync(keyInfo(), withStatus(VaultStatus.Deactivated))).toMatchObject({
      reason: 'serverDeactivatedKeyLinked',
      remedy: 'reportStatus',
    });
  });

  it('agreement, an unknown side or a bootloader key is not out of sync', () => {
    expect(detectOutOfSync(keyInfo(), withStatus(VaultStatus.Active))).toBeUndefined();
    expect(detectOutOfSync(undefined, withStatus(VaultStatus.Active))).toBeUndefined();
    expect(detectOutOfSync(pinLocked, { kind: 'ok', needStateUpdate: true })).toBeUndefined();
    expect(
      detectOutOfSync(
        keyInfo({ bootloaderMode: true, lockedByPin: true }),
        withStatus(VaultStatus.Active),
      ),
    ).toBeUndefined();
    expect(detectOutOfSync(pinLocked, withStatus(VaultStatus.Compromised))).toBeUndefined();
  });

  it('the server status comes from the stand-in field first, then from 611/615/614', () => {
    expect(serverStatusOf({ kind: 'none' })).toBeUndefined();
    expect(serverStatusOf({ kind: 'error', code: 614 })).toBe(VaultStatus.Compromised);
    expect(serverStatusOf({ kind: 'error', code: 615, status: VaultStatus.Suspended })).toBe(
      VaultStatus.Suspended,
    );
    expect(serverStatusOf({ kind: 'error', code: 1001 })).toBeUndefined();
  });
});
