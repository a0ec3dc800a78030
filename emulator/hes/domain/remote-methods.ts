// The AppHub methods that run on the key through a remote session (hes-contract.md §4.4 #7–#9,
// §5): the status update, the master-key authorization and the accounts update.
import type {
  HesResponse,
  HwVaultInfoFromClientDto,
  HwVaultInfoFromHesDto,
} from '../../../shared/hes/dto';
import { RemoteOpCode } from '../../remote-channel/ops';
import { clientVault, gate, masterKeyOf, type DomainContext } from './domain-context';
import { envelope, okData, okPlain } from './envelope';
import { syncVaultStatus } from './status-sync';
import { readVaultDto } from './vault-dto-reading';
import { validateLink, vaultInfo } from './vault-info';
import { syncActor } from './vault-writes';

export class RemoteMethods {
  constructor(private readonly ctx: DomainContext) {}

  /** #7: the §2.2 switch over the remote channel, then the info from the sent DTO (§2.3). */
  updateHwVaultStatus(
    wsId: string | undefined,
    dto: HwVaultInfoFromClientDto,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return envelope(async () => {
      const { store } = this.ctx;
      const ws = gate(store, wsId);
      const d = readVaultDto(dto);
      const vault = clientVault(store, d.vaultSerialNo);
      await this.ctx.sessions.run(vault.id, ws, (remote) =>
        syncVaultStatus({ store, actor: syncActor(ws), now: this.ctx.now }, remote),
      );
      return okData(vaultInfo(store, clientVault(store, vault.id), d));
    });
  }

  /** #8: refresh, validate 616/620 against the key, CheckPassphrase(master key). */
  authHwVault(wsId: string | undefined, serialNo: string): Promise<HesResponse> {
    return envelope(async () => {
      const { store } = this.ctx;
      const ws = gate(store, wsId);
      const vault = clientVault(store, serialNo);
      await this.ctx.sessions.run(vault.id, ws, async (remote) => {
        const info = await remote.run({ op: RemoteOpCode.GetState });
        const current = clientVault(store, vault.id);
        validateLink(current, info.access.linkRequired);
        await remote.run({ op: RemoteOpCode.CheckPassphrase, masterKey: masterKeyOf(current) });
      });
      return okPlain();
    });
  }

  /**
   * #9: CheckPassphrase, then the pending tasks. The remote channel has no account ops, so
   * tasks stay pending; with none left NeedSync becomes false.
   */
  updateHwVaultAccounts(
    wsId: string | undefined,
    serialNo: string,
    onlyOsAccounts: boolean,
  ): Promise<HesResponse> {
    return envelope(async () => {
      const { store } = this.ctx;
      const ws = gate(store, wsId);
      if (typeof onlyOsAccounts !== 'boolean')
        throw new TypeError('onlyOsAccounts is not a boolean');
      const vault = clientVault(store, serialNo);
      await this.ctx.sessions.run(vault.id, ws, async (remote) => {
        await remote.run({
          op: RemoteOpCode.CheckPassphrase,
          masterKey: masterKeyOf(clientVault(store, vault.id)),
        });
        if (store.tasks.forVault(vault.id).length === 0) {
          store.vaults.update(vault.id, { needSync: false });
        }
      });
      return okPlain();
    });
  }
}
