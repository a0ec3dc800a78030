// Proofs of the status-rule rows about what the stand-in records and reads around the key
// (table 4: the RFID edit and employee delete, the Locked reason, the status history, how a
// locked key is classified), merged into status-rules.ts.
import { expect } from 'vitest';
import { openReply, sealedCounter, sealReply } from '../../../../../emulator/remote-channel/seal';
import { DeviceErrorCode } from '../../../../../shared/errors/device-error-code';
import type { HwVaultInfoFromHesDto } from '../../../../../shared/hes/dto';
import type { KeyInfo } from '../../../../../shared/key/key-info';
import { VaultStatus, VaultStatusReason } from '../../../../../shared/vault/vault-status';
import type { KeyPeer } from '../../server/key-peers';
import { rest } from '../../server/stand-in-hosts';
import { adminWorld, reserveFor } from './admin-world';
import type { ProofMap } from './proof';
import { activeVault, remoteRig, reservedAndLinked, type RemoteRig } from './remote-rig';
import { HES_INFO_FIELDS } from './vault-info';

const WRONG = '000000';

const statusOf = (rig: RemoteRig): VaultStatus => rig.server.standIn.vaultStatus(rig.serial).status;

/**
 * A peer that rewrites the open key's sealed answers with `patch()` (as the key reporting
 * other flags would): the test holds the seal secret, so the server cannot tell.
 */
function doctored(
  secret: () => Uint8Array | undefined,
  patch: () => Partial<KeyInfo> | undefined,
): (inner: KeyPeer) => KeyPeer {
  return (inner) => async (channel, request) => {
    const reply = await inner(channel, request);
    const change = patch();
    const key = secret();
    if (request.kind !== 'message' || !change || !key) return reply;
    const counter = sealedCounter(request.data);
    const opened = openReply(key, counter, reply);
    if (opened.status !== DeviceErrorCode.OK) return reply;
    return sealReply(key, counter, {
      status: DeviceErrorCode.OK,
      info: { ...opened.info, ...change },
    });
  };
}

export const PROOFS: ProofMap = {
  '4.11': async () => {
    const world = await adminWorld(1);
    const [serial = ''] = world.serials;
    const employeeId = await reserveFor(world.server, serial);
    const byId = async (id: string) =>
      (await rest(world.server, 'GET', `/api/HardwareVaults/GetHardwareVaultById/${id}`)).body;
    const before = (await byId(serial)) as Record<string, unknown>;
    // RFID edit (deliberate): the RFID alone changes; HES's fresh entity would blank the rest.
    const edit = await rest(
      world.server,
      'PUT',
      `/api/HardwareVaults/EditHardwareVaultRfid/${serial}`,
      {
        id: serial,
        rfid: 'RFID-7',
      },
    );
    expect(edit.status).toBe(204);
    expect(await byId(serial)).toEqual({ ...before, rfid: 'RFID-7' });
    // Delete employee: refused while a vault references the employee.
    const del = (id: string) => rest(world.server, 'DELETE', `/api/Employees/DeleteEmployee/${id}`);
    expect(await del(employeeId)).toEqual({
      status: 500,
      body: { error: 'First untie the hardware vault before removing.' },
    });
    expect(await del('nobody')).toMatchObject({ status: 404 });
    const removed = await rest(world.server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
      hardwareVaultId: serial,
      reason: VaultStatusReason.Withdrawal,
    });
    expect(removed.status).toBe(204);
    expect(await del(employeeId)).toMatchObject({
      status: 200,
      body: { id: employeeId, firstName: 'Alice' },
    });
    expect(
      (await rest(world.server, 'GET', `/api/Employees/GetEmployeeById/${employeeId}`)).status,
    ).toBe(404);
  },
  '4.23': async () => {
    const rig = await remoteRig({ reserved: true });
    await reservedAndLinked(rig);
    for (let i = 0; i < 3; i++) await rig.unlock(WRONG);
    const locked = await rig.status();
    // The client hears only the code: HES's reply has no reason, nor does the stand-in's.
    expect(locked).toEqual({ code: 615, message: 'HesDeviceLocked (615)', data: null });
    expect(statusOf(rig)).toBe(VaultStatus.Locked);
    // Deliberate: the stand-in records why (HES leaves StatusReason as it was) …
    expect(rig.server.standIn.vaultStatus(rig.serial).statusReason).toBe(
      VaultStatusReason.InvalidActivationCode,
    );
    // … and the companion reads why from the key's own flags, which the key reports.
    expect(await rig.info()).toMatchObject({ lockedByCode: true, lockedByPin: false });
  },
  '4.24': async () => {
    const rig = await remoteRig({ reserved: true });
    const replies: unknown[] = [];
    const record = async (reply: Promise<unknown>): Promise<void> => void replies.push(await reply);
    await activeVault(rig);
    await record(rig.announce(undefined, true));
    await record(rig.ws.invoke('GetHwVaultInfoBySerialNo', rig.serial));
    await record(rig.status());
    const info = (
      await rig.ws.invoke<HwVaultInfoFromHesDto>('UpdateHwVaultStatus', await rig.dto())
    ).data;
    expect(Object.keys(info ?? {}).sort()).toEqual(HES_INFO_FIELDS);
    // The admin side has it (Ready → Reserved → Active) …
    const history = rig.server.standIn.vaultStatus(rig.serial).history;
    expect(history.map((h) => h.to)).toEqual([VaultStatus.Reserved, VaultStatus.Active]);
    // … no client reply or push carries it, nor HES's own vault route.
    const vault = await rest(
      rig.server,
      'GET',
      `/api/HardwareVaults/GetHardwareVaultById/${rig.serial}`,
    );
    for (const seen of [...replies, ...rig.ws.pushes, vault.body]) {
      expect(JSON.stringify(seen)).not.toMatch(/history|"actor"|fromStatus/i);
    }
  },
  '4.25': async () => {
    let patch: Partial<KeyInfo> | undefined;
    // The seal secret is known once the rig has imported the key.
    const seal: { secret?: Uint8Array } = {};
    const rig = await remoteRig({
      reserved: true,
      peer: doctored(
        () => seal.secret,
        () => patch,
      ),
    });
    seal.secret = new Uint8Array(
      Buffer.from(rig.db.vaults.get(rig.serial)?.provisioningSecret ?? '', 'base64'),
    );
    await reservedAndLinked(rig);
    // Locked and the key says it can unlock: HES leaves the vault as it is, whatever the
    // PIN flag or the attempt counter say.
    for (const change of [{ lockedByPin: true }, { unlockAttemptsRemain: 0 }]) {
      patch = change;
      expect((await rig.status()).code).toBe(0);
      expect(statusOf(rig)).toBe(VaultStatus.Reserved);
    }
    // The key says it cannot: Locked, though attempts remain by the counter.
    patch = { canUnlock: false, unlockAttemptsRemain: 3 };
    await rig.status();
    expect(statusOf(rig)).toBe(VaultStatus.Locked);
  },
};
