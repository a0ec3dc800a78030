// Every row of hes-contract.md §2.4 end to end: each vault status, reached through the real
// companion client (@microsoft/signalr) ⇄ the real stand-in ⇄ a real VirtualKey on its HID
// link, × each admin action (over the admin REST API), and × each key state the status sync
// can observe (UpdateHwVaultStatus from the client, its sealed commands relayed by the client
// to the key). One server and one approved workstation per describe; a fresh key per test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VaultStatusReport } from '../../../emulator/hes/domain/hes-stand-in';
import { HesErrorReason } from '../../../main/hes/hes-error';
import { OBSERVED_KEY_STATES } from '../../../shared/vault/observed-key-state';
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';
import type { HidKey } from './hid-key';
import { approvedCompanion, rest, startRig, type Companion, type Rig } from './stand-in-rig';
import { Workflow } from './workflow';
import {
  ADMIN,
  STATUS_OF,
  STATUS_SETUPS,
  SYNC,
  type AdminAction,
} from '../../emulator/hes/state-action-expectations';

const { Deactivated } = VaultStatus;

let rig: Rig;
let companion: Companion;
let flow: Workflow;

beforeAll(async () => {
  rig = await startRig();
  companion = await approvedCompanion(rig);
  flow = new Workflow(rig, companion);
});
afterEach(() => flow.closeKeys());
afterAll(async () => {
  await companion?.stop();
  await rig?.close();
});

const vaultPath = (key: HidKey, action: string): string =>
  `/api/standin/HardwareVaults/${key.serial}/${action}`;

/** The admin action over REST: HTTP status and body. */
async function runAdmin(
  key: HidKey,
  action: AdminAction,
): Promise<{ status: number; body: unknown }> {
  switch (action) {
    case 'reserve': {
      const employee = await rest(rig, 'POST', '/api/Employees/CreateEmployee', {
        firstName: 'Rest',
        lastName: `Admin-${key.serial}`,
      });
      expect(employee.status).toBe(201);
      return rest(rig, 'POST', '/api/Employees/AddHardwareVault', {
        employeeId: (employee.body as { id: string }).id,
        hardwareVaultId: key.serial,
      });
    }
    case 'remove':
      return rest(rig, 'DELETE', '/api/Employees/RemoveHardwareVault', {
        hardwareVaultId: key.serial,
        reason: 'Broken',
      });
    case 'suspend':
      return rest(rig, 'POST', vaultPath(key, 'Suspend'), { description: 'admin says so' });
    case 'activate':
      return rest(rig, 'POST', vaultPath(key, 'Activate'));
    case 'compromise':
      return rest(rig, 'POST', vaultPath(key, 'Compromise'), {
        reason: 'Stolen',
        description: 'stolen bag',
      });
  }
}

describe('§2.4 status × admin action, over the hubs and the admin REST API', () => {
  for (const setup of STATUS_SETUPS) {
    for (const action of Object.keys(ADMIN[setup]) as AdminAction[]) {
      const expected = ADMIN[setup][action];
      it(`${setup}: ${action} → ${String(expected)}`, async () => {
        const key = await flow.reach(setup);
        const before = flow.standIn.vaultStatus(key.serial);
        const answer = await runAdmin(key, action);
        const after = (await rest(rig, 'GET', vaultPath(key, 'Status'))).body as VaultStatusReport;
        if (typeof expected === 'string') {
          if (action === 'reserve' || action === 'remove') {
            // HES's own routes: 500 with the exception's text.
            expect(answer.status).toBe(500);
            expect((answer.body as { error: string }).error).not.toBe('');
          } else {
            // The stand-in's extras: 409 with the error's name.
            expect(answer.status).toBe(409);
            expect((answer.body as { error: string }).error).toBe(expected);
          }
          expect(after).toEqual(before);
          return;
        }
        expect(answer.status).toBe(204);
        expect(after.status).toBe(expected);
        expect(after.history.at(-1)).toMatchObject({
          from: STATUS_OF[setup],
          to: expected,
          actor: 'admin',
        });
        if (action === 'reserve' || action === 'suspend' || action === 'activate') {
          const code = await rest(rig, 'GET', vaultPath(key, 'ActivationCode'));
          expect((code.body as { activationCode: string }).activationCode).toMatch(/^\d{6}$/);
        }
        if (action === 'remove' && expected === Deactivated) {
          expect(after.statusReason).toBe(VaultStatusReason.Broken);
        }
        if (action === 'compromise') {
          expect(after).toMatchObject({
            statusReason: VaultStatusReason.Stolen,
            statusDescription: 'stolen bag',
          });
          expect(rig.db.vaults.get(key.serial)?.masterPassword).toBeNull();
          expect((await rest(rig, 'GET', vaultPath(key, 'ActivationCode'))).status).toBe(409);
        }
      });
    }
  }
});

describe('§2.4 status × status-sync observation, UpdateHwVaultStatus from the real client', () => {
  for (const setup of STATUS_SETUPS) {
    for (const state of OBSERVED_KEY_STATES) {
      const expected = SYNC[setup][state];
      it(`${setup} with the key ${state} → ${expected.code} and status ${expected.status}`, async () => {
        const key = await flow.reach(setup);
        await flow.forceKey(key, state);
        const result = await flow.sync(key);
        expect(result.code).toBe(expected.code);
        if (expected.code === 0) {
          expect(result.info).not.toHaveProperty('status');
        } else {
          expect(result.error?.reason).toBe(HesErrorReason.Server);
          expect(result.info).toBeUndefined();
        }
        expect(flow.status(key)).toBe(expected.status);
        if (expected.applied !== undefined) {
          expect(rig.db.vaults.get(key.serial)?.isStatusApplied).toBe(expected.applied);
        }
        if (expected.key !== undefined) expect(await flow.observed(key)).toBe(expected.key);
        if (expected.status !== STATUS_OF[setup]) {
          expect(flow.standIn.vaultStatus(key.serial).history.at(-1)).toMatchObject({
            from: STATUS_OF[setup],
            to: expected.status,
            actor: `sync(${companion.id})`,
          });
        }
      });
    }
  }
});
