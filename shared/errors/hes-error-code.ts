// HideezErrorCode values the companion meets when talking to HES
// (hes-contract.md §4.3). `code` in the server's {code, message, data} envelope.

export const HesErrorCode = {
  Ok: 0,
  DeviceNotConnectedToAnyHost: 511,
  RemoteConnectionTimedOut: 512,
  HesUnknownError: 600,
  HesNotConnected: 601,
  HesVerificationFailed: 602,
  HesConnectionNotInitialized: 603,
  HesWorkstationNotApproved: 604,
  HesFailedEstablishRemoteDeviceConnection: 605,
  HesDeviceNotFound: 607,
  HesEmptyDeviceAccessProfile: 608,
  HesEmptyMasterKey: 609,
  HesDeviceAuthorizationFailed: 610,
  HesDeviceNotAssignedToAnyUser: 611,
  HesDeviceHubDisconnected: 612,
  HesAppHubDisconnected: 613,
  HesDeviceCompromised: 614,
  HesDeviceLocked: 615,
  HesDeviceLinkedToAnotherServer: 616,
  HesDeviceWipedOnAnotherServer: 617,
  HesAlarm: 618,
  HesUpdatedDeviceNull: 619,
  HesVaultWasManuallyWiped: 620,
  HesInvalidMasterKey: 621,
  UnknownError: 1000,
  NonHideezException: 1001,
  DeviceHasBeenWiped: 1014,
  GetActivationCodeTimeout: 1026,
  DeviceIsLockedByPin: 1027,
  DeviceIsLockedByCode: 1028,
} as const;
export type HesErrorCode = (typeof HesErrorCode)[keyof typeof HesErrorCode];
export type HesErrorCodeName = keyof typeof HesErrorCode;

const names = Object.fromEntries(
  Object.entries(HesErrorCode).map(([name, value]) => [value, name]),
) as Record<HesErrorCode, HesErrorCodeName>;

export const isHesErrorCode = (value: unknown): value is HesErrorCode =>
  typeof value === 'number' && Object.hasOwn(names, value);
export const hesErrorCodeName = (code: HesErrorCode): HesErrorCodeName => names[code];
