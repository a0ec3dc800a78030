import { describe, expect, it } from 'vitest';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import {
  Key3CryptoError,
  Key3FirmwareError,
  UNKNOWN_KEY3_ERROR,
  fromDeviceErrorCode,
  toDeviceErrorCode,
} from '../../../device/key3/protocol/errors';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { refusal } from './helpers';

describe('Key 3 error replies', () => {
  it('carry the reference codes', () => {
    expect(Key3FirmwareError).toMatchObject({
      UnknownMessage: 0x01,
      LockedByPin: 0x05,
      LockedByCode: 0x07,
      WrongPinOrCode: 0x13,
      PinTooShort: 0x11,
      OperationCancelled: 0x0e,
      ChannelBusy: 0x15,
      Timeout: 0x18,
      PinRequired: 0x19,
      ButtonRequired: 0x1a,
      PinNotSet: 0x1b,
      InvalidLicense: 0x1f,
    });
    expect(Object.keys(Key3FirmwareError)).toHaveLength(25);
    expect(Object.keys(Key3CryptoError)).toHaveLength(10);
  });

  it('map the activation and PIN answers to the catalogue', () => {
    expect(toDeviceErrorCode('firmware', 0x13)).toBe(DeviceErrorCode.ERR_PIN_WRONG);
    expect(toDeviceErrorCode('firmware', 0x07)).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
    expect(toDeviceErrorCode('firmware', 0x05)).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN);
    expect(toDeviceErrorCode('firmware', 0x19)).toBe(DeviceErrorCode.ERR_PIN_REQ);
    expect(toDeviceErrorCode('firmware', 0x1a)).toBe(DeviceErrorCode.ERR_BUTTON_REQ);
    expect(toDeviceErrorCode('firmware', 0x1b)).toBe(DeviceErrorCode.ERR_PIN_NOT_SET);
    expect(toDeviceErrorCode('firmware', 0x11)).toBe(DeviceErrorCode.ERR_PIN_TOO_SHORT);
    expect(toDeviceErrorCode('firmware', 0x0e)).toBe(DeviceErrorCode.ERR_OPERATION_CANCELED);
    expect(toDeviceErrorCode('firmware', 0x15)).toBe(DeviceErrorCode.ERR_DEVICE_BUSY);
    expect(toDeviceErrorCode('crypto', 0x08)).toBe(DeviceErrorCode.ERR_BAD_SEAL);
  });

  it('map every known code to a failure, and unknown ones to the conservative default', () => {
    for (const e of Object.values(Key3FirmwareError))
      expect(toDeviceErrorCode('firmware', e)).not.toBe(DeviceErrorCode.OK);
    for (const e of Object.values(Key3CryptoError))
      expect(toDeviceErrorCode('crypto', e)).not.toBe(DeviceErrorCode.OK);
    const known = new Set<number>(Object.values(Key3FirmwareError));
    for (let e = 0; e < 256; e++) {
      if (!known.has(e)) expect(toDeviceErrorCode('firmware', e)).toBe(UNKNOWN_KEY3_ERROR);
    }
    expect(UNKNOWN_KEY3_ERROR).toBe(DeviceErrorCode.ERR_HARDWARE_FAULT);
    expect(toDeviceErrorCode('crypto', 0x00)).toBe(UNKNOWN_KEY3_ERROR);
  });

  it('the virtual key can answer every failure status, and each produced status maps back to itself', () => {
    const failures = Object.values(DeviceErrorCode).filter((c) => c !== DeviceErrorCode.OK);
    const produced = new Set<number>([
      ...Object.values(Key3FirmwareError).map((e) => toDeviceErrorCode('firmware', e)),
      ...Object.values(Key3CryptoError).map((e) => toDeviceErrorCode('crypto', e)),
    ]);
    for (const status of failures) {
      const { source, error } = fromDeviceErrorCode(status);
      if (produced.has(status)) expect(toDeviceErrorCode(source, error)).toBe(status);
    }
    refusal(() => fromDeviceErrorCode(DeviceErrorCode.OK), ProtocolErrorCode.BadField);
  });
});
