// The client's DTOs as HES's .NET 5 binder hands them to its hub methods (hes-contract.md §4.6):
// every string may be null (sent null or left out), numbers and enums may hold any value of
// their .NET type, a missing DateTime is default(DateTime). The hubs bind them
// (hubs/hub-arguments.ts); the domain reads them here, as HES's code would.
import type { HwVaultInfoFromClientDto } from '../../../shared/hes/dto';
import { nullReference } from './hes-exception-text';

type Nullable<T, K extends keyof T> = Omit<T, K> & { readonly [P in K]: T[P] | null };

/** WorkstationInfoDto as bound: `users` and every string may be null. */
export interface ClientWorkstationInfo {
  readonly id: string | null;
  readonly machineName: string | null;
  readonly domain: string | null;
  readonly appVersion: string | null;
  readonly osName: string | null;
  readonly osVersion: string | null;
  readonly osBuild: string | null;
  readonly ip: string | null;
  readonly mac: string | null;
  readonly users: readonly (string | null)[] | null;
  readonly isAlarmTurnOn: boolean;
}

/** HwVaultInfoFromClientDto as bound: strings may be null, connectionState any Int32. */
export type ClientVaultDto = Omit<
  Nullable<HwVaultInfoFromClientDto, 'version' | 'vaultSerialNo' | 'firmwareVersion' | 'mac'>,
  'connectionState'
> & { readonly connectionState: number };

/** WorkstationEventDto as bound: strings may be null, the two enums any Int32. */
export interface ClientEventDto {
  readonly version: string | null;
  readonly id: string | null;
  /** As sent (STJ checked it parses as a DateTime); default(DateTime) when left out. */
  readonly date: string;
  readonly timeZone: string | null;
  readonly eventId: number;
  readonly severityId: number;
  readonly note: string | null;
  readonly workstationId: string | null;
  readonly userSession: string | null;
  readonly workstationSessionId: string | null;
  readonly deviceId: string | null;
  readonly accountName: string | null;
  readonly accountLogin: string | null;
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null;

/**
 * The vault DTO for the rules that read it (the serial, the key's flags), with .NET's defaults
 * for what is missing (false, 0, null). A null DTO is dereferenced as HES does
 * (NullReferenceException → 1001). A null serial reads as '', which finds no vault either
 * (607, as HES's lookup of null).
 */
export function readVaultDto(value: unknown): HwVaultInfoFromClientDto {
  if (!isObject(value)) throw nullReference();
  const text = (k: string): string => {
    const v = value[k];
    return typeof v === 'string' ? v : '';
  };
  const flag = (k: string): boolean => value[k] === true;
  const int = (k: string): number => {
    const v = value[k];
    return typeof v === 'number' && Number.isInteger(v) ? v : 0;
  };
  return {
    version: text('version'),
    vaultSerialNo: text('vaultSerialNo'),
    battery: int('battery'),
    firmwareVersion: text('firmwareVersion'),
    isLocked: flag('isLocked'),
    isLockedByPin: flag('isLockedByPin'),
    isLockedByCode: flag('isLockedByCode'),
    isCanUnlock: flag('isCanUnlock'),
    isLinkRequired: flag('isLinkRequired'),
    isNewPinRequired: flag('isNewPinRequired'),
    isMasterKeyRequired: flag('isMasterKeyRequired'),
    isPinRequired: flag('isPinRequired'),
    isButtonRequired: flag('isButtonRequired'),
    mac: text('mac'),
    storageTotalSize: int('storageTotalSize'),
    storageFreeSize: int('storageFreeSize'),
    bootloaderVersion: null,
    storageTimestamp: int('storageTimestamp'),
    unlockAttemptsRemain: int('unlockAttemptsRemain'),
    minPinLength: int('minPinLength'),
    pinAttemptsRemain: int('pinAttemptsRemain'),
    deviceTime: text('deviceTime'),
    maxMessageSize: int('maxMessageSize'),
    // Any Int32 binds; only 0–3 mean anything to the rules, which compare with those.
    connectionState: int('connectionState') as HwVaultInfoFromClientDto['connectionState'],
  };
}

/** Whether the DTO carries a firmware version (HES writes it to a NOT NULL column). */
export const hasFirmwareVersion = (value: unknown): boolean =>
  isObject(value) && typeof value['firmwareVersion'] === 'string';
