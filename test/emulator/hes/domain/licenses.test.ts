// Licences in the stand-in (hes-contract.md §1.6, AppHub #10–#12): an added licence sets
// NeedUpdateLicense; "new" = unapplied with data; "active" = ending today or later;
// HwVaultLicenseApplied stamps AppliedAt, clears the flag when none is left, keeps the
// later end date, and answers 1001 for an unknown licence. The data survives a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../../shared/errors/hes-error-code';
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
  it('an added licence is new until applied; applying clears NeedUpdateLicense and sets the end date', async () => {
    const h = await start();
    await activateFirst(h);
    expect((await h.announce()).data?.needUpdateLicense).toBe(false);
    const data = Uint8Array.of(1, 2, 3, 4);
    const first = h.hes.addLicense(h.serial, { endDate: '2099-01-31T00:00:00.000Z', data });
    const second = h.hes.addLicense(h.serial, { endDate: '2098-01-31T00:00:00.000Z' });
    expect((await h.announce()).data?.needUpdateLicense).toBe(true);

    const fresh = await h.hes.getNewHwVaultLicenses(WS, h.serial);
    expect(fresh.data?.map((l) => l.id)).toEqual([first.id, second.id]);
    expect(fresh.data?.[0]).toMatchObject({
      deviceId: h.serial,
      appliedAt: null,
      endDate: '2099-01-31T00:00:00.000Z',
      data: Buffer.from(data).toString('base64'),
    });

    expect((await h.hes.hwVaultLicenseApplied(WS, h.serial, first.id)).code).toBe(0);
    expect((await h.announce()).data?.needUpdateLicense).toBe(true);
    expect((await h.hes.getNewHwVaultLicenses(WS, h.serial)).data?.map((l) => l.id)).toEqual([
      second.id,
    ]);
    await h.hes.hwVaultLicenseApplied(WS, h.serial, second.id);
    expect((await h.announce()).data?.needUpdateLicense).toBe(false);
    // The later of the two end dates stays, whatever the order of application.
    expect(h.store.vaults.get(h.serial)?.licenseEndDate).toBe('2099-01-31T00:00:00.000Z');
    expect(h.hes.licenses(h.serial).every((l) => l.appliedAt !== null)).toBe(true);
  });

  it('active licences are those ending today or later (or never), applied or not', async () => {
    const h = await start();
    const expired = h.hes.addLicense(h.serial, { endDate: '2001-01-01T00:00:00.000Z' });
    const current = h.hes.addLicense(h.serial, { endDate: '2099-01-01T00:00:00.000Z' });
    const open = h.hes.addLicense(h.serial);
    await h.hes.hwVaultLicenseApplied(WS, h.serial, current.id);
    const active = (await h.hes.getHwVaultLicenses(WS, h.serial)).data?.map((l) => l.id);
    expect(active).toEqual([current.id, open.id]);
    expect(active).not.toContain(expired.id);
  });

  it('an unknown licence answers 1001, an unknown vault 607, and an admin mistake is typed', async () => {
    const h = await start();
    const unknown = await h.hes.hwVaultLicenseApplied(WS, h.serial, 'no-such-licence');
    expect(unknown.code).toBe(HesErrorCode.NonHideezException);
    expect((await h.hes.getNewHwVaultLicenses(WS, 'ST-NOPE')).code).toBe(
      HesErrorCode.HesDeviceNotFound,
    );
    expect(() => h.hes.addLicense(h.serial, { endDate: 'not a date' })).toThrow(/licence end date/);
    expect(() => h.hes.addLicense(h.serial, { data: new Uint8Array(0) })).toThrow(/licence data/);
    expect(() => h.hes.addLicense('ST-NOPE')).toThrow();
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
