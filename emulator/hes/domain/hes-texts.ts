// The texts HES's exceptions carry, word for word: the English resource sentences of its
// HESException codes (HES.Core/Resources/Resource.resx, `Exception_*`) and the .NET / EF Core
// messages of the other exceptions its admin paths can raise. Clients see them as a hub
// reply's message (1001) or a REST route's 500 `{error}`.

/** HESException texts (`HESException.GetMessage`). */
export const HES_EXCEPTION_TEXT = {
  EmployeeNotFound: 'Employee not found.',
  EmployeeAlreadyExist: 'Employee with current name already exists.',
  HardwareVaultNotFound: 'Hardware Vault not found.',
  OneHardwareVaultConstraint: 'Cannot add more than one Hardware Vault.',
  HardwareVaultCannotReserve: 'Vault in a status that does not allow to reserve.',
  HardwareVaultDoesNotAllowToRemove: 'Vault in a status that does not allow to remove.',
  HardwareVaultUntieBeforeRemove: 'First untie the hardware vault before removing.',
  WorkstationNotFound: 'Workstation not found.',
  WorkstationHardwareVaultPairNotFound: 'Workstation and Hardware Vault pair not found.',
  WorkstationHardwareVaultPairAlreadyExist: 'Hardware Vault already added to workstation.',
  HardwareVaultProfileNotFound: 'Hardware Vault profile not found',
  CannotDeleteDefaultProfile: 'Cannot delete default profile',
  ProfileNameAlreadyInUse: 'Profile name already in use',
  ActivationCodeNotFound: 'Activation Code not found',
  CompanyNameAlreadyInUse: 'Company name already in use.',
  DepartmentNameAlreadyInUse: 'Department name already in use',
  LicenseForHardwareVaultNotFound: 'Hardware Vault licenses not found.',
} as const;

/** `HESCode.HardwareVaultNotFoundWithParam`. */
export const hardwareVaultNotFoundWithParam = (vaultId: string): string =>
  `Hardware Vault ${vaultId} not found.`;

/** .NET's NullReferenceException. */
export const NULL_REFERENCE = 'Object reference not set to an instance of an object.';

/** EF Core's DbUpdateException (a foreign key or unique index refused the write). */
export const DB_UPDATE_FAILED =
  'An error occurred while updating the entries. See the inner exception for details.';

/** EF Core's DbUpdateConcurrencyException (an Update of a row that does not exist). */
export const DB_ROW_MISSING =
  'Database operation expected to affect 1 row(s) but actually affected 0 row(s). Data may have been modified or deleted since entities were loaded. See http://go.microsoft.com/fwlink/?LinkId=527962 for information on understanding and handling optimistic concurrency exceptions.';
