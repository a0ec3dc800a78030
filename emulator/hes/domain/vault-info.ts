// HwVaultInfoFromHesDto as UpdateHwVaultProperties(returnInfo) and UpdateHwVaultStatus build
// it (hes-contract.md §2.3): validation 616/620 on the client-sent DTO, then NeedStateUpdate by
// status (611/615/614 as errors), the account and license flags. Like HES, no status field.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type {
  HwVaultInfoFromClientDto,
  HwVaultInfoFromHesDto,
  HwVaultShortInfoFromHesDto,
} from '../../../shared/hes/dto';
import { needStateUpdate } from '../../../shared/vault/need-state-update';
import { ObservedKeyState } from '../../../shared/vault/observed-key-state';
import { VaultStatus } from '../../../shared/vault/vault-status';
import type { HesStore } from '../store/hes-store';
import { TaskOperation, type VaultRecord } from '../store/records';
import { hesError } from './envelope';

/** The key state as the client's DTO reports it, read as HES reads it (IsLocked, IsCanUnlock). */
export function observeDto(dto: HwVaultInfoFromClientDto): ObservedKeyState {
  if (dto.isLinkRequired) return ObservedKeyState.LinkRequired;
  if (!dto.isLocked) return ObservedKeyState.Unlocked;
  return dto.isCanUnlock ? ObservedKeyState.LockedAttemptsLeft : ObservedKeyState.LockedNoAttempts;
}

/** 616 / 620 (§2.3), from whether the key says it is blank. */
export function validateLink(vault: VaultRecord, linkRequired: boolean): void {
  if (!linkRequired && vault.masterPassword === null) {
    throw hesError(HesErrorCode.HesDeviceLinkedToAnotherServer);
  }
  if (
    linkRequired &&
    vault.masterPassword !== null &&
    vault.status !== VaultStatus.Reserved &&
    vault.status !== VaultStatus.Deactivated
  ) {
    throw hesError(HesErrorCode.HesVaultWasManuallyWiped);
  }
}

export function shortInfo(store: HesStore, vault: VaultRecord): HwVaultShortInfoFromHesDto {
  const employee = vault.employeeId === null ? undefined : store.employees.get(vault.employeeId);
  return {
    ownerName: employee ? `${employee.firstName} ${employee.lastName}`.trim() : null,
    ownerEmail: employee?.email ?? null,
    vaultMac: vault.mac,
    vaultSerialNo: vault.id,
    vaultRfid: vault.rfid,
  };
}

export function vaultInfo(
  store: HesStore,
  vault: VaultRecord,
  dto: HwVaultInfoFromClientDto,
): HwVaultInfoFromHesDto {
  validateLink(vault, dto.isLinkRequired);
  const need = needStateUpdate(vault.status, observeDto(dto));
  if (!need.ok) throw hesError(need.code);
  const employee = vault.employeeId === null ? undefined : store.employees.get(vault.employeeId);
  const primary = employee?.primaryAccountId ?? null;
  const tasks = store.tasks.forVault(vault.id);
  const isOs = (t: { operation: number; accountId: string | null }): boolean =>
    t.operation === TaskOperation.Primary || (primary !== null && t.accountId === primary);
  return {
    ...shortInfo(store, vault),
    needUpdateLicense: vault.hasNewLicense,
    needStateUpdate: need.needStateUpdate,
    needUpdateOSAccounts: tasks.some(isOs),
    needUpdateNonOSAccounts: tasks.some((t) => !isOs(t)),
  };
}
