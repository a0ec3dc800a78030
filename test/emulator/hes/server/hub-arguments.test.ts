// Reading hub arguments as HES's .NET 5 binder (System.Text.Json) does: whatever JSON a client
// sends, the result is the DTO as .NET would hold it (nulls and defaults included) or a
// HubBindingError (the invocation fails), never another exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventsArgument,
  messageBufferArgument,
  replyResultArgument,
  vaultInfoArgument,
  workstationInfoArgument,
} from '../../../../emulator/hes/hubs/hub-arguments';
import { DotNetException } from '../../../../emulator/hes/domain/hes-exception-text';
import { HubBindingError } from '../../../../emulator/hes/signalr/argument-binder';
import { isStjDateTime } from '../../../../emulator/hes/signalr/stj-date-time';
import { HwVaultConnectionState } from '../../../../shared/hes/dto';

const readers = [
  vaultInfoArgument,
  workstationInfoArgument,
  eventsArgument,
  messageBufferArgument,
  replyResultArgument,
];

const validDto = {
  version: '1.0.0.0',
  vaultSerialNo: 'ST1',
  battery: 90,
  firmwareVersion: '1.4.0.0',
  isLocked: false,
  isLockedByPin: false,
  isLockedByCode: false,
  isCanUnlock: false,
  isLinkRequired: true,
  isNewPinRequired: false,
  isMasterKeyRequired: false,
  isPinRequired: false,
  isButtonRequired: false,
  mac: 'AA:BB:CC:DD:EE:FF',
  storageTotalSize: 65536,
  storageFreeSize: 65536,
  bootloaderVersion: null,
  storageTimestamp: 1,
  unlockAttemptsRemain: 0,
  minPinLength: 4,
  pinAttemptsRemain: 10,
  deviceTime: '2026-01-01T00:00:00.000Z',
  maxMessageSize: 7609,
  connectionState: HwVaultConnectionState.Initializing,
};

const STRINGS = ['version', 'vaultSerialNo', 'firmwareVersion', 'mac'];

describe('hub argument readers', () => {
  it('read any JSON into the bound DTO or refuse it with HubBindingError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...readers), fc.jsonValue(), (read, value) => {
        try {
          read(value);
        } catch (e) {
          // A null device-hub DTO is dereferenced by HES (1001), not refused by the binder.
          if (e instanceof DotNetException) return;
          expect(e).toBeInstanceOf(HubBindingError);
          expect((e as HubBindingError).toJSON().code).toBe('SIGNALR_BAD_ARGUMENTS');
        }
      }),
    );
  });

  it('refuse a vault DTO with a member of the wrong JSON type; null only for strings', () => {
    const wrong = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant([]));
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(validDto)), wrong, (field, value) => {
        const original = (validDto as Record<string, unknown>)[field];
        fc.pre(typeof value !== typeof original || Array.isArray(value));
        fc.pre(!(field === 'connectionState' && Number.isInteger(value)));
        fc.pre(!(field === 'deviceTime' && typeof value === 'string' && isStjDateTime(value)));
        expect(() => vaultInfoArgument({ ...validDto, [field]: value })).toThrow(HubBindingError);
      }),
    );
    for (const field of Object.keys(validDto)) {
      const read = () => vaultInfoArgument({ ...validDto, [field]: null });
      if (STRINGS.includes(field) || field === 'bootloaderVersion') {
        expect(read()).toMatchObject({ [field]: null });
      } else expect(read, field).toThrow(HubBindingError);
    }
  });

  it('leave a missing member at its .NET default and keep any Int32 connection state', () => {
    expect(vaultInfoArgument({})).toEqual({
      ...Object.fromEntries(Object.keys(validDto).map((k) => [k, 0])),
      ...Object.fromEntries(STRINGS.map((k) => [k, null])),
      ...Object.fromEntries(
        Object.keys(validDto)
          .filter((k) => k.startsWith('is'))
          .map((k) => [k, false]),
      ),
      bootloaderVersion: null,
      deviceTime: '0001-01-01T00:00:00',
    });
    expect(vaultInfoArgument({ connectionState: 7 })?.connectionState).toBe(7);
    expect(vaultInfoArgument({ connectionState: -1 })?.connectionState).toBe(-1);
    expect(() => vaultInfoArgument({ connectionState: 2 ** 31 })).toThrow(HubBindingError);
    expect(() => vaultInfoArgument({ battery: 128 })).toThrow(HubBindingError);
    expect(vaultInfoArgument({ battery: -128 })?.battery).toBe(-128);
    expect(vaultInfoArgument(null)).toBeNull();
    expect(workstationInfoArgument({})).toMatchObject({
      id: null,
      users: null,
      isAlarmTurnOn: false,
    });
  });

  it('keep a well-formed vault DTO as it is, whatever the case of its property names', () => {
    expect(vaultInfoArgument(validDto)).toEqual(validDto);
    const upper = Object.fromEntries(
      Object.entries(validDto).map(([k, v]) => [k.toUpperCase(), v]),
    );
    expect(vaultInfoArgument(upper)).toEqual(validDto);
    // Unknown members are skipped whatever they hold.
    expect(vaultInfoArgument({ ...validDto, extra: { deep: [1, 'x'] } })).toEqual(validDto);
  });

  it('bind a System.Version from null or an object only', () => {
    expect(vaultInfoArgument({ bootloaderVersion: { major: 1 } })?.bootloaderVersion).toBeNull();
    for (const value of ['1.0.2', 1, true, []]) {
      expect(() => vaultInfoArgument({ bootloaderVersion: value })).toThrow(HubBindingError);
    }
  });

  it('read event batches item by item: a null item stays null, a bad member fails the call', () => {
    expect(eventsArgument(null)).toBeNull();
    expect(eventsArgument([null, {}])).toEqual([
      null,
      {
        version: null,
        id: null,
        date: '0001-01-01T00:00:00',
        timeZone: null,
        eventId: 0,
        severityId: 0,
        note: null,
        workstationId: null,
        userSession: null,
        workstationSessionId: null,
        deviceId: null,
        accountName: null,
        accountLogin: null,
      },
    ]);
    expect(() => eventsArgument({})).toThrow(HubBindingError);
    expect(() => eventsArgument([{ eventId: 'login' }])).toThrow(HubBindingError);
    expect(() => eventsArgument([{ date: 'yesterday' }])).toThrow(HubBindingError);
    expect(() => eventsArgument([{ date: null }])).toThrow(HubBindingError);
  });

  it('decode a relayed buffer from strict base64 only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const data = Buffer.from(bytes).toString('base64');
        expect(messageBufferArgument({ data, channelNo: 4 }).bytes).toEqual(bytes);
      }),
    );
    for (const data of ['A', 'AB=C', '!!!!', 'AAAA====', 'AA AA', 42]) {
      expect(() => messageBufferArgument({ data, channelNo: 4 })).toThrow(HubBindingError);
    }
  });
});

describe('System.Text.Json DateTime parsing', () => {
  it('accepts the extended ISO 8601 profile STJ reads', () => {
    for (const text of [
      '2024-02-29',
      '2024-01-01T10:00',
      '2024-01-01T10:00Z',
      '2024-01-01T10:00:30',
      '2024-01-01T10:00:30.5',
      '2024-01-01T10:00:30.1234567890123456',
      '2024-01-01T10:00:30.Z',
      '2024-01-01T10:00:30.123+02:00',
      '2024-01-01T10:00:30-05',
      '0001-01-01T00:00:00',
      '9999-12-31T23:59:59.9999999',
      '2024-01-01T10:00:30+14:00',
    ]) {
      expect(isStjDateTime(text), text).toBe(true);
    }
  });

  it('refuses what STJ refuses', () => {
    for (const text of [
      '',
      '2024-1-01',
      '2023-02-29',
      '0000-01-01',
      '2024-13-01',
      '2024-01-01 10:00',
      '2024-01-01t10:00',
      '2024-01-01T24:00',
      '2024-01-01T10:60',
      '2024-01-01T10:00:60',
      '2024-01-01T10:00z',
      '2024-01-01T10:00:30.12345678901234567',
      '2024-01-01T10:00:30+14:01',
      '2024-01-01T10:00:30+0200',
      '2024-01-01T10',
      '0001-01-01T00:00:00+00:01',
      '9999-12-31T23:59:59-00:01',
      'yesterday',
    ]) {
      expect(isStjDateTime(text), text).toBe(false);
    }
  });
});
