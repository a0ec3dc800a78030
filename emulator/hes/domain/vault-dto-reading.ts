// How the stand-in reads the client's HwVaultInfoFromClientDto (hes-contract.md §4.6).
import type { HwVaultInfoFromClientDto } from '../../../shared/hes/dto';
import { isNonEmptyString } from './domain-context';

/** Checks the fields of the client's vault DTO the server reads (STJ would refuse others). */
export function readVaultDto(value: unknown): HwVaultInfoFromClientDto {
  if (typeof value !== 'object' || value === null)
    throw new TypeError('HwVaultInfoFromClientDto is null');
  const d = value as Record<string, unknown>;
  const bools = ['isLocked', 'isCanUnlock', 'isLinkRequired'];
  const ints = ['battery', 'storageTimestamp', 'connectionState'];
  if (
    !isNonEmptyString(d['vaultSerialNo']) ||
    typeof d['firmwareVersion'] !== 'string' ||
    bools.some((k) => typeof d[k] !== 'boolean') ||
    ints.some((k) => !Number.isInteger(d[k]))
  ) {
    throw new TypeError('HwVaultInfoFromClientDto is malformed');
  }
  return value as HwVaultInfoFromClientDto;
}
