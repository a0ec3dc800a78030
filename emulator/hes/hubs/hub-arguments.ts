// The hubs' parameter types as HES's .NET 5 code declares them (hes-contract.md §4.4, §4.6,
// §4.7), read by the SignalR binder (signalr/argument-binder.ts): a value of the wrong JSON
// type throws HubBindingError, and the invocation fails before the method runs, as on HES. A
// DTO may be null and its strings null; a missing member takes its .NET default.
import type { MessageBufferDto } from '../../../shared/hes/dto';
import { nullReference } from '../domain/hes-exception-text';
import type {
  ClientEventDto,
  ClientVaultDto,
  ClientWorkstationInfo,
} from '../domain/vault-dto-reading';
import {
  DotNetInteger,
  JsonFields,
  bindArray,
  bindBoolean,
  bindString,
} from '../signalr/argument-binder';

/** A `string` parameter: a JSON string or null. */
export const stringArgument = (value: unknown, name: string): string | null =>
  bindString(value, name);

/** A `bool` parameter: true or false. */
export const booleanArgument = (value: unknown, name: string): boolean => bindBoolean(value, name);

/** WorkstationInfoDto (RegisterWorkstationInfo). */
export function workstationInfoArgument(value: unknown): ClientWorkstationInfo | null {
  const f = JsonFields.of(value, 'workstationInfo');
  if (f === null) return null;
  return {
    id: f.string('id'),
    machineName: f.string('machineName'),
    domain: f.string('domain'),
    appVersion: f.string('appVersion'),
    osName: f.string('osName'),
    osVersion: f.string('osVersion'),
    osBuild: f.string('osBuild'),
    ip: f.string('ip'),
    mac: f.string('mac'),
    users: f.strings('users'),
    isAlarmTurnOn: f.boolean('isAlarmTurnOn'),
  };
}

/** HwVaultInfoFromClientDto (UpdateHwVaultProperties, UpdateHwVaultStatus). */
export function vaultInfoArgument(value: unknown): ClientVaultDto | null {
  const f = JsonFields.of(value, 'dto');
  if (f === null) return null;
  return {
    version: f.string('version'),
    vaultSerialNo: f.string('vaultSerialNo'),
    battery: f.integer('battery', DotNetInteger.SByte),
    firmwareVersion: f.string('firmwareVersion'),
    isLocked: f.boolean('isLocked'),
    isLockedByPin: f.boolean('isLockedByPin'),
    isLockedByCode: f.boolean('isLockedByCode'),
    isCanUnlock: f.boolean('isCanUnlock'),
    isLinkRequired: f.boolean('isLinkRequired'),
    isNewPinRequired: f.boolean('isNewPinRequired'),
    isMasterKeyRequired: f.boolean('isMasterKeyRequired'),
    isPinRequired: f.boolean('isPinRequired'),
    isButtonRequired: f.boolean('isButtonRequired'),
    mac: f.string('mac'),
    storageTotalSize: f.integer('storageTotalSize', DotNetInteger.UInt32),
    storageFreeSize: f.integer('storageFreeSize', DotNetInteger.UInt32),
    bootloaderVersion: f.version('bootloaderVersion'),
    storageTimestamp: f.integer('storageTimestamp', DotNetInteger.UInt32),
    unlockAttemptsRemain: f.integer('unlockAttemptsRemain', DotNetInteger.Byte),
    minPinLength: f.integer('minPinLength', DotNetInteger.Byte),
    pinAttemptsRemain: f.integer('pinAttemptsRemain', DotNetInteger.Byte),
    deviceTime: f.dateTime('deviceTime'),
    maxMessageSize: f.integer('maxMessageSize', DotNetInteger.UInt16),
    // HwVaultConnectionState: an int enum, so any Int32 binds.
    connectionState: f.integer('connectionState', DotNetInteger.Int32),
  };
}

function eventArgument(value: unknown, path: string): ClientEventDto | null {
  const f = JsonFields.of(value, path);
  if (f === null) return null;
  return {
    version: f.string('version'),
    id: f.string('id'),
    date: f.dateTime('date'),
    timeZone: f.string('timeZone'),
    eventId: f.integer('eventId', DotNetInteger.Int32),
    severityId: f.integer('severityId', DotNetInteger.Int32),
    note: f.string('note'),
    workstationId: f.string('workstationId'),
    userSession: f.string('userSession'),
    workstationSessionId: f.string('workstationSessionId'),
    deviceId: f.string('deviceId'),
    accountName: f.string('accountName'),
    accountLogin: f.string('accountLogin'),
  };
}

/** WorkstationEventDto[] (SaveClientEvents): null, or events each null or an object. */
export const eventsArgument = (value: unknown): (ClientEventDto | null)[] | null =>
  bindArray(value, 'workstationEventsDto', eventArgument);

/** RemoteCommandResponse's MessageBufferDto with its data decoded (null data: no bytes). */
export function messageBufferArgument(value: unknown): MessageBufferDto & { bytes: Uint8Array } {
  const f = JsonFields.of(value, 'buffer');
  // HES dereferences a null DTO (NullReferenceException → 1001).
  if (f === null) throw nullReference();
  const bytes = f.bytes('data') ?? new Uint8Array();
  const channelNo = f.integer('channelNo', DotNetInteger.Byte);
  return { data: Buffer.from(bytes).toString('base64'), channelNo, bytes };
}

/** VerifyCommandResponse / GetRootKeyCommandResponse's DeviceCommandReplyResult. */
export function replyResultArgument(value: unknown): Uint8Array {
  const f = JsonFields.of(value, 'reply');
  if (f === null) throw nullReference();
  return f.bytes('replyResult') ?? new Uint8Array();
}

/** The `error` text beside a device-hub reply: a string or null. */
export const replyErrorArgument = (value: unknown): string | null => bindString(value, 'error');
