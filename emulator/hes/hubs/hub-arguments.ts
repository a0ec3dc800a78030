// Reads hub invocation arguments into the shared DTOs the way the .NET 5 binder does
// (hes-contract.md §4.1, §4.6): property names case-insensitive, enums and numbers as JSON
// numbers, byte arrays as base64, a missing property left at its default. A value of the wrong
// JSON type is refused with HubArgumentError, which the hubs answer as envelope 1001.
import {
  HwVaultConnectionState,
  type HwVaultInfoFromClientDto,
  type MessageBufferDto,
  type WorkstationEventDto,
  type WorkstationEventSeverity,
  type WorkstationEventType,
  type WorkstationInfoDto,
} from '../../../shared/hes/dto';

export class HubArgumentError extends Error {
  override readonly name = 'HubArgumentError';
  readonly code = 'HES_STANDIN_BAD_HUB_ARGUMENT';

  constructor(
    message: string,
    readonly details: { readonly argument: string },
  ) {
    super(message);
  }

  toJSON(): { name: string; code: string; message: string; details: { argument: string } } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      details: { ...this.details },
    };
  }
}

const fail = (path: string, expected: string): never => {
  throw new HubArgumentError(`Invalid argument: ${path} must be ${expected}`, { argument: path });
};

/** An object's properties looked up case-insensitively, as System.Text.Json reads them here. */
class Fields {
  private readonly values = new Map<string, unknown>();

  constructor(
    value: unknown,
    private readonly path: string,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(path, 'an object');
    }
    for (const [name, field] of Object.entries(value as object)) {
      this.values.set(name.toLowerCase(), field);
    }
  }

  private get(name: string): unknown {
    return this.values.get(name.toLowerCase());
  }

  private where(name: string): string {
    return `${this.path}.${name}`;
  }

  /** A string that must be present and not empty (a key the server looks rows up by). */
  key(name: string): string {
    const value = this.get(name);
    if (typeof value !== 'string' || value.length === 0)
      fail(this.where(name), 'a non-empty string');
    return value as string;
  }

  string(name: string, fallback = ''): string {
    const value = this.get(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') fail(this.where(name), 'a string');
    return value as string;
  }

  nullableString(name: string): string | null {
    const value = this.get(name);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') fail(this.where(name), 'a string or null');
    return value as string;
  }

  boolean(name: string): boolean {
    const value = this.get(name);
    if (value === undefined) return false;
    if (typeof value !== 'boolean') fail(this.where(name), 'a boolean');
    return value as boolean;
  }

  integer(name: string, min: number, max: number, fallback = 0): number {
    const value = this.get(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fail(this.where(name), `an integer ${min}..${max}`);
    }
    return value as number;
  }

  requiredInteger(name: string, min: number, max: number): number {
    if (this.get(name) === undefined) fail(this.where(name), `an integer ${min}..${max}`);
    return this.integer(name, min, max);
  }

  stringArray(name: string): string[] {
    const value = this.get(name);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      fail(this.where(name), 'an array of strings');
    }
    return [...(value as string[])];
  }

  /** System.Version: STJ 5 reads an object (ignoring its members) and fails on a string. */
  version(name: string): null {
    const value = this.get(name);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value))
      fail(this.where(name), 'null or an object');
    return null;
  }

  base64(name: string): Uint8Array {
    const value = this.get(name);
    if (value === undefined || value === null) return new Uint8Array();
    return base64Bytes(value, this.where(name));
  }
}

const UINT32_MAX = 0xffff_ffff;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Far above any sealed buffer (hub messages are under 32 KB anyway). */
const MAX_BASE64_CHARS = 64 * 1024;

export function base64Bytes(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string' || value.length > MAX_BASE64_CHARS || !BASE64.test(value)) {
    fail(path, 'a base64 string');
  }
  return new Uint8Array(Buffer.from(value as string, 'base64'));
}

export function stringArgument(value: unknown, name: string): string {
  if (typeof value !== 'string') fail(name, 'a string');
  return value as string;
}

export function booleanArgument(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') fail(name, 'a boolean');
  return value as boolean;
}

export function workstationInfoArgument(value: unknown): WorkstationInfoDto {
  const f = new Fields(value, 'workstationInfo');
  return {
    id: f.key('id'),
    machineName: f.string('machineName'),
    domain: f.string('domain'),
    appVersion: f.string('appVersion'),
    osName: f.string('osName'),
    osVersion: f.string('osVersion'),
    osBuild: f.string('osBuild'),
    ip: f.string('ip'),
    mac: f.string('mac'),
    users: f.stringArray('users'),
    isAlarmTurnOn: f.boolean('isAlarmTurnOn'),
  };
}

const CONNECTION_STATES: readonly number[] = Object.values(HwVaultConnectionState);

export function vaultInfoArgument(value: unknown): HwVaultInfoFromClientDto {
  const f = new Fields(value, 'dto');
  const connectionState = f.requiredInteger('connectionState', 0, 3);
  if (!CONNECTION_STATES.includes(connectionState))
    fail('dto.connectionState', 'a connection state');
  return {
    version: f.string('version'),
    vaultSerialNo: f.key('vaultSerialNo'),
    battery: f.integer('battery', -128, 127),
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
    storageTotalSize: f.integer('storageTotalSize', 0, UINT32_MAX),
    storageFreeSize: f.integer('storageFreeSize', 0, UINT32_MAX),
    bootloaderVersion: f.version('bootloaderVersion'),
    storageTimestamp: f.integer('storageTimestamp', 0, UINT32_MAX),
    unlockAttemptsRemain: f.integer('unlockAttemptsRemain', 0, 255),
    minPinLength: f.integer('minPinLength', 0, 255),
    pinAttemptsRemain: f.integer('pinAttemptsRemain', 0, 255),
    deviceTime: f.string('deviceTime', '0001-01-01T00:00:00'),
    maxMessageSize: f.integer('maxMessageSize', 0, 0xffff),
    connectionState: connectionState as HwVaultConnectionState,
  };
}

export function eventsArgument(value: unknown): WorkstationEventDto[] {
  // HES: a null array → 1001 (hes-contract.md §4.4 #2).
  if (!Array.isArray(value)) fail('workstationEvents', 'an array');
  return (value as unknown[]).map((item, index) => {
    const f = new Fields(item, `workstationEvents[${index}]`);
    return {
      version: f.string('version'),
      id: f.key('id'),
      date: f.key('date'),
      timeZone: f.string('timeZone'),
      eventId: f.requiredInteger('eventId', 0, 0x7fff_ffff) as WorkstationEventType,
      severityId: f.integer('severityId', 0, 0x7fff_ffff) as WorkstationEventSeverity,
      note: f.nullableString('note'),
      workstationId: f.string('workstationId'),
      userSession: f.nullableString('userSession'),
      workstationSessionId: f.nullableString('workstationSessionId'),
      deviceId: f.nullableString('deviceId'),
      accountName: f.nullableString('accountName'),
      accountLogin: f.nullableString('accountLogin'),
    };
  });
}

/** RemoteCommandResponse's MessageBufferDto, with its data decoded. */
export function messageBufferArgument(value: unknown): MessageBufferDto & { bytes: Uint8Array } {
  const f = new Fields(value, 'buffer');
  const bytes = f.base64('data');
  return {
    data: Buffer.from(bytes).toString('base64'),
    channelNo: f.integer('channelNo', 0, 255),
    bytes,
  };
}

/** VerifyCommandResponse / GetRootKeyCommandResponse's DeviceCommandReplyResult. */
export function replyResultArgument(value: unknown): Uint8Array {
  return new Fields(value, 'reply').base64('replyResult');
}

/** The `error` text beside a device-hub reply: a string or null. */
export function replyErrorArgument(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail('error', 'a string or null');
  return value as string;
}
