// Puts a fresh stand-in + key into each vault status through the real flows, and forces the
// key into each state the status sync can observe (as a second server would, on the same counter).
import { expect } from 'vitest';
import { VaultStatus, VaultStatusReason } from '../../../../shared/vault/vault-status';
import type { ObservedKeyState } from '../../../../shared/vault/observed-key-state';
import { RemoteOpCode } from '../../../../emulator/remote-channel/ops';
import { ascii } from '../../key/key-hosts';
import { foreignMasterKey, harness, WRONG_CODE, type Harness } from './hes-harness';
import { STATUS_SETUPS, type StatusSetup } from '../state-action-expectations';

export { STATUS_SETUPS, type StatusSetup };

export const pendingCode = (h: Harness): string => h.hes.activationCode(h.serial).activationCode;

/** Reserve for a new employee, Link through a sync; returns the code. */
export async function reserveAndLink(h: Harness): Promise<string> {
  const employee = h.hes.addEmployee({ firstName: 'Alice', lastName: 'Smith', email: 'a@corp' });
  const { activationCode } = h.hes.reserve(h.serial, employee.id);
  await h.announce();
  expect((await h.sync()).code).toBe(0);
  return activationCode;
}

/** First activation through the real flow: Link, the user's code, Access → Active. */
export async function activateFirst(h: Harness): Promise<void> {
  const code = await reserveAndLink(h);
  expect((await h.unlock(code)).status).toBe(0);
  expect((await h.sync()).code).toBe(0);
  expect(h.hes.vaultStatus(h.serial).status).toBe(VaultStatus.Active);
}

/**
 * Puts the vault in `setup` and leaves it announced. An admin action on an announced vault
 * starts HES's server-started session (its outcome is awaited); the not-applied Suspended is
 * reached as HES reaches it: suspended while the key was away.
 */
export async function reach(setup: StatusSetup): Promise<Harness> {
  const h = await harness();
  await h.approve();
  switch (setup) {
    case 'Ready':
      break;
    case 'Reserved': {
      const e = h.hes.addEmployee({ firstName: 'Alice', lastName: 'Smith' });
      h.hes.reserve(h.serial, e.id);
      break;
    }
    case 'ReservedApplied':
      await reserveAndLink(h);
      break;
    case 'Active':
      await activateFirst(h);
      break;
    case 'Locked': {
      await reserveAndLink(h);
      for (let i = 0; i < 3; i++) await h.unlock(WRONG_CODE);
      expect((await h.sync()).code).toBe(615);
      break;
    }
    case 'Suspended':
      await activateFirst(h);
      await h.offline();
      h.hes.suspend(h.serial, 'left on a train');
      break;
    case 'SuspendedApplied': {
      await activateFirst(h);
      const { outcome } = await h.background(() => h.hes.suspend(h.serial));
      expect(outcome).toMatchObject({ job: 'UpdateHardwareVaultStatus', code: 0 });
      break;
    }
    case 'Deactivated': {
      await activateFirst(h);
      const { outcome } = await h.background(() =>
        h.hes.remove(h.serial, VaultStatusReason.Withdrawal),
      );
      expect(outcome).toMatchObject({ job: 'UpdateHardwareVaultAccounts', code: 0 });
      break;
    }
    case 'Compromised': {
      await activateFirst(h);
      const { outcome } = await h.background(() =>
        h.hes.compromise(h.serial, VaultStatusReason.Lost),
      );
      expect(outcome).toMatchObject({ job: 'UpdateHardwareVaultStatus', code: 614 });
      break;
    }
  }
  await h.announce();
  return h;
}

/** Forces the key into `state` whatever the database says. */
export async function forceKey(h: Harness, state: ObservedKeyState): Promise<void> {
  const info = await h.info();
  const dbMaster = h.store.vaults.get(h.serial)?.masterPassword;
  const linkMaster = dbMaster ? new Uint8Array(Buffer.from(dbMaster, 'hex')) : foreignMasterKey();
  const code = '424242';
  const master = (): Uint8Array => {
    if (!h.keyMaster) throw new Error('the test does not know the key master');
    return h.keyMaster;
  };
  const relock = async (): Promise<void> => {
    const reply = info.access.linkRequired
      ? await h.direct({
          op: RemoteOpCode.Link,
          masterKey: linkMaster,
          code: ascii(code),
          attempts: 3,
        })
      : await h.direct({
          op: RemoteOpCode.LockDeviceCode,
          masterKey: master(),
          code: ascii(code),
          attempts: 3,
        });
    expect(reply.status).toBe(0);
  };
  switch (state) {
    case 'linkRequired':
      if (!info.access.linkRequired) {
        expect((await h.direct({ op: RemoteOpCode.Wipe, masterKey: master() })).status).toBe(0);
      }
      break;
    case 'unlocked':
      await relock();
      expect((await h.unlock(code)).status).toBe(0);
      break;
    case 'lockedAttemptsLeft':
      await relock();
      break;
    case 'lockedNoAttempts':
      await relock();
      for (let i = 0; i < 3; i++) await h.unlock(WRONG_CODE);
      break;
  }
}
