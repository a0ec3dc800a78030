// The HES wire contract (hes-contract.md §4.3–4.7) as the .NET server reads and
// writes it: camelCase, enums as integers, byte arrays as base64 strings,
// dates as ISO-8601 strings. Shared by the companion's HES client and the HES
// stand-in, so both sides agree on one definition.

/** The `{code, message, data}` envelope every hub method returns (§4.3). */
export interface HesResponse<T = undefined> {
  /** A HesErrorCode; typed as number because a server may send codes we do not know. */
  readonly code: number;
  readonly message: string | null;
  readonly data: T | null;
}

/** `HwVaultConnectionState` (§4.6). */
export const HwVaultConnectionState = {
  Offline: 0,
  Initializing: 1,
  Finalizing: 2,
  Online: 3,
} as const;
export type HwVaultConnectionState =
  (typeof HwVaultConnectionState)[keyof typeof HwVaultConnectionState];

/** Client → server on every AppHub connect (§4.2, §4.6). */
export interface WorkstationInfoDto {
  readonly id: string;
  readonly machineName: string;
  readonly domain: string;
  readonly appVersion: string;
  readonly osName: string;
  readonly osVersion: string;
  readonly osBuild: string;
  readonly ip: string;
  readonly mac: string;
  readonly users: readonly string[];
  readonly isAlarmTurnOn: boolean;
}

/** Client → server: what the key reports (§4.6). Every field is sent. */
export interface HwVaultInfoFromClientDto {
  readonly version: string;
  readonly vaultSerialNo: string;
  readonly battery: number;
  readonly firmwareVersion: string;
  readonly isLocked: boolean;
  readonly isLockedByPin: boolean;
  readonly isLockedByCode: boolean;
  readonly isCanUnlock: boolean;
  readonly isLinkRequired: boolean;
  readonly isNewPinRequired: boolean;
  readonly isMasterKeyRequired: boolean;
  readonly isPinRequired: boolean;
  readonly isButtonRequired: boolean;
  readonly mac: string;
  readonly storageTotalSize: number;
  readonly storageFreeSize: number;
  /** System.Version on the server: null, never a string (§4.1). */
  readonly bootloaderVersion: null;
  readonly storageTimestamp: number;
  readonly unlockAttemptsRemain: number;
  readonly minPinLength: number;
  readonly pinAttemptsRemain: number;
  readonly deviceTime: string;
  readonly maxMessageSize: number;
  readonly connectionState: HwVaultConnectionState;
}

/**
 * Server → client (§4.6). It carries no vault status: the companion reads the status from
 * HES's codes and NeedStateUpdate with the key's own state (shared/view/server-status.ts).
 */
export interface HwVaultInfoFromHesDto {
  readonly ownerName: string | null;
  readonly ownerEmail: string | null;
  readonly vaultMac: string;
  readonly vaultSerialNo: string;
  readonly vaultRfid: string | null;
  readonly needUpdateLicense: boolean;
  readonly needStateUpdate: boolean;
  readonly needUpdateOSAccounts: boolean;
  readonly needUpdateNonOSAccounts: boolean;
}

export interface HwVaultShortInfoFromHesDto {
  readonly ownerName: string | null;
  readonly ownerEmail: string | null;
  readonly vaultMac: string;
  readonly vaultSerialNo: string;
  readonly vaultRfid: string | null;
}

export interface HwVaultLicenseDto {
  readonly id: string;
  readonly deviceId: string;
  readonly licenseOrderId: string;
  readonly importedAt: string | null;
  readonly appliedAt: string | null;
  readonly endDate: string | null;
  /** base64 */
  readonly data: string;
}

export interface HwVaultProximitySettingsDto {
  readonly serialNo: string;
  readonly mac: string;
  readonly lockProximity: number;
  readonly unlockProximity: number;
  readonly lockTimeout: number;
}

/** `WorkstationEventType` (`eventId`, §6). */
export const WorkstationEventType = {
  ServiceStarted: 1,
  ServiceStopped: 2,
  DeviceConnect: 3,
  DeviceDisconnect: 4,
  DeviceDeleted: 5,
  RFIDAdapterPlugged: 6,
  RFIDAdapterUnplugged: 7,
  HESConnected: 8,
  HESDisconnected: 9,
  DonglePlugged: 10,
  DongleUnplugged: 11,
  ComputerLogon: 12,
  ComputerLogoff: 13,
  ComputerLock: 14,
  ComputerUnlock: 15,
  RemoteConnect: 16,
  RemoteDisconnect: 17,
  SoftwareUpdate: 18,
  CredentialsUpdated: 19,
  CredentialsUsed: 20,
  DeviceLocked: 21,
  DevicePendingUnlock: 22,
  CredentialsUsed_Login: 31,
  CredentialsUsed_Password: 32,
  CredentialsUsed_Otp: 33,
} as const;
export type WorkstationEventType = (typeof WorkstationEventType)[keyof typeof WorkstationEventType];

export const WorkstationEventSeverity = { Info: 0, Error: 1, Warning: 2 } as const;
export type WorkstationEventSeverity =
  (typeof WorkstationEventSeverity)[keyof typeof WorkstationEventSeverity];

/** Client → server in `SaveClientEvents` batches (§4.6, §6). */
export interface WorkstationEventDto {
  readonly version: string;
  /** A GUID the client makes once per event: the server skips ids it has (dedupe). */
  readonly id: string;
  readonly date: string;
  readonly timeZone: string;
  readonly eventId: WorkstationEventType;
  readonly severityId: WorkstationEventSeverity;
  readonly note: string | null;
  readonly workstationId: string;
  readonly userSession: string | null;
  readonly workstationSessionId: string | null;
  readonly deviceId: string | null;
  readonly accountName: string | null;
  readonly accountLogin: string | null;
}

/** DeviceHub relay buffers (§4.7). `data` is base64 of one message of the server's channel to the key. */
export interface MessageBufferDto {
  readonly data: string;
  readonly channelNo: number;
}

export interface EncryptedRequest {
  readonly buffer: MessageBufferDto;
  readonly contextGuid: string;
  readonly channelNo: number;
}

/** The reply to SendVerifyCommand / SendGetRootKeyCommand (§4.7): base64 of the key's reply. */
export interface DeviceCommandReplyResult {
  readonly replyResult: string;
}

/** SendControlRemoteCommand's argument (§4.7): base64 of a control packet for the key. */
export interface ControlRequest {
  readonly data: string;
}

/** The channel HES uses for its remote vault sessions (§5.1). */
export const HES_REMOTE_CHANNEL = 4;

/** Hub routes and the header names that identify a client (§4.1, §4.2). */
export const APP_HUB_PATH = '/appHub';
export const DEVICE_HUB_PATH = '/deviceHub';
export const WORKSTATION_ID_HEADER = 'WorkstationId';
export const DEVICE_ID_HEADER = 'DeviceId';
/** Default SignalR hub limit: a larger message closes the connection (§4.1). */
export const MAX_HUB_MESSAGE_BYTES = 32 * 1024;
