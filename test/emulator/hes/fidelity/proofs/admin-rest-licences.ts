// Proofs of the licence rows (1.18–1.20, 2.25, 2.26, 6.1–6.6): the three AppHub licence
// methods over the real client, licences added through the stand-in's extra route, the vault's
// HasNewLicense / LicenseEndDate / LicenseStatus read back through HES's REST entity.
import { expect, vi } from 'vitest';
import { HesErrorCode } from '../../../../../shared/errors/hes-error-code';
import type { HwVaultLicenseDto } from '../../../../../shared/hes/dto';
import { VaultLicenseStatus } from '../../../../../emulator/hes/store/records';
import { rest, type TestWorkstation } from '../../server/stand-in-hosts';
import { adminWorld, anyString, DOTNET_DATE, registered, type AdminWorld } from './admin-world';
import type { ProofMap } from './proof';

const DAY = 86_400_000;

/** A licence through the stand-in's extra route; its id. */
async function addLicence(world: AdminWorld, serial: string, endDate?: string): Promise<string> {
  const reply = await rest(
    world.server,
    'POST',
    `/api/standin/HardwareVaults/${serial}/Licenses`,
    endDate === undefined ? {} : { endDate },
  );
  expect(reply.status).toBe(200);
  return (reply.body as { id: string }).id;
}

const licences = async (ws: TestWorkstation, method: string, vaultId: string) => {
  const reply = await ws.invoke<HwVaultLicenseDto[]>(method, vaultId);
  expect(reply.code).toBe(HesErrorCode.Ok);
  return reply.data ?? [];
};

const vaultEntity = async (world: AdminWorld, serial: string) =>
  (await rest(world.server, 'GET', `/api/HardwareVaults/GetHardwareVaultById/${serial}`)).body as {
    hasNewLicense: boolean;
    licenseEndDate: string | null;
    licenseStatus: number;
  };

/** A world with one vault and an approved, registered workstation. */
async function licenceWorld(now?: () => Date) {
  const world = await adminWorld(1, now ? { now } : {});
  const ws = await registered(world);
  return { world, ws, serial: world.serials[0]! };
}

export const LICENCE_PROOFS: ProofMap = {
  '1.18': async () => {
    const { world, ws, serial } = await licenceWorld();
    expect(await ws.invoke('GetNewHwVaultLicenses', 'ST-UNKNOWN')).toEqual({
      code: 0,
      message: null,
      data: [],
    });
    const id = await addLicence(world, serial, '2099-01-01');
    expect((await licences(ws, 'GetNewHwVaultLicenses', serial)).map((l) => l.id)).toEqual([id]);
  },

  '1.19': async () => {
    const { world, ws, serial } = await licenceWorld();
    // The licence is looked up first, by vault and id: no 607 for an unknown vault.
    expect(await ws.invoke('HwVaultLicenseApplied', 'ST-UNKNOWN', 'nope')).toEqual({
      code: HesErrorCode.NonHideezException,
      message: 'Hardware Vault licenses not found.',
      data: null,
    });
    const id = await addLicence(world, serial, '2099-01-01');
    expect((await ws.invoke('HwVaultLicenseApplied', 'ST-UNKNOWN', id)).message).toBe(
      'Hardware Vault licenses not found.',
    );
    expect(await ws.invoke('HwVaultLicenseApplied', serial, id)).toEqual({
      code: 0,
      message: '',
      data: null,
    });
  },

  '1.20': async () => {
    const { world, ws, serial } = await licenceWorld();
    expect(await ws.invoke('GetHwVaultLicenses', 'ST-UNKNOWN')).toEqual({
      code: 0,
      message: null,
      data: [],
    });
    const current = await addLicence(world, serial, '2099-01-01');
    await addLicence(world, serial, '2001-01-01');
    await addLicence(world, serial); // open-ended
    expect((await licences(ws, 'GetHwVaultLicenses', serial)).map((l) => l.id)).toEqual([current]);
  },

  '2.25': async () => {
    const { world, ws, serial } = await licenceWorld();
    const id = await addLicence(world, serial, '2099-01-01');
    const [dto] = await licences(ws, 'GetNewHwVaultLicenses', serial);
    expect(dto).toMatchObject({ id, deviceId: serial, licenseOrderId: anyString() });
    expect(Buffer.from(dto?.data ?? '', 'base64')).toHaveLength(64);
  },

  '2.26': async () => {
    const at = new Date('2024-05-01T10:20:30.450Z');
    const { world, ws, serial } = await licenceWorld(() => at);
    const id = await addLicence(world, serial, '2099-12-31');
    const [fresh] = await licences(ws, 'GetNewHwVaultLicenses', serial);
    expect(fresh).toMatchObject({
      importedAt: '2024-05-01T10:20:30.45',
      appliedAt: null,
      endDate: '2099-12-31T00:00:00',
    });
    await ws.invoke('HwVaultLicenseApplied', serial, id);
    const [active] = await licences(ws, 'GetHwVaultLicenses', serial);
    expect(active?.appliedAt).toBe('2024-05-01T10:20:30.45');
    for (const date of [active?.importedAt, active?.appliedAt, active?.endDate]) {
      expect(date).toMatch(DOTNET_DATE);
    }
  },

  '6.1': async () => {
    const { world, ws, serial } = await licenceWorld();
    // No licensing server: the administrator adds one through the stand-in's extra route.
    const reply = await rest(
      world.server,
      'POST',
      `/api/standin/HardwareVaults/${serial}/Licenses`,
      {
        endDate: '2099-01-01',
      },
    );
    expect(reply).toMatchObject({ status: 200, body: { vaultId: serial, appliedAt: null } });
    expect(await licences(ws, 'GetNewHwVaultLicenses', serial)).toHaveLength(1);
    expect((await vaultEntity(world, serial)).hasNewLicense).toBe(true);
    expect((await rest(world.server, 'GET', '/api/LicenseOrders/GetLicenseOrders')).status).toBe(
      404,
    );
  },

  '6.2': async () => {
    const { world, ws, serial } = await licenceWorld();
    const first = await addLicence(world, serial, '2099-01-01');
    const second = await addLicence(world, serial, '2099-02-01');
    await ws.invoke('HwVaultLicenseApplied', serial, first);
    expect((await licences(ws, 'GetNewHwVaultLicenses', serial)).map((l) => l.id)).toEqual([
      second,
    ]);
  },

  '6.3': async () => {
    const { world, ws, serial } = await licenceWorld();
    const today = new Date().toISOString().slice(0, 10);
    const endsToday = await addLicence(world, serial, `${today}T00:00:00Z`);
    await addLicence(world, serial, new Date(Date.now() - DAY).toISOString());
    const openEnded = await addLicence(world, serial);
    const active = (await licences(ws, 'GetHwVaultLicenses', serial)).map((l) => l.id);
    expect(active).toEqual([endsToday]);
    expect(active).not.toContain(openEnded);
  },

  '6.4': async () => {
    const { world, ws, serial } = await licenceWorld();
    const id = await addLicence(world, serial, '2099-01-01');
    expect((await ws.invoke('HwVaultLicenseApplied', serial, id)).code).toBe(0);
    // Counted as new before AppliedAt was written: the flag stays, the list is empty.
    expect((await vaultEntity(world, serial)).hasNewLicense).toBe(true);
    expect(await licences(ws, 'GetNewHwVaultLicenses', serial)).toEqual([]);
  },

  '6.5': async () => {
    const { world, ws, serial } = await licenceWorld();
    const later = await addLicence(world, serial, '2099-06-01');
    const earlier = await addLicence(world, serial, '2098-01-01');
    const open = await addLicence(world, serial);
    for (const id of [later, earlier, open]) await ws.invoke('HwVaultLicenseApplied', serial, id);
    expect((await vaultEntity(world, serial)).licenseEndDate).toBe('2099-06-01T00:00:00');
  },

  '6.6': async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let now = Date.parse('2030-01-01T12:00:00Z');
      const { world, ws, serial } = await licenceWorld(() => new Date(now));
      const id = await addLicence(world, serial, '2030-04-15'); // 104 days ahead
      await ws.invoke('HwVaultLicenseApplied', serial, id);
      expect((await vaultEntity(world, serial)).licenseStatus).toBe(VaultLicenseStatus.None);
      vi.advanceTimersByTime(30 * 60 * 1000); // the job's next pass
      expect((await vaultEntity(world, serial)).licenseStatus).toBe(VaultLicenseStatus.Valid);
      now = Date.parse('2030-03-20T12:00:00Z'); // 26 days left
      vi.advanceTimersByTime(29 * 60 * 1000);
      expect((await vaultEntity(world, serial)).licenseStatus).toBe(VaultLicenseStatus.Valid);
      vi.advanceTimersByTime(60 * 1000);
      expect((await vaultEntity(world, serial)).licenseStatus).toBe(VaultLicenseStatus.Critical);
      now = Date.parse('2030-04-15T23:59:00Z'); // the last day: unchanged
      vi.advanceTimersByTime(30 * 60 * 1000);
      expect((await vaultEntity(world, serial)).licenseStatus).toBe(VaultLicenseStatus.Critical);
      now = Date.parse('2030-04-16T00:00:00Z');
      vi.advanceTimersByTime(30 * 60 * 1000);
      expect((await vaultEntity(world, serial)).licenseStatus).toBe(VaultLicenseStatus.Expired);

      // It also runs at start: a restart on the same file with a later clock re-grades at once.
      await world.server.close();
      now = Date.parse('2029-01-01T00:00:00Z');
      const again = await adminWorld(0, { dbFile: world.dbFile, now: () => new Date(now) });
      expect((await vaultEntity(again, serial)).licenseStatus).toBe(VaultLicenseStatus.Valid);
    } finally {
      vi.useRealTimers();
    }
  },
};
