// The AppHub methods that run on the key through a remote session (hes-contract.md §4.4 #7–#9,
// §5), in HES's order: the gate, then the remote job (whose ConnectDevice answers 511 before
// any database lookup), then, for the status update, the info from the sent DTO (§2.3).
import type {
  HesResponse,
  HwVaultInfoFromClientDto,
  HwVaultInfoFromHesDto,
} from '../../../shared/hes/dto';
import { clientVault, gate, type DomainContext } from './domain-context';
import { envelope, okData, okPlain } from './envelope';
import { checkPassphrase, updateVaultAccounts, updateVaultStatus } from './remote-jobs';
import { readVaultDto } from './vault-dto-reading';
import { vaultInfo } from './vault-info';

export class RemoteMethods {
  constructor(private readonly ctx: DomainContext) {}

  /** #7: UpdateHardwareVaultStatusAsync through the caller, then the info from the sent DTO. */
  updateHwVaultStatus(
    wsId: string | undefined,
    dto: HwVaultInfoFromClientDto,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return envelope(async () => {
      const { store } = this.ctx;
      const ws = gate(store, wsId);
      const d = readVaultDto(dto);
      // A missing serial is null to HES's ConnectDevice (ArgumentNullException → 1001), not ''.
      const serial = (dto as { readonly vaultSerialNo?: unknown }).vaultSerialNo;
      await updateVaultStatus(this.ctx, typeof serial === 'string' ? serial : null, ws);
      return okData(vaultInfo(store, clientVault(store, d.vaultSerialNo), d));
    });
  }

  /** #8: CheckPassphraseAsync: refresh, 607/616/620 against the key, CheckPassphrase. */
  authHwVault(wsId: string | undefined, serialNo: string): Promise<HesResponse> {
    return envelope(async () => {
      const ws = gate(this.ctx.store, wsId);
      await checkPassphrase(this.ctx, serialNo, ws);
      return okPlain();
    });
  }

  /** #9: UpdateHardwareVaultAccountsAsync (coalesced per vault). */
  updateHwVaultAccounts(
    wsId: string | undefined,
    serialNo: string,
    onlyOsAccounts: boolean,
  ): Promise<HesResponse> {
    return envelope(async () => {
      const ws = gate(this.ctx.store, wsId);
      if (typeof onlyOsAccounts !== 'boolean')
        throw new TypeError('onlyOsAccounts is not a boolean');
      await updateVaultAccounts(this.ctx, serialNo, ws, onlyOsAccounts);
      return okPlain();
    });
  }
}
