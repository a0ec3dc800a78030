// The error every admin operation of the stand-in throws: a stable string code named like
// HES's own exception codes (e.g. 'HardwareVaultCannotReserve'), a message without secrets.

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
  VaultHasNoEmployee: 'VaultHasNoEmployee',
  NotOffered: 'NotOffered',
  ActivationCodeNotFound: 'ActivationCodeNotFound',
  InvalidArgument: 'InvalidArgument',
} as const;
export type HesAdminErrorCode = (typeof HesAdminErrorCode)[keyof typeof HesAdminErrorCode];

export class HesAdminError extends Error {
  override readonly name = 'HesAdminError';

  constructor(
    readonly code: HesAdminErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): { name: string; code: HesAdminErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

export const isHesAdminError = (e: unknown): e is HesAdminError => e instanceof HesAdminError;
