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
import { forceKey, reach, STATUS_SETUPS, type StatusSetup } from './vault-states';

const { Ready, Reserved, Active, Locked, Suspended, Deactivated, Compromised } = VaultStatus;

let open: Harness | undefined;
afterEach(async () => {
  await open?.cleanup();
  open = undefined;
});
const start = async (setup: StatusSetup): Promise<Harness> => (open = await reach(setup));

const STATUS_OF: Record<StatusSetup, VaultStatus> = {
  Ready,
  Reserved,
  ReservedApplied: Reserved,
  Active,
  Locked,
  Suspended,
  SuspendedApplied: Suspended,
  Deactivated,
  Compromised,
};

type AdminAction = 'reserve' | 'remove' | 'suspend' | 'activate' | 'compromise';
/** A resulting status, or the HES-named rejection. */
type AdminExpect = VaultStatus | string;
const CANNOT_RESERVE = 'HardwareVaultCannotReserve';
const NO_REMOVE = 'HardwareVaultDoesNotAllowToRemove';
const NOT_ALLOWED = 'StatusNotAllowed';
const NO_EMPLOYEE = 'VaultHasNoEmployee';

const ADMIN: Record<StatusSetup, Record<AdminAction, AdminExpect>> = {
  Ready: {
    reserve: Reserved,
    remove: NO_REMOVE,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: NO_EMPLOYEE,
  },
  Reserved: {
    reserve: CANNOT_RESERVE,
    remove: Ready,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  ReservedApplied: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  Active: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: Suspended,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  Locked: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: Suspended,
    compromise: Compromised,
  },
  Suspended: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  SuspendedApplied: {
    reserve: CANNOT_RESERVE,
    remove: Deactivated,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: Compromised,
  },
  Deactivated: {
    reserve: CANNOT_RESERVE,
    remove: NO_REMOVE,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: NO_EMPLOYEE,
  },
  Compromised: {
    reserve: CANNOT_RESERVE,
    remove: NO_REMOVE,
    suspend: NOT_ALLOWED,
    activate: NOT_ALLOWED,
    compromise: NO_EMPLOYEE,
  },
};

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

interface SyncExpect {
  /** The envelope code of UpdateHwVaultStatus. */
  readonly code: number;
  readonly status: VaultStatus;
  /** IsStatusApplied afterwards, where it matters. */
  readonly applied?: boolean;
  /** The key's state after the call. */
  readonly key?: ObservedKeyState;
}
const same = (status: VaultStatus, code = 0): SyncExpect => ({ code, status });

const SYNC: Record<StatusSetup, Record<ObservedKeyState, SyncExpect>> = {
  Ready: {
    linkRequired: same(Ready, 611),
    unlocked: same(Ready, 611),
    lockedAttemptsLeft: same(Ready, 611),
    lockedNoAttempts: same(Ready, 611),
  },
  Reserved: {
    linkRequired: { code: 0, status: Reserved, applied: true, key: 'lockedAttemptsLeft' },
    unlocked: { code: 0, status: Active, key: 'unlocked' },
    lockedAttemptsLeft: same(Reserved),
    lockedNoAttempts: same(Locked, 615),
  },
  ReservedApplied: {
    linkRequired: { code: 0, status: Reserved, applied: true, key: 'lockedAttemptsLeft' },
    unlocked: { code: 0, status: Active, key: 'unlocked' },
    lockedAttemptsLeft: same(Reserved),
    lockedNoAttempts: same(Locked, 615),
  },
  Active: {
    linkRequired: same(Active, 620),
    unlocked: same(Active),
    lockedAttemptsLeft: same(Locked, 615),
    lockedNoAttempts: same(Locked, 615),
  },
  Locked: {
    linkRequired: same(Locked, 615),
    unlocked: same(Locked, 615),
    lockedAttemptsLeft: same(Locked, 615),
    lockedNoAttempts: same(Locked, 615),
  },
  Suspended: {
    linkRequired: { code: 620, status: Suspended, applied: false, key: 'linkRequired' },
    unlocked: { code: 0, status: Suspended, applied: true, key: 'lockedAttemptsLeft' },
    lockedAttemptsLeft: { code: 0, status: Suspended, applied: true, key: 'lockedAttemptsLeft' },
    lockedNoAttempts: { code: 0, status: Suspended, applied: true, key: 'lockedAttemptsLeft' },
  },
  SuspendedApplied: {
    linkRequired: same(Active, 620),
    unlocked: same(Active),
    lockedAttemptsLeft: same(Suspended),
    lockedNoAttempts: same(Locked, 615),
  },
  Deactivated: {
    linkRequired: { code: 1014, status: Ready, key: 'linkRequired' },
    unlocked: { code: 1014, status: Ready, key: 'linkRequired' },
    lockedAttemptsLeft: { code: 1014, status: Ready, key: 'linkRequired' },
    lockedNoAttempts: { code: 1014, status: Ready, key: 'linkRequired' },
  },
  Compromised: {
    linkRequired: same(Compromised, 614),
    unlocked: same(Compromised, 614),
    lockedAttemptsLeft: same(Compromised, 614),
    lockedNoAttempts: same(Compromised, 614),
  },
};

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
        if (expected.code === 0) expect(response.data?.status).toBe(expected.status);
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
