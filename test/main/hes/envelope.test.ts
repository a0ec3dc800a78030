import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import {
  encryptedRequest,
  hwVaultInfo,
  hwVaultLicenses,
  hwVaultShortInfo,
  proximitySettings,
} from '../../../main/hes/dto-validators';
import { readEnvelope, readOk } from '../../../main/hes/envelope';
import { HesError } from '../../../main/hes/hes-error';

const T = 'UpdateHwVaultStatus';

function failure(run: () => unknown): HesError {
  try {
    run();
  } catch (e) {
    if (e instanceof HesError) return e;
    throw e;
  }
  throw new Error('no error');
}

const text = fc.string({ maxLength: 20 });
const nullableText = fc.option(text, { nil: null });
const base64Text = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64'));

const shortInfo = fc.record({
  ownerName: nullableText,
  ownerEmail: nullableText,
  vaultMac: text,
  vaultSerialNo: text,
  vaultRfid: nullableText,
});
const vaultInfo = fc
  .tuple(
    shortInfo,
    fc.record({
      needUpdateLicense: fc.boolean(),
      needStateUpdate: fc.boolean(),
      needUpdateOSAccounts: fc.boolean(),
      needUpdateNonOSAccounts: fc.boolean(),
    }),
  )
  .map(([a, b]) => ({ ...a, ...b }));
const license = fc.record({
  id: text,
  deviceId: text,
  licenseOrderId: text,
  importedAt: nullableText,
  appliedAt: nullableText,
  endDate: nullableText,
  data: base64Text,
});
const proximity = fc.record({
  serialNo: text,
  mac: text,
  lockProximity: fc.integer({ min: 0, max: 100 }),
  unlockProximity: fc.integer({ min: 0, max: 100 }),
  lockTimeout: fc.nat(),
});
const request = fc.record({
  buffer: fc.record({ data: base64Text, channelNo: fc.integer({ min: 0, max: 255 }) }),
  contextGuid: fc.uuid(),
  channelNo: fc.integer({ min: 0, max: 255 }),
});

/** Removes one field (at any depth) of a JSON object. */
function withoutField(value: Record<string, unknown>, index: number): Record<string, unknown> {
  const keys = Object.keys(value);
  const key = keys[index % keys.length]!;
  const { [key]: _gone, ...rest } = value;
  return rest;
}

describe('the {code, message, data} envelope', () => {
  it('gives the data of an Ok answer, or null when there is none', () => {
    expect(readEnvelope(T, { code: 0, message: null, data: { a: 1 } }, (d) => d)).toEqual({ a: 1 });
    expect(readEnvelope(T, { code: 0, message: '', data: null }, (d) => d)).toBeNull();
    expect(readEnvelope(T, { code: 0, message: '' }, (d) => d)).toBeNull();
    expect(() => readOk(T, { code: 0, message: '', data: null })).not.toThrow();
  });

  it('turns a non-zero code into a HesError carrying it and the server message', () => {
    const error = failure(() =>
      readOk(T, { code: 615, message: 'HesDeviceLocked (615)', data: null }),
    );
    expect(error.code).toBe(HesErrorCode.HesDeviceLocked);
    expect(error.reason).toBe('server');
    expect(error.message).toBe('HesDeviceLocked (615)');
    expect(error.toJSON()).toMatchObject({
      code: 615,
      codeName: 'HesDeviceLocked',
      reason: 'server',
    });
  });

  it('reads a missing code as 1000 UnknownError, as the SDK does', () => {
    expect(failure(() => readOk(T, { message: 'x', data: null })).code).toBe(
      HesErrorCode.UnknownError,
    );
    expect(failure(() => readOk(T, {})).code).toBe(HesErrorCode.UnknownError);
  });

  it('keeps unknown server codes as numbers', () => {
    const error = failure(() => readOk(T, { code: 4242, message: null }));
    expect(error.code).toBe(4242);
    expect(error.toJSON().codeName).toBe('HideezErrorCode(4242)');
  });

  it('refuses other shapes with a typed malformedResponse error', () => {
    for (const raw of [null, 'ok', 42, [], { code: '0' }, { code: 1.5 }, { code: 0, message: 7 }]) {
      const error = failure(() => readOk(T, raw));
      expect(error.reason).toBe('malformedResponse');
      expect(error.code).toBe(HesErrorCode.HesUnknownError);
    }
  });

  it('never throws anything but HesError, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        try {
          readEnvelope(T, raw, hwVaultInfo);
        } catch (e) {
          expect(e).toBeInstanceOf(HesError);
        }
      }),
    );
  });

  it('does not echo the data of a malformed answer', () => {
    const error = failure(() =>
      readEnvelope(
        T,
        { code: 0, message: null, data: { ownerName: 'SECRET-OWNER', needStateUpdate: 'x' } },
        hwVaultInfo,
      ),
    );
    expect(JSON.stringify(error.toJSON())).not.toContain('SECRET-OWNER');
  });
});

describe('the DTO validators', () => {
  it('accept every well-formed vault info', () => {
    fc.assert(
      fc.property(vaultInfo, (dto) => {
        expect(hwVaultInfo(JSON.parse(JSON.stringify(dto)))).toEqual(dto);
      }),
    );
  });

  it('drop members HES does not define, a status among them', () => {
    fc.assert(
      fc.property(shortInfo, fc.boolean(), (dto, flag) => {
        const raw = {
          ...dto,
          needUpdateLicense: flag,
          needStateUpdate: flag,
          needUpdateOSAccounts: flag,
          needUpdateNonOSAccounts: flag,
          extra: 1,
          status: 'anything',
        };
        const read = hwVaultInfo(raw);
        expect('status' in read).toBe(false);
        expect('extra' in read).toBe(false);
        expect(hwVaultShortInfo({ ...dto, extra: 1 })).toEqual(dto);
      }),
    );
  });

  it('refuse a vault info with a required field missing', () => {
    const required = [
      'vaultMac',
      'vaultSerialNo',
      'needUpdateLicense',
      'needStateUpdate',
      'needUpdateOSAccounts',
      'needUpdateNonOSAccounts',
    ];
    fc.assert(
      fc.property(vaultInfo, fc.constantFrom(...required), (dto, field) => {
        const { [field]: _gone, ...missing } = dto as Record<string, unknown>;
        expect(() =>
          readEnvelope(T, { code: 0, message: null, data: missing }, hwVaultInfo),
        ).toThrow(HesError);
      }),
    );
  });

  it('accept license lists and refuse a non-base64 license', () => {
    fc.assert(
      fc.property(fc.array(license, { maxLength: 5 }), (list) => {
        expect(hwVaultLicenses(JSON.parse(JSON.stringify(list)))).toEqual(list);
      }),
    );
    fc.assert(
      fc.property(license, (l) => {
        const raw = { code: 0, message: null, data: [{ ...l, data: `${l.data}*` }] };
        expect(failure(() => readEnvelope('GetHwVaultLicenses', raw, hwVaultLicenses)).reason).toBe(
          'malformedResponse',
        );
      }),
    );
  });

  it('accept proximity settings within 0–100 and refuse others', () => {
    fc.assert(
      fc.property(fc.array(proximity, { maxLength: 5 }), (list) => {
        expect(proximitySettings(list)).toEqual(list);
      }),
    );
    fc.assert(
      fc.property(proximity, fc.integer({ min: 101 }), (p, out) => {
        expect(() => proximitySettings([{ ...p, lockProximity: out }])).toThrow();
        expect(() => proximitySettings([{ ...p, unlockProximity: -out }])).toThrow();
      }),
    );
  });

  it('accept encrypted requests and refuse any with a part missing', () => {
    fc.assert(
      fc.property(request, fc.nat(), (r, index) => {
        expect(encryptedRequest(r)).toEqual(r);
        const broken = withoutField(r, index);
        if (Object.keys(broken).includes('contextGuid'))
          expect(() => encryptedRequest(broken)).toThrow();
      }),
    );
  });
});
