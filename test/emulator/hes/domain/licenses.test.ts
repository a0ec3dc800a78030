// Licences in the stand-in as HES's LicenseService has them (hes-contract.md §1.6, AppHub
// #10–#12): an added licence sets NeedUpdateLicense; "new" = unapplied with data; "active" =
// ending today or later (an open-ended one is not); HwVaultLicenseApplied stamps AppliedAt,
// keeps the later end date and leaves HasNewLicense set (HES counts before it writes); no hub
// method looks the vault up; dates go out in .NET's format; the 30-minute status job; the
// data survives a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../../shared/errors/hes-error-code';
import { licenseStatusFor } from '../../../../emulator/hes/domain/license-status-job';
import { VaultLicenseStatus } from '../../../../emulator/hes/store/records';
import { harness, WS, type Harness } from './hes-harness';
import { activateFirst } from './vault-states';

let open: Harness | undefined;
afterEach(async () => {
  await open?.cleanup();
  open = undefined;
});
const start = async (): Promise<Harness> => {
  open = await harness();
  await open.approve();
  return open;
};

describe('licences in the stand-in', () => {
  it('an added licence is new until applied; applying sets the end date and, as in HES, leaves NeedUpdateLicense set', async () => {
    const h = await start();
    await activateFirst(h);
    expect((await h.announce()).data?.needUpdateLicense).toBe(false);
    const data = Uint8Array.of(1, 2, 3, 4);
    const first = h.hes.addLicense(h.serial, { endDate: '2099-01-31T00:00:00.000Z', data });
    const second = h.hes.addLicense(h.serial, { endDate: '2098-01-31' });
    expect((await h.announce()).data?.needUpdateLicense).toBe(true);

    const fresh = await h.hes.getNewHwVaultLicenses(WS, h.serial);
    expect(fresh.data?.map((l) => l.id)).toEqual([first.id, second.id]);
    expect(fresh.data?.[0]).toMatchObject({
      deviceId: h.serial,
      appliedAt: null,
      // .NET's DateTime from MySQL: no offset, no zero fraction.
      endDate: '2099-01-31T00:00:00',
      data: Buffer.from(data).toString('base64'),
    });
    expect(fresh.data?.[0]?.importedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?$/);

    expect((await h.hes.hwVaultLicenseApplied(WS, h.serial, first.id)).code).toBe(0);
    expect((await h.hes.getNewHwVaultLicenses(WS, h.serial)).data?.map((l) => l.id)).toEqual([
      second.id,
    ]);
    await h.hes.hwVaultLicenseApplied(WS, h.serial, second.id);
    // HES's quirk: the just-applied licence was still counted as new, so the flag stays set.
    expect((await h.announce()).data?.needUpdateLicense).toBe(true);
    expect((await h.hes.getNewHwVaultLicenses(WS, h.serial)).data).toEqual([]);
    // Applying an already applied licence again finds no new one: only then is it cleared.
    await h.hes.hwVaultLicenseApplied(WS, h.serial, second.id);
    expect((await h.announce()).data?.needUpdateLicense).toBe(false);
    // The later of the two end dates stays, whatever the order of application.
    expect(h.store.vaults.get(h.serial)?.licenseEndDate).toBe('2099-01-31T00:00:00.000Z');
    expect(h.hes.licenses(h.serial).every((l) => l.appliedAt !== null)).toBe(true);
  });

  it('active licences are those ending today or later, applied or not; an open-ended one is not active', async () => {
    const h = await start();
    const expired = h.hes.addLicense(h.serial, { endDate: '2001-01-01T00:00:00.000Z' });
    const current = h.hes.addLicense(h.serial, { endDate: '2099-01-01T00:00:00.000Z' });
    const openEnded = h.hes.addLicense(h.serial);
    await h.hes.hwVaultLicenseApplied(WS, h.serial, current.id);
    const active = (await h.hes.getHwVaultLicenses(WS, h.serial)).data?.map((l) => l.id);
    expect(active).toEqual([current.id]);
    expect(active).not.toContain(expired.id);
    expect(active).not.toContain(openEnded.id);
  });

  it('no hub method looks the vault up; an unknown licence is 1001 with HES sentence; admin mistakes are typed', async () => {
    const h = await start();
    const unknown = await h.hes.hwVaultLicenseApplied(WS, h.serial, 'no-such-licence');
    expect(unknown).toEqual({
      code: HesErrorCode.NonHideezException,
      message: 'Hardware Vault licenses not found.',
      data: null,
    });
    const elsewhere = await h.hes.hwVaultLicenseApplied(WS, 'ST-NOPE', 'no-such-licence');
    expect(elsewhere.message).toBe('Hardware Vault licenses not found.');
    for (const reply of [
      await h.hes.getNewHwVaultLicenses(WS, 'ST-NOPE'),
      await h.hes.getHwVaultLicenses(WS, 'ST-NOPE'),
    ]) {
      expect(reply).toEqual({ code: 0, message: null, data: [] });
    }
    expect(() => h.hes.addLicense(h.serial, { endDate: 'not a date' })).toThrow(/licence end date/);
    expect(() => h.hes.addLicense(h.serial, { endDate: '2027-02-30x' })).toThrow(/end date/);
    expect(() => h.hes.addLicense(h.serial, { data: new Uint8Array(0) })).toThrow(/licence data/);
    expect(() => h.hes.addLicense('ST-NOPE')).toThrow();
  });

  it('the licence status job classifies by whole days left, keeping the status on the last day', async () => {
    expect(licenseStatusFor(91)).toBe(VaultLicenseStatus.Valid);
    expect(licenseStatusFor(90)).toBe(VaultLicenseStatus.Warning);
    expect(licenseStatusFor(31)).toBe(VaultLicenseStatus.Warning);
    expect(licenseStatusFor(30)).toBe(VaultLicenseStatus.Critical);
    expect(licenseStatusFor(1)).toBe(VaultLicenseStatus.Critical);
    expect(licenseStatusFor(0)).toBeUndefined();
    expect(licenseStatusFor(-1)).toBe(VaultLicenseStatus.Expired);

    const h = await start();
    const today = new Date().toISOString().slice(0, 10);
    const applied = async (endDate: string): Promise<void> => {
      const licence = h.hes.addLicense(h.serial, { endDate });
      await h.hes.hwVaultLicenseApplied(WS, h.serial, licence.id);
    };
    await applied(`${today}T23:00:00Z`);
    expect(h.hes.updateLicenseStatuses()).toEqual([]); // ends today: unchanged (None)
    await applied('2001-01-01');
    expect(h.store.vaults.get(h.serial)?.licenseEndDate).toBe(`${today}T23:00:00.000Z`);
    await applied(new Date(Date.now() + 45 * 86_400_000).toISOString());
    expect(h.hes.updateLicenseStatuses()).toEqual([h.serial]);
    expect(h.store.vaults.get(h.serial)?.licenseStatus).toBe(VaultLicenseStatus.Warning);
    expect(h.hes.updateLicenseStatuses()).toEqual([]); // no change, nothing written
  });

  it('licences survive a restart of the stand-in', async () => {
    const h = await start();
    const added = h.hes.addLicense(h.serial, { endDate: '2099-01-01T00:00:00.000Z' });
    h.restart();
    await h.approve();
    expect((await h.hes.getNewHwVaultLicenses(WS, h.serial)).data?.map((l) => l.id)).toEqual([
      added.id,
    ]);
  });
});
