import { describe, expect, it } from 'vitest';
import { DeviceError, DeviceErrorKind, isDeviceError } from '../../../device/errors/device-error';
import { VectorError } from '../../../device/key3/conformance/inputs';
import { KeyNotFoundError } from '../../../device/manager/key-not-found-error';
import { ProtocolError, ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { UsageError } from '../../../emulator/cli/usage-error';
import { DemoUsageError } from '../../../emulator/demo/demo-args';
import { HesAdminError, HesAdminErrorCode } from '../../../emulator/hes/domain/hes-admin-error';
import { HesCodeError, NonHideezError, NonHideezReason } from '../../../emulator/hes/domain/ports';
import {
  AdminCredentialsError,
  AdminCredentialsErrorCode,
} from '../../../emulator/hes/rest/admin-credentials';
import { HubBindingError } from '../../../emulator/hes/signalr/argument-binder';
import { SignalRError, SignalRErrorCode } from '../../../emulator/hes/signalr/signalr-error';
import { HesStoreError, HesStoreErrorCode } from '../../../emulator/hes/store/hes-store-error';
import { BleLinkError } from '../../../emulator/key/ble-peripheral';
import { KeyStateError, KeyStateErrorCode } from '../../../emulator/key/key-state-error';
import { Key3LinkError } from '../../../emulator/key3/key3-link-error';
import { AuditQueueError, AuditQueueErrorCode } from '../../../main/audit/audit-queue-error';
import {
  BrowserHostError,
  BrowserHostErrorCode,
} from '../../../main/browser-host/browser-host-error';
import { HesError, HesErrorReason, isHesError } from '../../../main/hes/hes-error';
import { ShapeError } from '../../../main/hes/shape';
import { KeyHistoryError } from '../../../main/history/key-history';
import { SettingsError, SettingsErrorCode } from '../../../main/shell/settings';
import {
  CompanionError,
  type CompanionErrorJson,
  type ErrorDetails,
  type PlainErrorDetails,
} from '../../../shared/errors/companion-error';

const TestErrorCode = { Broken: 'TEST_BROKEN', Gone: 'TEST_GONE' } as const;
type TestErrorCode = (typeof TestErrorCode)[keyof typeof TestErrorCode];

class TestError extends CompanionError<TestErrorCode> {
  override readonly name = 'TestError';
}

/** A subclass with a field of its own, placed in its JSON through super.toJSON(). */
class AttemptError extends CompanionError<number> {
  override readonly name = 'AttemptError';

  constructor(
    readonly attempt: number,
    message: string,
    details?: ErrorDetails,
  ) {
    super(600, message, details);
  }

  override toJSON(): CompanionErrorJson<number, 'AttemptError'> & { readonly attempt: number } {
    return { ...super.toJSON(), attempt: this.attempt };
  }
}

describe('CompanionError', () => {
  it('carries its name, stable code, message and plain details', () => {
    const error = new TestError(TestErrorCode.Broken, 'it broke', { field: 'pin', length: 4 });
    expect(error.name).toBe('TestError');
    expect(error.code).toBe('TEST_BROKEN');
    expect(error.message).toBe('it broke');
    expect(error.details).toEqual({ field: 'pin', length: 4 });
    expect(error.cause).toBeUndefined();
    expect(String(error)).toBe('TestError: it broke');
  });

  it('has details only when given', () => {
    const error = new TestError(TestErrorCode.Gone, 'gone');
    expect(error.details).toBeUndefined();
    expect('details' in error).toBe(false);
    expect(error.toJSON()).not.toHaveProperty('details');
  });

  it('keeps the cause on the error and out of its JSON', () => {
    const cause = new Error('EACCES: secret path /home/alice/.ssh');
    const error = new TestError(TestErrorCode.Broken, 'could not open', undefined, { cause });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error)).not.toContain('EACCES');
    expect(error.toJSON()).not.toHaveProperty('cause');
  });

  it('is an Error, a CompanionError and its own class', () => {
    const error = new TestError(TestErrorCode.Broken, 'x');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CompanionError);
    expect(error).toBeInstanceOf(TestError);
    expect(error).not.toBeInstanceOf(AttemptError);
  });

  it('gives {name, code, message, details} in that order, details copied', () => {
    const details = { field: 'pin' };
    const error = new TestError(TestErrorCode.Broken, 'x', details);
    const json = error.toJSON();
    expect(Object.keys(json)).toEqual(['name', 'code', 'message', 'details']);
    expect(json).toEqual({ name: 'TestError', code: 'TEST_BROKEN', message: 'x', details });
    expect(json.details).not.toBe(details);
  });

  it('lets a subclass add its own fields to the JSON through super.toJSON()', () => {
    const json = new AttemptError(3, 'wrong', { left: 2 }).toJSON();
    expect(Object.keys(json)).toEqual(['name', 'code', 'message', 'details', 'attempt']);
    expect(json).toEqual({
      name: 'AttemptError',
      code: 600,
      message: 'wrong',
      details: { left: 2 },
      attempt: 3,
    });
  });

  it('crosses structuredClone and JSON as the same plain data', () => {
    for (const error of [
      new TestError(TestErrorCode.Gone, 'gone'),
      new AttemptError(1, 'wrong', { left: 0, locked: true }),
      new HesError(611, HesErrorReason.Server, 'not assigned', { target: 'GetDevice' }),
      new SettingsError(SettingsErrorCode.Invalid, 'bad', { fields: ['serverUrl'] }),
    ]) {
      const json = error.toJSON();
      const cloned: unknown = structuredClone(json);
      expect(cloned).toEqual(json);
      expect(Object.getPrototypeOf(cloned)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(error))).toEqual(json);
    }
  });
});

describe('the typed errors on CompanionError', () => {
  // Each keeps the name, code and JSON it had before the base existed.
  const cases: readonly [
    CompanionError<string | number, PlainErrorDetails>,
    string,
    string | number,
  ][] = [
    [
      new BrowserHostError(BrowserHostErrorCode.BindRefused, 'm'),
      'BrowserHostError',
      'BROWSER_HOST_BIND_REFUSED',
    ],
    [new KeyHistoryError('HISTORY_WRITE_FAILED', 'm'), 'KeyHistoryError', 'HISTORY_WRITE_FAILED'],
    [new AuditQueueError(AuditQueueErrorCode.Closed, 'm'), 'AuditQueueError', 'AUDIT_QUEUE_CLOSED'],
    [new SettingsError(SettingsErrorCode.Malformed, 'm'), 'SettingsError', 'SETTINGS_MALFORMED'],
    [new HesError(601, HesErrorReason.Timeout, 'm'), 'HesError', 601],
    [new ShapeError('m'), 'ShapeError', 'SHAPE_INVALID'],
    [new ProtocolError(ProtocolErrorCode.BadCbor, 'm'), 'ProtocolError', 'PROTOCOL_BAD_CBOR'],
    [new VectorError('m'), 'VectorError', 'VECTOR_INVALID'],
    [new KeyNotFoundError('ST1'), 'KeyNotFoundError', 'DEVICE_KEY_NOT_FOUND'],
    [new DeviceError(DeviceErrorKind.Timeout, 'm'), 'DeviceError', 'DEVICE_TIMEOUT'],
    [new BleLinkError('BLE_BAD_MTU', 'm'), 'BleLinkError', 'BLE_BAD_MTU'],
    [new KeyStateError(KeyStateErrorCode.Io, 'm'), 'KeyStateError', 'KEY_STATE_IO'],
    [new UsageError('m'), 'UsageError', 'USAGE'],
    [new Key3LinkError('KEY3_NOT_PAIRED', 'm'), 'Key3LinkError', 'KEY3_NOT_PAIRED'],
    [
      new AdminCredentialsError(AdminCredentialsErrorCode.Exposed, 'm'),
      'AdminCredentialsError',
      'CREDENTIALS_EXPOSED',
    ],
    [new SignalRError(SignalRErrorCode.BadJson, 'm'), 'SignalRError', 'SIGNALR_BAD_JSON'],
    [new HubBindingError('arg', 'a string'), 'SignalRError', 'SIGNALR_BAD_ARGUMENTS'],
    [new HesStoreError(HesStoreErrorCode.BadRow, 'm'), 'HesStoreError', 'HES_STORE_BAD_ROW'],
    [new HesAdminError(HesAdminErrorCode.NotOffered, 'm'), 'HesAdminError', 'NotOffered'],
    [new HesCodeError(615), 'HesCodeError', 615],
    [new NonHideezError(NonHideezReason.Timeout, 'm'), 'NonHideezError', 1001],
    [new DemoUsageError('m'), 'DemoUsageError', 'DEMO_USAGE'],
  ];

  it.each(cases)('%s keeps its name and code', (error, name, code) => {
    expect(error).toBeInstanceOf(CompanionError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.toJSON()).toMatchObject({ name, code, message: error.message });
    expect(structuredClone(error.toJSON())).toEqual(error.toJSON());
  });

  it('keeps the JSON the subclasses had', () => {
    expect(Object.keys(new HesError(600, HesErrorReason.Server, 'm', { a: 1 }).toJSON())).toEqual([
      'name',
      'code',
      'codeName',
      'reason',
      'message',
      'details',
    ]);
    expect(new SettingsError(SettingsErrorCode.Invalid, 'm').toJSON()).toEqual({
      name: 'SettingsError',
      code: 'SETTINGS_INVALID',
      message: 'm',
      details: {},
    });
    expect(new HesStoreError(HesStoreErrorCode.NotFound, 'm').toJSON()).toHaveProperty(
      'details',
      {},
    );
    expect(new KeyNotFoundError('ST1').toJSON()).toEqual({
      name: 'KeyNotFoundError',
      code: 'DEVICE_KEY_NOT_FOUND',
      message: 'No key with this serial number is connected',
      details: { serialNo: 'ST1' },
    });
    expect(new NonHideezError(NonHideezReason.Closing, 'm').toJSON()).toEqual({
      name: 'NonHideezError',
      code: 1001,
      message: 'm',
      reason: 'closing',
    });
    expect(new HesCodeError(615).message).toBe('HideezErrorCode 615');
  });

  it('keeps the type guards', () => {
    const device = new DeviceError(DeviceErrorKind.Busy, 'm');
    expect(isDeviceError(device, DeviceErrorKind.Busy)).toBe(true);
    expect(isDeviceError(device, DeviceErrorKind.Timeout)).toBe(false);
    expect(isHesError(device)).toBe(false);
    expect(isHesError(new HesError(601, HesErrorReason.Timeout, 'm'), 601)).toBe(true);
  });
});
