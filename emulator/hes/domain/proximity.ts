// Proximity vaults of a workstation (HES's WorkstationHardwareVaultPairs, WorkstationService and
// WorkstationsController): a pair gets HES's defaults (lock 30, unlock 70, timeout 5); adding
// one pushes UpdateProximitySettings to the workstation, deleting one pushes nothing; the
// settings list is empty for an unapproved workstation. Remove and Compromise drop a vault's
// pairs (admin-vaults.ts).
import type { HwVaultProximitySettingsDto } from '../../../shared/hes/dto';
import type { HesStore } from '../store/hes-store';
import type { ProximityPairRecord } from '../store/records';
import type { DomainContext } from './domain-context';
import type { Entity, HesEntities } from './hes-entities';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import { DB_UPDATE_FAILED, HES_EXCEPTION_TEXT } from './hes-texts';

export const PROXIMITY_DEFAULTS = { lockProximity: 30, unlockProximity: 70, lockTimeout: 5 };

/**
 * `WS.GetWorkstationHardwareVaultPairSettingsAsync`: the pairs of an approved workstation (an
 * unapproved one gets an empty list). Pushed on registration and after AddProximityVault.
 */
export function proximitySettings(
  store: HesStore,
  workstationId: string,
): HwVaultProximitySettingsDto[] {
  const ws = store.workstations.get(workstationId);
  return ws?.approved ? store.proximity.settings(ws.id) : [];
}

export class Proximity {
  constructor(
    private readonly ctx: DomainContext,
    private readonly entities: HesEntities,
  ) {}

  /** `AddProximityVault`: a new pair with HES's defaults, then the workstation's new settings. */
  add(workstationId: string, vaultId: string): Entity {
    const { store, notifier } = this.ctx;
    if (store.proximity.exists(workstationId, vaultId)) {
      throw new HesAdminError(
        HesAdminErrorCode.WorkstationHardwareVaultPairAlreadyExist,
        HES_EXCEPTION_TEXT.WorkstationHardwareVaultPairAlreadyExist,
      );
    }
    // HES checks neither id: its foreign keys refuse an unknown one.
    if (!store.workstations.get(workstationId) || !store.vaults.get(vaultId)) {
      throw new HesAdminError(HesAdminErrorCode.DatabaseUpdateFailed, DB_UPDATE_FAILED);
    }
    const pair = store.proximity.insert({ workstationId, vaultId, ...PROXIMITY_DEFAULTS });
    notifier.send(
      workstationId,
      'UpdateProximitySettings',
      proximitySettings(store, workstationId),
    );
    return this.entities.pair(pair, {});
  }

  /** `GetProximityVaults/{workstationId}`: each pair with its vault and the vault's owner. */
  list(workstationId: string): Entity[] {
    return this.ctx.store.proximity
      .forWorkstation(workstationId)
      .map((p) => this.entities.pair(p, { vault: true, under: true }));
  }

  /** `GetProximityVaultById` / the reply of `DeleteProximityDevice`; undefined: 404. */
  get(pairId: string): Entity | undefined {
    const pair = this.ctx.store.proximity.get(pairId);
    return pair ? this.full(pair) : undefined;
  }

  /** `DeleteProximityDevice`: the pair as it was; undefined: no such pair (404). No push. */
  delete(pairId: string): Entity | undefined {
    const pair = this.ctx.store.proximity.get(pairId);
    if (!pair) return undefined;
    const shown = this.full(pair);
    this.ctx.store.proximity.delete(pair.id);
    return shown;
  }

  private full(pair: ProximityPairRecord): Entity {
    return this.entities.pair(pair, { vault: true, workstation: true });
  }
}
