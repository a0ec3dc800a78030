// HES's licence status job (LicenseHostedService, every 30 minutes from start-up;
// `LS.UpdateHardwareVaultsLicenseStatusAsync`): each vault with a LicenseEndDate gets Valid
// (> 90 days left), Warning (> 30), Critical (> 0) or Expired (< 0) by whole UTC days; a
// licence ending today (0 days) keeps the status it had. Admin-side only: no client sees it.
// HES runs it only once licensing settings exist; the stand-in has no licensing server and
// always runs it.
import { VaultLicenseStatus } from '../store/records';
import type { DomainContext } from './domain-context';

export const LICENSE_STATUS_INTERVAL_MS = 30 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const utcDay = (ms: number): number => Math.floor(ms / DAY_MS);

/** The status for `daysLeft`; undefined: unchanged (the licence ends today). */
export function licenseStatusFor(daysLeft: number): VaultLicenseStatus | undefined {
  if (daysLeft > 90) return VaultLicenseStatus.Valid;
  if (daysLeft > 30) return VaultLicenseStatus.Warning;
  if (daysLeft > 0) return VaultLicenseStatus.Critical;
  if (daysLeft < 0) return VaultLicenseStatus.Expired;
  return undefined;
}

export class LicenseStatusJob {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly ctx: DomainContext) {}

  /** One pass; returns the ids of the vaults whose status changed. */
  run(): string[] {
    const { store } = this.ctx;
    const today = utcDay(this.ctx.now().getTime());
    const changed: string[] = [];
    store.transaction(() => {
      for (const vault of store.vaults.list()) {
        if (vault.licenseEndDate === null) continue;
        const end = Date.parse(vault.licenseEndDate);
        if (Number.isNaN(end)) continue;
        const status = licenseStatusFor(utcDay(end) - today);
        if (status === undefined || status === vault.licenseStatus) continue;
        store.licenses.setVaultLicenseStatus(vault.id, status);
        changed.push(vault.id);
      }
    });
    return changed;
  }

  /** Runs now and then every `intervalMs`; a failed pass is dropped (HES only logs it). */
  start(intervalMs = LICENSE_STATUS_INTERVAL_MS): void {
    this.stop();
    const pass = (): void => {
      // The server closed its store: nothing left to watch.
      if (!this.ctx.store.isOpen) {
        this.stop();
        return;
      }
      try {
        this.run();
      } catch {
        // A damaged row: the next pass tries again.
      }
    };
    pass();
    this.timer = setInterval(pass, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
