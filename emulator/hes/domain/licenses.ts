// Hardware-vault licences (hes-contract.md §1.6, AppHub #10–#12, HES's LicenseService): the
// admin's side (a licence arrives, as from HES's licensing-server order) and the three AppHub
// methods a client uses to fetch and acknowledge them. As in HES the hub methods look up no
// vault (an unknown id gives an empty list), and HwVaultLicenseApplied counts the new licences
// before it stamps AppliedAt (so HasNewLicense stays set: HES's quirk, kept).
import { randomBytes, randomUUID } from 'node:crypto';
import type { HesResponse, HwVaultLicenseDto } from '../../../shared/hes/dto';
import type { LicenseRecord } from '../store/records';
import { adminVault, gate, invalid, type DomainContext } from './domain-context';
import { dotNetDateTime, parseAdminDate } from './dotnet-dates';
import { envelope, okData, okPlain } from './envelope';
import { HES_EXCEPTION_TEXT, hardwareVaultNotFoundWithParam } from './hes-texts';

export interface LicenseSummary {
  readonly id: string;
  readonly vaultId: string;
  /** UTC ISO; null: open-ended. */
  readonly endDate: string | null;
  readonly appliedAt: string | null;
}

const asId = (value: unknown): string => (typeof value === 'string' ? value : '');

export class Licenses {
  constructor(private readonly ctx: DomainContext) {}

  /**
   * A licence arrives for a vault (in HES, from the licensing server's order): stored
   * unapplied, so the vault's next info says NeedUpdateLicense. Data defaults to 64 random
   * bytes: the virtual key stores licences without checking a signature.
   */
  add(
    vaultId: string,
    options: { readonly endDate?: string | null; readonly data?: Uint8Array } = {},
  ): LicenseSummary {
    const { store } = this.ctx;
    const vault = adminVault(store, vaultId);
    const given = options.endDate ?? null;
    const endDate =
      given === null ? null : typeof given === 'string' ? parseAdminDate(given) : undefined;
    if (endDate === undefined) throw invalid('licence end date');
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

  /** #10 (`LS.GetNewLicensesByHardwareVaultIdAsync`): AppliedAt null, Data present; no vault check. */
  getNew(wsId: string | undefined, vaultId: string): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return envelope(() => {
      const { store } = this.ctx;
      gate(store, wsId);
      return okData(store.licenses.fresh(asId(vaultId)).map(licenseDto));
    });
  }

  /**
   * #11 (`LS.ChangeLicenseAppliedAsync`): the licence first (1001 "Hardware Vault licenses not
   * found."), then the vault; AppliedAt=now; HasNewLicense cleared only if no new licence was
   * counted before the write (so never for a licence applied the first time); LicenseEndDate =
   * the later end.
   */
  applied(wsId: string | undefined, vaultId: string, licenseId: string): Promise<HesResponse> {
    return envelope(() => {
      const { store } = this.ctx;
      gate(store, wsId);
      const license = store.licenses.get(asId(vaultId), asId(licenseId));
      if (!license) throw new Error(HES_EXCEPTION_TEXT.LicenseForHardwareVaultNotFound);
      const vault = store.vaults.get(license.vaultId);
      if (!vault) throw new Error(hardwareVaultNotFoundWithParam(license.vaultId));
      const counted = store.licenses.fresh(vault.id).length;
      store.transaction(() => {
        store.licenses.markApplied(license.id, this.ctx.now().toISOString());
        store.vaults.update(vault.id, {
          ...(counted === 0 ? { hasNewLicense: false } : {}),
          licenseEndDate: laterEnd(vault.licenseEndDate, license.endDate),
        });
      });
      return okPlain();
    });
  }

  /** #12 (`LS.GetActiveLicensesAsync`): ending today or later (UTC), Data present; no vault check. */
  getActive(wsId: string | undefined, vaultId: string): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return envelope(() => {
      const { store } = this.ctx;
      gate(store, wsId);
      const today = this.ctx.now().toISOString().slice(0, 10);
      return okData(store.licenses.active(asId(vaultId), today).map(licenseDto));
    });
  }
}

/** HwVaultLicenseDto with HES's date format (2.26). */
const licenseDto = (l: LicenseRecord): HwVaultLicenseDto => ({
  id: l.id,
  deviceId: l.vaultId,
  licenseOrderId: l.licenseOrderId,
  importedAt: dotNetDateTime(l.importedAt),
  appliedAt: dotNetDateTime(l.appliedAt),
  endDate: dotNetDateTime(l.endDate),
  data: Buffer.from(l.data ?? new Uint8Array(0)).toString('base64'),
});

/** The later of two end dates; an open-ended licence (null) keeps the current one. */
function laterEnd(current: string | null, next: string | null): string | null {
  if (next === null) return current;
  if (current === null) return next;
  return Date.parse(next) > Date.parse(current) ? next : current;
}
