// Hardware-vault access profiles as HES's admin REST edits them (HardwareVaultService): create
// (a free name), edit (a whole-row update: HES builds a fresh entity, so CreatedAt becomes
// .NET's DateTime.MinValue and MasterKeyPairing its default true; then a Profile task for
// every Active, Locked or Suspended vault using it, and the accounts update of every vault
// with a Profile task), delete (never "default", never one in use).
import { VaultStatus } from '../../../shared/vault/vault-status';
import type { ProfileSettings } from '../store/profile-admin-repository';
import { TaskOperation } from '../store/records';
import type { DomainContext } from './domain-context';
import type { Entity, HesEntities } from './hes-entities';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import { DB_ROW_MISSING, HES_EXCEPTION_TEXT } from './hes-texts';
import { startUpdateVaultAccounts } from './remote-jobs';

/** .NET's default(DateTime), which an Update of a freshly built entity writes. */
const DOTNET_MIN_DATE = '0001-01-01T00:00:00.000Z';
const DEFAULT_PROFILE = 'default';

/** HES's Create/EditHardwareVaultProfileDto, with HES's names for the three "new channel" bits. */
export interface ProfileInput {
  readonly name: string;
  readonly buttonBonding: boolean;
  readonly buttonConnection: boolean;
  readonly buttonNewChannel: boolean;
  readonly pinBonding: boolean;
  readonly pinConnection: boolean;
  readonly pinNewChannel: boolean;
  readonly masterKeyConnection: boolean;
  readonly masterKeyNewChannel: boolean;
  readonly pinExpiration: number;
  readonly pinLength: number;
  readonly pinTryCount: number;
}

/** The DTO as HES's controller maps it; MasterKeyPairing is never taken from it (default true). */
const settingsOf = (p: ProfileInput): ProfileSettings => ({
  name: p.name,
  buttonPairing: p.buttonBonding,
  buttonConnection: p.buttonConnection,
  buttonStorageAccess: p.buttonNewChannel,
  pinPairing: p.pinBonding,
  pinConnection: p.pinConnection,
  pinStorageAccess: p.pinNewChannel,
  masterKeyPairing: true,
  masterKeyConnection: p.masterKeyConnection,
  masterKeyStorageAccess: p.masterKeyNewChannel,
  pinExpiration: p.pinExpiration,
  pinLength: p.pinLength,
  pinTryCount: p.pinTryCount,
});

const nameInUse = (): HesAdminError =>
  new HesAdminError(
    HesAdminErrorCode.ProfileNameAlreadyInUse,
    HES_EXCEPTION_TEXT.ProfileNameAlreadyInUse,
  );

export class Profiles {
  constructor(
    private readonly ctx: DomainContext,
    private readonly entities: HesEntities,
  ) {}

  /** `GetProfiles`: by name, each with its vaults. */
  list(): Entity[] {
    return this.ctx.store.profileAdmin.list().map((p) => this.entities.profile(p, true));
  }

  /** undefined: 404. */
  get(id: string): Entity | undefined {
    const p = this.ctx.store.profileAdmin.get(id);
    return p ? this.entities.profile(p, true) : undefined;
  }

  create(input: ProfileInput): Entity {
    const { profileAdmin } = this.ctx.store;
    if (profileAdmin.nameTaken(input.name)) throw nameInUse();
    const created = profileAdmin.insert(settingsOf(input), this.ctx.now().toISOString());
    return this.entities.profile(created);
  }

  edit(id: string, input: ProfileInput): void {
    const { store } = this.ctx;
    if (store.profileAdmin.nameTaken(input.name, id)) throw nameInUse();
    const time = this.ctx.now().toISOString();
    store.transaction(() => {
      const times = { createdAt: DOTNET_MIN_DATE, updatedAt: time };
      if (!store.profileAdmin.replace(id, settingsOf(input), times)) {
        throw new HesAdminError(HesAdminErrorCode.DatabaseUpdateFailed, DB_ROW_MISSING);
      }
      const affected = [VaultStatus.Active, VaultStatus.Locked, VaultStatus.Suspended];
      for (const vaultId of store.profileAdmin.vaultIds(id, affected)) {
        addProfileTask(this.ctx, vaultId);
      }
    });
    // HES's controller then starts the accounts update of every vault with a Profile task
    // (GetVaultIdsByProfileTaskAsync), not only this profile's.
    for (const vaultId of store.tasks.vaultsWithProfileTask()) {
      startUpdateVaultAccounts(this.ctx, vaultId);
    }
  }

  /** The profile as it was; undefined: no such profile (404). */
  delete(id: string): Entity | undefined {
    const { profileAdmin } = this.ctx.store;
    const profile = profileAdmin.get(id);
    if (!profile) return undefined;
    const shown = this.entities.profile(profile, true);
    if (id === DEFAULT_PROFILE) {
      throw new HesAdminError(
        HesAdminErrorCode.CannotDeleteDefaultProfile,
        HES_EXCEPTION_TEXT.CannotDeleteDefaultProfile,
      );
    }
    if (profileAdmin.vaultIds(id).length > 0) {
      throw new HesAdminError(
        HesAdminErrorCode.ProfileInUse,
        'Cannot delete a profile if setted to a hardware vaults',
      );
    }
    profileAdmin.delete(id);
    return shown;
  }
}

/** `HardwareVaultTaskService.AddProfileAsync`: one Profile task per vault, the newest. */
export function addProfileTask(ctx: DomainContext, vaultId: string): void {
  const now = ctx.now();
  ctx.store.tasks.deleteForVaultOperation(vaultId, TaskOperation.Profile);
  ctx.store.tasks.insert({
    vaultId,
    accountId: null,
    operation: TaskOperation.Profile,
    createdAt: now.toISOString(),
    timestamp: Math.floor(now.getTime() / 1000),
  });
}
