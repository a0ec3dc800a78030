// The AppHub methods the companion invokes (hes-contract.md §4.4), with every
// argument always sent (the .NET binder checks the count and applies no defaults)
// and each envelope turned into a typed result or a HesError.
import { HesErrorCode } from '../../shared/errors/hes-error-code';
import type {
  HwVaultInfoFromClientDto,
  HwVaultInfoFromHesDto,
  HwVaultLicenseDto,
  HwVaultShortInfoFromHesDto,
  WorkstationEventDto,
  WorkstationInfoDto,
} from '../../shared/hes/dto';
import { hwVaultInfo, hwVaultLicenses, hwVaultShortInfo } from './dto-validators';
import { readEnvelope, readOk } from './envelope';
import { HesError, HesErrorReason } from './hes-error';

export type Invoke = (target: string, args: readonly unknown[]) => Promise<unknown>;

export const AppHubMethod = {
  RegisterWorkstationInfo: 'RegisterWorkstationInfo',
  SaveClientEvents: 'SaveClientEvents',
  GetHwVaultInfoByRfid: 'GetHwVaultInfoByRfid',
  GetHwVaultInfoByMac: 'GetHwVaultInfoByMac',
  GetHwVaultInfoBySerialNo: 'GetHwVaultInfoBySerialNo',
  UpdateHwVaultProperties: 'UpdateHwVaultProperties',
  UpdateHwVaultStatus: 'UpdateHwVaultStatus',
  AuthHwVault: 'AuthHwVault',
  UpdateHwVaultAccounts: 'UpdateHwVaultAccounts',
  GetNewHwVaultLicenses: 'GetNewHwVaultLicenses',
  HwVaultLicenseApplied: 'HwVaultLicenseApplied',
  GetHwVaultLicenses: 'GetHwVaultLicenses',
} as const;

export interface VaultCalls {
  registerWorkstationInfo(dto: WorkstationInfoDto): Promise<void>;
  saveClientEvents(events: readonly WorkstationEventDto[]): Promise<void>;
  getHwVaultInfoByRfid(rfid: string): Promise<HwVaultShortInfoFromHesDto | null>;
  getHwVaultInfoByMac(mac: string): Promise<HwVaultShortInfoFromHesDto | null>;
  getHwVaultInfoBySerialNo(serialNo: string): Promise<HwVaultShortInfoFromHesDto | null>;
  /** With returnInfo, a null answer is 619 HesUpdatedDeviceNull (as the SDK). */
  updateHwVaultProperties(
    dto: HwVaultInfoFromClientDto,
    returnInfo: true,
  ): Promise<HwVaultInfoFromHesDto>;
  updateHwVaultProperties(dto: HwVaultInfoFromClientDto, returnInfo: false): Promise<null>;
  updateHwVaultStatus(dto: HwVaultInfoFromClientDto): Promise<HwVaultInfoFromHesDto>;
  authHwVault(serialNo: string): Promise<void>;
  updateHwVaultAccounts(serialNo: string, onlyOsAccounts: boolean): Promise<void>;
  getNewHwVaultLicenses(vaultId: string): Promise<HwVaultLicenseDto[]>;
  hwVaultLicenseApplied(vaultId: string, licenseId: string): Promise<void>;
  getHwVaultLicenses(vaultId: string): Promise<HwVaultLicenseDto[]>;
}

const updatedNull = (target: string): HesError =>
  new HesError(
    HesErrorCode.HesUpdatedDeviceNull,
    HesErrorReason.Server,
    'the server answered without the vault info',
    { target },
  );

/**
 * The calls over `invoke`; `onFailure` hears of every call that fails (for the log), with
 * the error the caller gets.
 */
export function vaultCalls(
  invoke: Invoke,
  onFailure: (target: string, error: unknown) => void = () => undefined,
): VaultCalls {
  const reported = async <T>(target: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      onFailure(target, e);
      throw e;
    }
  };
  const ok = (target: string, args: readonly unknown[]): Promise<void> =>
    reported(target, async () => {
      readOk(target, await invoke(target, args));
    });
  const data = <T>(
    target: string,
    args: readonly unknown[],
    read: (value: unknown) => T,
  ): Promise<T | null> =>
    reported(target, async () => readEnvelope(target, await invoke(target, args), read));
  const info = (target: string, args: readonly unknown[]): Promise<HwVaultInfoFromHesDto> =>
    reported(target, async () => {
      const result = readEnvelope(target, await invoke(target, args), hwVaultInfo);
      if (result === null) throw updatedNull(target);
      return result;
    });
  const licenses = async (target: string, vaultId: string): Promise<HwVaultLicenseDto[]> =>
    (await data(target, [vaultId], hwVaultLicenses)) ?? [];

  function updateHwVaultProperties(
    dto: HwVaultInfoFromClientDto,
    returnInfo: true,
  ): Promise<HwVaultInfoFromHesDto>;
  function updateHwVaultProperties(dto: HwVaultInfoFromClientDto, returnInfo: false): Promise<null>;
  async function updateHwVaultProperties(
    dto: HwVaultInfoFromClientDto,
    returnInfo: boolean,
  ): Promise<HwVaultInfoFromHesDto | null> {
    const target = AppHubMethod.UpdateHwVaultProperties;
    if (returnInfo) return info(target, [dto, true]);
    await ok(target, [dto, false]);
    return null;
  }

  return {
    registerWorkstationInfo: (dto) => ok(AppHubMethod.RegisterWorkstationInfo, [dto]),
    saveClientEvents: (events) => ok(AppHubMethod.SaveClientEvents, [events]),
    getHwVaultInfoByRfid: (rfid) =>
      data(AppHubMethod.GetHwVaultInfoByRfid, [rfid], hwVaultShortInfo),
    getHwVaultInfoByMac: (mac) => data(AppHubMethod.GetHwVaultInfoByMac, [mac], hwVaultShortInfo),
    getHwVaultInfoBySerialNo: (serialNo) =>
      data(AppHubMethod.GetHwVaultInfoBySerialNo, [serialNo], hwVaultShortInfo),
    updateHwVaultProperties,
    updateHwVaultStatus: (dto) => info(AppHubMethod.UpdateHwVaultStatus, [dto]),
    authHwVault: (serialNo) => ok(AppHubMethod.AuthHwVault, [serialNo]),
    updateHwVaultAccounts: (serialNo, onlyOsAccounts) =>
      ok(AppHubMethod.UpdateHwVaultAccounts, [serialNo, onlyOsAccounts]),
    getNewHwVaultLicenses: (vaultId) => licenses(AppHubMethod.GetNewHwVaultLicenses, vaultId),
    hwVaultLicenseApplied: (vaultId, licenseId) =>
      ok(AppHubMethod.HwVaultLicenseApplied, [vaultId, licenseId]),
    getHwVaultLicenses: (vaultId) => licenses(AppHubMethod.GetHwVaultLicenses, vaultId),
  };
}
