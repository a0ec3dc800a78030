// Every row of hes-contract.md §2.4 with a real key: each status × each admin action, and
// each status × each state the status sync can observe on the key.
import { afterEach, describe, expect, it } from 'vitest';
import {
  OBSERVED_KEY_STATES,
  type ObservedKeyState,
} from '../../../../shared/vault/observed-key-state';
import { VaultStatus, VaultStatusReason } from '../../../../shared/vault/vault-status';
import { HesAdminError } from '../../../../emulator/hes/domain/hes-admin-error';
import type { Harness } from './hes-harness';
import { forceKey, reach } from './vault-states';
import {
  ADMIN,
  STATUS_OF,
  STATUS_SETUPS,
  SYNC,
  type AdminAction,
  type StatusSetup,
} from '../state-action-expectations';

const { Deactivated } = VaultStatus;

let open: Harness | undefined;
afterEach(async () => {
  await open?.cleanup();
  open = undefined;
});
const start = async (setup: StatusSetup): Promise<Harness> => (open = await reach(setup));

function runAdmin(h: Harness, action: AdminAction): { activationCode?: string } {
  switch (action) {
    case 'reserve': {
      const e = h.hes.addEmployee({ firstName: 'Bob', lastName: 'Jones' });
      return h.hes.reserve(h.serial, e.id);
    }
    case 'remove':
      h.hes.remove(h.serial, VaultStatusReason.Broken);
      return {};
    case 'suspend':
      return h.hes.suspend(h.serial, 'admin says so');
    case 'activate':
      return h.hes.activate(h.serial);
    case 'compromise':
      h.hes.compromise(h.serial, VaultStatusReason.Stolen, 'stolen bag');
      return {};
  }
}

describe('§2.4 status × admin action', () => {
  for (const setup of STATUS_SETUPS) {
    for (const action of Object.keys(ADMIN[setup]) as AdminAction[]) {
      const expected = ADMIN[setup][action];
      it(`${setup}: ${action} → ${String(expected)}`, async () => {
        const h = await start(setup);
        const before = h.hes.vaultStatus(h.serial);
        if (typeof expected === 'string') {
          let error: unknown;
          try {
            runAdmin(h, action);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(HesAdminError);
          expect((error as HesAdminError).code).toBe(expected);
          const after = h.hes.vaultStatus(h.serial);
          expect(after).toEqual(before);
          return;
        }
        const result = runAdmin(h, action);
        const after = h.hes.vaultStatus(h.serial);
        expect(after.status).toBe(expected);
        const last = after.history.at(-1);
        expect(last).toMatchObject({ from: STATUS_OF[setup], to: expected, actor: 'admin' });
        if (action === 'reserve' || action === 'suspend' || action === 'activate') {
          expect(result.activationCode).toMatch(/^\d{6}$/);
          expect(h.hes.activationCode(h.serial).activationCode).toBe(result.activationCode);
        }
        if (action === 'remove' && expected === Deactivated) {
          expect(after.statusReason).toBe(VaultStatusReason.Broken);
        }
        if (action === 'compromise') {
          expect(after).toMatchObject({
            statusReason: VaultStatusReason.Stolen,
            statusDescription: 'stolen bag',
          });
          expect(h.store.vaults.get(h.serial)?.masterPassword).toBeNull();
          expect(() => h.hes.activationCode(h.serial)).toThrow(HesAdminError);
        }
      });
    }
  }
});

async function observed(h: Harness): Promise<ObservedKeyState> {
  const { observeKey } = await import('../../../../shared/vault/observed-key-state');
  return observeKey(await h.info());
}

describe('§2.4 status × status-sync observation (UpdateHwVaultStatus over the sealed channel)', () => {
  for (const setup of STATUS_SETUPS) {
    for (const state of OBSERVED_KEY_STATES) {
      const expected = SYNC[setup][state];
      it(`${setup} with the key ${state} → ${expected.code} and status ${expected.status}`, async () => {
        const h = await start(setup);
        await forceKey(h, state);
        expect(await observed(h)).toBe(state);
        const response = await h.sync();
        expect(response.code).toBe(expected.code);
        // As HES: the info carries no status; an error carries no data.
        if (expected.code === 0) expect(response.data).not.toHaveProperty('status');
        else expect(response.data).toBeNull();
        const vault = h.store.vaults.get(h.serial);
        expect(vault?.status).toBe(expected.status);
        if (expected.applied !== undefined) expect(vault?.isStatusApplied).toBe(expected.applied);
        if (expected.key !== undefined) expect(await observed(h)).toBe(expected.key);
        if (expected.status !== STATUS_OF[setup]) {
          expect(h.hes.vaultStatus(h.serial).history.at(-1)).toMatchObject({
            from: STATUS_OF[setup],
            to: expected.status,
            actor: 'sync(ws-1)',
          });
        }
      });
    }
  }
});
