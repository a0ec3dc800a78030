// The vault calls of hes-contract.md §4.4 against a test HES: every argument sent,
// envelopes turned into typed results or HesError, and the client's own limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { HwVaultConnectionState, type WorkstationEventDto } from '../../../shared/hes/dto';
import { accessFlagsFromBits, CodeLockReason, type KeyInfo } from '../../../shared/key/key-info';
import { HesError } from '../../../main/hes/hes-error';
import { startClient, stopClients, type Harness } from './client-harness';
import { fail, ok, TestHes } from './hes-test-server';

const info: KeyInfo = {
  serialNo: 'ST10101190400001',
  mac: 'AA:BB:CC:DD:EE:01',
  model: 'Hideez Key 4',
  firmwareVersion: '1.4.0',
  bootloaderVersion: '1.0.2',
  bootloaderMode: false,
  battery: 80,
  storageTotalSize: 65_536,
  storageFreeSize: 65_000,
  storageTimestamp: 0,
  access: accessFlagsFromBits(0x01),
  lockedByCode: false,
  lockedByPin: false,
  canUnlock: false,
  unlockAttemptsRemain: 0,
  pinAttemptsRemain: 0,
  minPinLength: 4,
  codeLockReason: CodeLockReason.None,
  maxMessageSize: 1024,
};
const vaultInfo = {
  ownerName: 'Alice Smith',
  ownerEmail: 'alice@corp.com',
  vaultMac: 'AA:BB:CC:DD:EE:01',
  vaultSerialNo: info.serialNo,
  vaultRfid: null,
  needUpdateLicense: false,
  needStateUpdate: true,
  needUpdateOSAccounts: false,
  needUpdateNonOSAccounts: true,
};
const license = {
  id: 'lic-1',
  deviceId: info.serialNo,
  licenseOrderId: 'order-1',
  importedAt: '2025-01-01T00:00:00Z',
  appliedAt: null,
  endDate: null,
  data: 'AQID',
};

let server: TestHes;
let h: Harness;
beforeEach(async () => {
  server = await TestHes.start();
  h = startClient(server.base, { callTimeoutMs: 300 });
  await h.untilState('connected');
});
afterEach(async () => {
  await stopClients();
  await server.stop();
});

async function rejection(promise: Promise<unknown>): Promise<HesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof HesError)) throw new Error(`expected HesError, got ${String(error)}`);
  return error;
}

describe('the vault calls', () => {
  it('send the vault DTO with returnInfo and give back the typed vault info', async () => {
    server.replies.set('UpdateHwVaultProperties', () => ok(vaultInfo));
    const dto = h.client.buildVaultDto(info, HwVaultConnectionState.Initializing);
    expect(await h.client.updateHwVaultProperties(dto, true)).toEqual(vaultInfo);
    const call = await server.next('UpdateHwVaultProperties');
    expect(call.args).toEqual([JSON.parse(JSON.stringify(dto)), true]);
    expect((call.args[0] as Record<string, unknown>)['bootloaderVersion']).toBeNull();
  });

  it('always send returnInfo, also when it is false', async () => {
    const dto = h.client.buildVaultDto(info, HwVaultConnectionState.Online);
    expect(await h.client.updateHwVaultProperties(dto, false)).toBeNull();
    expect((await server.next('UpdateHwVaultProperties')).args[1]).toBe(false);
  });

  it('send each method with its exact arguments', async () => {
    // A field HES does not define is ignored, whatever it holds.
    server.replies.set('UpdateHwVaultStatus', () => ok({ ...vaultInfo, status: 'Active' }));
    server.replies.set('GetNewHwVaultLicenses', () => ok([license]));
    server.replies.set('GetHwVaultLicenses', () => ok(null));
    server.replies.set('GetHwVaultInfoBySerialNo', () => ok(vaultInfo));
    const dto = h.client.buildVaultDto(info, HwVaultConnectionState.Initializing);
    expect(await h.client.updateHwVaultStatus(dto)).toEqual(vaultInfo);
    await h.client.authHwVault(info.serialNo);
    await h.client.updateHwVaultAccounts(info.serialNo, false);
    expect(await h.client.getNewHwVaultLicenses(info.serialNo)).toEqual([license]);
    await h.client.hwVaultLicenseApplied(info.serialNo, 'lic-1');
    expect(await h.client.getHwVaultLicenses(info.serialNo)).toEqual([]);
    expect(await h.client.getHwVaultInfoBySerialNo(info.serialNo)).toEqual({
      ownerName: 'Alice Smith',
      ownerEmail: 'alice@corp.com',
      vaultMac: 'AA:BB:CC:DD:EE:01',
      vaultSerialNo: info.serialNo,
      vaultRfid: null,
    });
    const event: WorkstationEventDto = {
      version: '1.1.0.0',
      id: '0d9a1f7e-1111-4a2b-9c3d-222233334444',
      date: '2025-01-01T10:00:00Z',
      timeZone: '2025-01-01T12:00:00+02:00',
      eventId: 8,
      severityId: 0,
      note: null,
      workstationId: 'ws',
      userSession: null,
      workstationSessionId: null,
      deviceId: null,
      accountName: null,
      accountLogin: null,
    };
    await h.client.saveClientEvents([event]);
    const expected: [string, unknown[]][] = [
      ['UpdateHwVaultStatus', [JSON.parse(JSON.stringify(dto))]],
      ['AuthHwVault', [info.serialNo]],
      ['UpdateHwVaultAccounts', [info.serialNo, false]],
      ['GetNewHwVaultLicenses', [info.serialNo]],
      ['HwVaultLicenseApplied', [info.serialNo, 'lic-1']],
      ['GetHwVaultLicenses', [info.serialNo]],
      ['GetHwVaultInfoBySerialNo', [info.serialNo]],
      ['SaveClientEvents', [[event]]],
    ];
    for (const [target, args] of expected) expect((await server.next(target)).args).toEqual(args);
  });

  it('turn an error code into a HesError with that code', async () => {
    for (const code of [611, 614, 615, 616, 1014]) {
      server.replies.set('UpdateHwVaultStatus', () => fail(code, `Error (${code})`));
      const error = await rejection(
        h.client.updateHwVaultStatus(
          h.client.buildVaultDto(info, HwVaultConnectionState.Initializing),
        ),
      );
      expect(error).toMatchObject({ code, reason: 'server', message: `Error (${code})` });
    }
    server.replies.set('AuthHwVault', () => ({ message: 'no code', data: null }));
    expect((await rejection(h.client.authHwVault('ST1'))).code).toBe(HesErrorCode.UnknownError);
  });

  it('answer 619 when the server gives no vault info where it must', async () => {
    server.replies.set('UpdateHwVaultProperties', () => ok(null));
    const dto = h.client.buildVaultDto(info, HwVaultConnectionState.Initializing);
    expect((await rejection(h.client.updateHwVaultProperties(dto, true))).code).toBe(
      HesErrorCode.HesUpdatedDeviceNull,
    );
  });

  it('refuse malformed envelopes and DTOs with a typed error, and stay connected', async () => {
    const replies = [
      'ok',
      null,
      [1],
      { code: 'zero' },
      ok({ ...vaultInfo, needStateUpdate: 'yes' }),
    ];
    for (const reply of replies) {
      server.replies.set('UpdateHwVaultStatus', () => reply);
      const error = await rejection(
        h.client.updateHwVaultStatus(h.client.buildVaultDto(info, HwVaultConnectionState.Online)),
      );
      expect(error).toMatchObject({
        code: HesErrorCode.HesUnknownError,
        reason: 'malformedResponse',
      });
    }
    server.replies.set('GetHwVaultLicenses', () => ok([{ ...license, data: '***' }]));
    expect((await rejection(h.client.getHwVaultLicenses('ST1'))).reason).toBe('malformedResponse');
    expect(h.client.state).toEqual({ state: 'connected' });
  });

  it('report a server-side exception as 1001 hubError', async () => {
    server.replies.set('AuthHwVault', () => {
      throw new Error('boom');
    });
    const error = await rejection(h.client.authHwVault('ST1'));
    expect(error).toMatchObject({ code: HesErrorCode.NonHideezException, reason: 'hubError' });
  });

  it('time out a call the server never answers', async () => {
    server.replies.set('AuthHwVault', () => new Promise(() => undefined));
    const error = await rejection(h.client.authHwVault('ST1'));
    expect(error).toMatchObject({ code: HesErrorCode.HesNotConnected, reason: 'timeout' });
    expect(h.client.state).toEqual({ state: 'connected' });
  });

  it('refuse a message over 32 KB before sending it, and stay connected', async () => {
    const big = Array.from({ length: 200 }, (_, i) => ({ id: String(i), note: 'x'.repeat(200) }));
    const error = await rejection(
      h.client.saveClientEvents(big as unknown as WorkstationEventDto[]),
    );
    expect(error.reason).toBe('messageTooLarge');
    await h.client.authHwVault('ST1');
    expect(server.signalr.connections('/appHub')).toHaveLength(1);
  });

  it('fail at once with 601 while offline', async () => {
    await server.stop();
    await h.untilState('offline');
    const error = await rejection(h.client.authHwVault('ST1'));
    expect(error).toMatchObject({ code: HesErrorCode.HesNotConnected, reason: 'notConnected' });
    server = await TestHes.start();
  });
});
