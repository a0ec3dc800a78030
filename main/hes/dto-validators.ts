// Validators for every DTO the companion receives from HES (hes-contract.md §4.5–4.7).
// Each builds a fresh object with only the known fields, so extra members a server
// adds never travel further. Field names are camelCase, as .NET writes them.
import type {
  ControlRequest,
  EncryptedRequest,
  HwVaultInfoFromHesDto,
  HwVaultLicenseDto,
  HwVaultProximitySettingsDto,
  HwVaultShortInfoFromHesDto,
} from '../../shared/hes/dto';
import { isBase64 } from './base64';
import { array, boolean, integer, nullableString, object, ShapeError, string } from './shape';

const INT32_MAX = 2 ** 31 - 1;

function base64(value: unknown, path: string): string {
  const text = string(value, path);
  if (!isBase64(text)) throw new ShapeError(`${path} is not base64`);
  return text;
}

export function hwVaultShortInfo(value: unknown, path = 'data'): HwVaultShortInfoFromHesDto {
  const o = object(value, path);
  return {
    ownerName: nullableString(o['ownerName'], `${path}.ownerName`),
    ownerEmail: nullableString(o['ownerEmail'], `${path}.ownerEmail`),
    vaultMac: string(o['vaultMac'], `${path}.vaultMac`),
    vaultSerialNo: string(o['vaultSerialNo'], `${path}.vaultSerialNo`),
    vaultRfid: nullableString(o['vaultRfid'], `${path}.vaultRfid`),
  };
}

/** HwVaultInfoFromHesDto (fields HES does not define, such as a status, are ignored). */
export function hwVaultInfo(value: unknown, path = 'data'): HwVaultInfoFromHesDto {
  const o = object(value, path);
  return {
    ...hwVaultShortInfo(o, path),
    needUpdateLicense: boolean(o['needUpdateLicense'], `${path}.needUpdateLicense`),
    needStateUpdate: boolean(o['needStateUpdate'], `${path}.needStateUpdate`),
    needUpdateOSAccounts: boolean(o['needUpdateOSAccounts'], `${path}.needUpdateOSAccounts`),
    needUpdateNonOSAccounts: boolean(
      o['needUpdateNonOSAccounts'],
      `${path}.needUpdateNonOSAccounts`,
    ),
  };
}

export function hwVaultLicense(value: unknown, path = 'data'): HwVaultLicenseDto {
  const o = object(value, path);
  return {
    id: string(o['id'], `${path}.id`),
    deviceId: string(o['deviceId'], `${path}.deviceId`),
    licenseOrderId: string(o['licenseOrderId'], `${path}.licenseOrderId`),
    importedAt: nullableString(o['importedAt'], `${path}.importedAt`),
    appliedAt: nullableString(o['appliedAt'], `${path}.appliedAt`),
    endDate: nullableString(o['endDate'], `${path}.endDate`),
    data: base64(o['data'], `${path}.data`),
  };
}

export const hwVaultLicenses = (value: unknown, path = 'data'): HwVaultLicenseDto[] =>
  array(value, path).map((item, i) => hwVaultLicense(item, `${path}[${i}]`));

/** The SDK accepts proximities 0–100; the timeout is seconds. */
export function proximitySetting(value: unknown, path = 'settings'): HwVaultProximitySettingsDto {
  const o = object(value, path);
  return {
    serialNo: string(o['serialNo'], `${path}.serialNo`),
    mac: string(o['mac'], `${path}.mac`),
    lockProximity: integer(o['lockProximity'], `${path}.lockProximity`, 0, 100),
    unlockProximity: integer(o['unlockProximity'], `${path}.unlockProximity`, 0, 100),
    lockTimeout: integer(o['lockTimeout'], `${path}.lockTimeout`, 0, INT32_MAX),
  };
}

export const proximitySettings = (
  value: unknown,
  path = 'settings',
): HwVaultProximitySettingsDto[] =>
  array(value, path).map((item, i) => proximitySetting(item, `${path}[${i}]`));

/** SendRemoteCommand's argument (§4.7); `contextGuid` null reads as ''. */
export function controlRequest(value: unknown, path = 'request'): ControlRequest {
  const o = object(value, path);
  return { data: base64(o['data'], `${path}.data`) };
}

/** A .NET byte[] as SignalR's JSON protocol writes it: a base64 string. */
export const byteArray = (value: unknown, path: string): string => base64(value, path);

/** A .NET byte: an integer 0..255. */
export const byteValue = (value: unknown, path: string): number => integer(value, path, 0, 255);

export function encryptedRequest(value: unknown, path = 'request'): EncryptedRequest {
  const o = object(value, path);
  const buffer = object(o['buffer'], `${path}.buffer`);
  return {
    buffer: {
      data: base64(buffer['data'], `${path}.buffer.data`),
      channelNo: integer(buffer['channelNo'], `${path}.buffer.channelNo`, 0, 255),
    },
    contextGuid: nullableString(o['contextGuid'], `${path}.contextGuid`) ?? '',
    channelNo: integer(o['channelNo'], `${path}.channelNo`, 0, 255),
  };
}
