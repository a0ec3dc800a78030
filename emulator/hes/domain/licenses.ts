// Hardware-vault licences (hes-contract.md §4.4 #10–#12, hideez-client-behaviour.md §1.4):
// the admin's side (a licence arrives, as from HES's licensing-server order) and the three
// AppHub methods a client uses to fetch and acknowledge them.
import { randomBytes, randomUUID } from 'node:crypto';
import type { HesResponse, HwVaultLicenseDto } from '../../../shared/hes/dto';
import type { LicenseRecord } from '../store/records';
import { adminVault, clientVault, gate, invalid, type DomainContext } from './domain-context';
import { envelope, okData, okPlain } from './envelope';

export interface LicenseSummary {
  readonly id: string;
  readonly vaultId: string;
  readonly endDate: string | null;
  readonly appliedAt: string | null;
}

export class Licenses {
  constructor(private readonly ctx: DomainContext) {}

  /**
   * A licence arrives for a vault (in HES, from the licensing server's order): stored
   * unapplied, so the vault's next info says NeedUpdateLicense. Data defaults to 64
   * random bytes: the virtual key stores licences without checking a signature.
   */
  add(
    vaultId: string,
    options: { readonly endDate?: string | null; readonly data?: Uint8Array } = {},
  ): LicenseSummary {
    const { store } = this.ctx;
    const vault = adminVault(store, vaultId);
    const endDate = options.endDate ?? null;
    if (endDate !== null && (typeof endDate !== 'string' || Number.isNaN(Date.parse(endDate)))) {
      throw invalid('licence end date');
    }
    const data = options.data ?? new Uint8Array(randomBytes(64));
    if (!(data instanceof Uint8Array) || data.length === 0 || data.length > 1024) {
      throw invalid('licence data');
    }
    return store.transaction(() => {
      const license = store.licenses.insert({
        vaultId: vault.id,
        licenseOrderId: randomUUID(),
        importedAt: this.ctx.now().toISOString(),
        appliedAt: null,
        endDate,
        data,
      });
      store.vaults.update(vault.id, { hasNewLicense: true });
      return { id: license.id, vaultId: vault.id, endDate, appliedAt: null };
    });
  }

  /** The vault's licences, without their data. */
  list(vaultId: string): LicenseSummary[] {
    const { store } = this.ctx;
    const vault = adminVault(store, vaultId);
    return store.licenses
      .forVault(vault.id)
      .map((l) => ({ id: l.id, vaultId: l.vaultId, endDate: l.endDate, appliedAt: l.appliedAt }));
  }

  /** #10: licences not applied yet (AppliedAt null, Data present). */
  getNew(wsId: string | undefined, vaultId: string): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return envelope(() => {
      const { store } = this.ctx;
      gate(store, wsId);
      const vault = clientVault(store, vaultId);
      return okData(store.licenses.fresh(vault.id).map(licenseDto));
    });
  }

  /** #11: AppliedAt=now; HasNewLicense cleared when none is left; LicenseEndDate = the later end. Unknown → 1001. */
  applied(wsId: string | undefined, vaultId: string, licenseId: string): Promise<HesResponse> {
    return envelope(() => {
      const { store } = this.ctx;
      gate(store, wsId);
      const vault = clientVault(store, vaultId);
      const license = store.licenses.get(vault.id, licenseId);
      if (!license) throw new Error('LicenseForHardwareVaultNotFound');
      store.transaction(() => {
        store.licenses.markApplied(license.id, this.ctx.now().toISOString());
        store.vaults.update(vault.id, {
          hasNewLicense: store.licenses.fresh(vault.id).length > 0,
          licenseEndDate: laterEnd(vault.licenseEndDate, license.endDate),
        });
      });
      return okPlain();
    });
  }

  /** #12: licences ending today or later (UTC), Data present. */
  getActive(wsId: string | undefined, vaultId: string): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return envelope(() => {
      const { store } = this.ctx;
      gate(store, wsId);
      const vault = clientVault(store, vaultId);
      const today = this.ctx.now().toISOString().slice(0, 10);
      return okData(store.licenses.active(vault.id, today).map(licenseDto));
    });
  }
}

const licenseDto = (l: LicenseRecord): HwVaultLicenseDto => ({
  id: l.id,
  deviceId: l.vaultId,
  licenseOrderId: l.licenseOrderId,
  importedAt: l.importedAt,
  appliedAt: l.appliedAt,
  endDate: l.endDate,
  data: Buffer.from(l.data ?? new Uint8Array(0)).toString('base64'),
});

/** The later of two end dates; an open-ended licence (null) is not a date to compare. */
function laterEnd(current: string | null, next: string | null): string | null {
  if (next === null) return current;
  if (current === null) return next;
  return Date.parse(next) > Date.parse(current) ? next : current;
}
