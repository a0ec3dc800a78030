// The error every admin operation of the stand-in throws: a stable string code named like
// HES's own exception codes (e.g. 'HardwareVaultCannotReserve'), a message without secrets.
import { CompanionError } from '../../../shared/errors/companion-error';

export const HesAdminErrorCode = {
  HardwareVaultNotFound: 'HardwareVaultNotFound',
  EmployeeNotFound: 'EmployeeNotFound',
  EmployeeAlreadyExists: 'EmployeeAlreadyExists',
  WorkstationNotFound: 'WorkstationNotFound',
  OneHardwareVaultConstraint: 'OneHardwareVaultConstraint',
  HardwareVaultCannotReserve: 'HardwareVaultCannotReserve',
  /** HES spells it with a Cyrillic "В"; the ASCII name is used (as in shared/vault). */
  HardwareVaultDoesNotAllowToRemove: 'HardwareVaultDoesNotAllowToRemove',
  StatusNotAllowed: 'StatusNotAllowed',
  /** Delete of an employee a vault still references. */
  HardwareVaultUntieBeforeRemove: 'HardwareVaultUntieBeforeRemove',
  VaultHasNoEmployee: 'VaultHasNoEmployee',
  NotOffered: 'NotOffered',
  ActivationCodeNotFound: 'ActivationCodeNotFound',
  InvalidArgument: 'InvalidArgument',
  // The admin REST routes' own refusals (their messages are HES's texts).
  /** EditWorkstation on an unapproved workstation (HES: 400 `{error}`). */
  WorkstationNotApproved: 'WorkstationNotApproved',
  HardwareVaultProfileNotFound: 'HardwareVaultProfileNotFound',
  ProfileNameAlreadyInUse: 'ProfileNameAlreadyInUse',
  CannotDeleteDefaultProfile: 'CannotDeleteDefaultProfile',
  /** A profile still used by vaults (HES: a plain Exception). */
  ProfileInUse: 'ProfileInUse',
  WorkstationHardwareVaultPairAlreadyExist: 'WorkstationHardwareVaultPairAlreadyExist',
  WorkstationHardwareVaultPairNotFound: 'WorkstationHardwareVaultPairNotFound',
  CompanyNameAlreadyInUse: 'CompanyNameAlreadyInUse',
  DepartmentNameAlreadyInUse: 'DepartmentNameAlreadyInUse',
  /** What EF Core's DbUpdateException reports in HES (a foreign key, a unique index, no row). */
  DatabaseUpdateFailed: 'DatabaseUpdateFailed',
} as const;
export type HesAdminErrorCode = (typeof HesAdminErrorCode)[keyof typeof HesAdminErrorCode];

export class HesAdminError extends CompanionError<HesAdminErrorCode> {
  override readonly name = 'HesAdminError';
}

export const isHesAdminError = (e: unknown): e is HesAdminError => e instanceof HesAdminError;
