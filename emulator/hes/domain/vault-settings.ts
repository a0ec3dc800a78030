// Two admin edits of a vault through HES's REST (HardwareVaultsController): SetAccessProfile
// (`HVS.ChangeVaultProfileAsync`: Active vaults only, the profile must exist, then a Profile
// task and the controller's StartUpdateHardwareVaultAccounts) and EditHardwareVaultRfid (the RFID, unique among vaults). HES's REST RFID edit saves a
// fresh entity holding only Id and RFID, which MySQL either refuses or answers by blanking the
// vault's other columns; the stand-in changes the RFID alone.
import { vaultStatusName, VaultStatus } from '../../../shared/vault/vault-status';
import type { DomainContext } from './domain-context';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import { DB_ROW_MISSING, DB_UPDATE_FAILED, HES_EXCEPTION_TEXT } from './hes-texts';
import { addProfileTask } from './profiles';
import { startUpdateVaultAccounts } from './remote-jobs';

export function setAccessProfile(ctx: DomainContext, vaultId: string, profileId: string): void {
  const { store } = ctx;
  const vault = store.vaults.get(vaultId);
  if (!vault) {
    throw new HesAdminError(
      HesAdminErrorCode.HardwareVaultNotFound,
      HES_EXCEPTION_TEXT.HardwareVaultNotFound,
    );
  }
  if (vault.status !== VaultStatus.Active) {
    throw new HesAdminError(
      HesAdminErrorCode.StatusNotAllowed,
      `Vault ${vault.id} status (${vaultStatusName(vault.status)}) is not allowed to execute this operation`,
    );
  }
  if (!store.profiles.get(profileId)) {
    throw new HesAdminError(
      HesAdminErrorCode.HardwareVaultProfileNotFound,
      HES_EXCEPTION_TEXT.HardwareVaultProfileNotFound,
    );
  }
  store.transaction(() => {
    store.vaults.update(vault.id, { profileId });
    addProfileTask(ctx, vault.id);
  });
  // HES's controller then starts the accounts update, which runs the Profile task (Access).
  startUpdateVaultAccounts(ctx, vault.id);
}

export function editRfid(ctx: DomainContext, vaultId: string, rfid: string): void {
  const { store } = ctx;
  if (!store.vaults.get(vaultId)) {
    throw new HesAdminError(HesAdminErrorCode.DatabaseUpdateFailed, DB_ROW_MISSING);
  }
  const holder = store.vaults.byRfid(rfid);
  if (holder && holder.id !== vaultId) {
    throw new HesAdminError(HesAdminErrorCode.DatabaseUpdateFailed, DB_UPDATE_FAILED);
  }
  store.vaults.update(vaultId, { rfid });
}
