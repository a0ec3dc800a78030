// Reading hub arguments: whatever JSON a client sends, the result is a well-formed DTO or a
// HubArgumentError (answered as 1001), never another exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventsArgument,
  HubArgumentError,
  messageBufferArgument,
  replyResultArgument,
  vaultInfoArgument,
  workstationInfoArgument,
} from '../../../../emulator/hes/hubs/hub-arguments';
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

describe('hub argument readers', () => {
  it('read any JSON into a DTO or refuse it with HubArgumentError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...readers), fc.jsonValue(), (read, value) => {
        try {
          read(value);
        } catch (e) {
          expect(e).toBeInstanceOf(HubArgumentError);
          expect((e as HubArgumentError).toJSON().code).toBe('HES_STANDIN_BAD_HUB_ARGUMENT');
        }
      }),
    );
  });

  it('refuse a vault DTO with any single field of the wrong JSON type', () => {
    const wrong = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant([]));
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(validDto)), wrong, (field, value) => {
        const original = (validDto as Record<string, unknown>)[field];
        fc.pre(typeof value !== typeof original || Array.isArray(value));
        expect(() => vaultInfoArgument({ ...validDto, [field]: value })).toThrow(HubArgumentError);
      }),
    );
  });

  it('keep a well-formed vault DTO as it is, whatever the case of its property names', () => {
    expect(vaultInfoArgument(validDto)).toEqual(validDto);
    const upper = Object.fromEntries(
      Object.entries(validDto).map(([k, v]) => [k.toUpperCase(), v]),
    );
    expect(vaultInfoArgument(upper)).toEqual(validDto);
  });

  it('decode a relayed buffer from strict base64 only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const data = Buffer.from(bytes).toString('base64');
        expect(messageBufferArgument({ data, channelNo: 4 }).bytes).toEqual(bytes);
      }),
    );
    for (const data of ['A', 'AB=C', '!!!!', 'AAAA====', 42]) {
      expect(() => messageBufferArgument({ data, channelNo: 4 })).toThrow(HubArgumentError);
    }
  });
});
