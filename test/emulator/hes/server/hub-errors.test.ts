// Bad callers of the stand-in's hubs get HES's envelope, never a hub error or a crash: a missing
// WorkstationId header, argument shapes the .NET binder would refuse, device-hub replies without
// a session.
import { afterEach, describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../../shared/errors/hes-error-code';
import { HwVaultConnectionState, type HesResponse } from '../../../../shared/hes/dto';
import { buildVaultDto } from '../../../../main/hes/vault-dto';
import {
  closeAll,
  rest,
  startServer,
  strayDeviceHub,
  TestWorkstation,
  virtualKeys,
} from './stand-in-hosts';

afterEach(closeAll);

const APP_HUB_METHODS: readonly [string, number][] = [
  ['RegisterWorkstationInfo', 1],
  ['SaveClientEvents', 1],
  ['GetHwVaultInfoByRfid', 1],
  ['GetHwVaultInfoByMac', 1],
  ['GetHwVaultInfoBySerialNo', 1],
  ['UpdateHwVaultProperties', 2],
  ['UpdateHwVaultStatus', 1],
  ['AuthHwVault', 1],
  ['UpdateHwVaultAccounts', 2],
  ['GetNewHwVaultLicenses', 1],
  ['HwVaultLicenseApplied', 2],
  ['GetHwVaultLicenses', 1],
];

describe('the stand-in hubs refuse bad calls with the envelope', () => {
  it('answers 1001 "AppHub does not contain WorkstationId!" to every method without the header', async () => {
    const server = await startServer();
    const { keys } = await virtualKeys(1);
    const ws = await TestWorkstation.connect(server, undefined);
    const dto = buildVaultDto(await keys[0]!.usb.info(), HwVaultConnectionState.Initializing);
    const argsFor: Record<string, unknown[]> = {
      RegisterWorkstationInfo: [{ id: 'ws-x', machineName: 'PC' }],
      SaveClientEvents: [[]],
      UpdateHwVaultProperties: [dto, true],
      UpdateHwVaultStatus: [dto],
      UpdateHwVaultAccounts: ['ST1', true],
      HwVaultLicenseApplied: ['ST1', 'lic'],
    };
    for (const [method] of APP_HUB_METHODS) {
      const reply = await ws.invoke(method, ...(argsFor[method] ?? ['ST1']));
      expect(reply, method).toEqual({
        code: HesErrorCode.NonHideezException,
        message: 'AppHub does not contain WorkstationId!',
        data: null,
      });
    }
  });

  it('checks the arity of each AppHub method exactly, as the .NET binder does', async () => {
    const server = await startServer();
    const ws = await TestWorkstation.connect(server, 'ws-1');
    for (const [method, arity] of APP_HUB_METHODS) {
      const args = Array.from({ length: arity + 1 }, () => 'x');
      await expect(ws.invoke(method, ...args), method).rejects.toThrow(
        `Invocation provides ${arity + 1} argument(s) but target expects ${arity}`,
      );
    }
  });

  it('answers 1001 to argument shapes the server cannot read, and keeps serving', async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    const ws = await TestWorkstation.connect(server, 'ws-1');
    await ws.register();
    await rest(server, 'PUT', '/api/Workstations/ApproveWorkstation/ws-1');
    const dto = buildVaultDto(await keys[0]!.usb.info(), HwVaultConnectionState.Initializing);

    const bad: [string, unknown[]][] = [
      ['RegisterWorkstationInfo', [null]],
      ['RegisterWorkstationInfo', [{ machineName: 'no id' }]],
      ['RegisterWorkstationInfo', [{ id: 'ws-1', users: 'alice' }]],
      ['SaveClientEvents', [null]],
      ['SaveClientEvents', [[{ id: 'e1', date: '2026-01-01T00:00:00Z', eventId: 'login' }]]],
      ['GetHwVaultInfoBySerialNo', [42]],
      ['UpdateHwVaultProperties', ['not a dto', true]],
      ['UpdateHwVaultProperties', [dto, 'yes']],
      ['UpdateHwVaultProperties', [{ ...dto, bootloaderVersion: '1.0.2' }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, connectionState: 'Online' }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, battery: 1000 }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, vaultSerialNo: undefined }, true]],
      ['UpdateHwVaultStatus', [[dto]]],
      ['AuthHwVault', [{ serialNo: 'x' }]],
      ['UpdateHwVaultAccounts', [dto.vaultSerialNo, 1]],
      ['HwVaultLicenseApplied', [dto.vaultSerialNo, null]],
    ];
    for (const [method, args] of bad) {
      const reply = await ws.invoke(method, ...args);
      expect(reply.code, `${method} ${JSON.stringify(args)}`).toBe(HesErrorCode.NonHideezException);
      expect(reply.data).toBeNull();
      expect(typeof reply.message).toBe('string');
    }

    // Property names are read case-insensitively, as System.Text.Json does on HES.
    const pascal = Object.fromEntries(
      Object.entries(dto).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]),
    );
    const reply = await ws.invoke('UpdateHwVaultProperties', pascal, false);
    expect(reply).toEqual({ code: HesErrorCode.Ok, message: null, data: null });
  });

  it('answers 1001 "Cannot find remote device in the DeviceHub" to device-hub replies without a session', async () => {
    const server = await startServer();
    const withHeaders = await strayDeviceHub(server, { DeviceId: 'ST1', WorkstationId: 'ws-1' });
    const without = await strayDeviceHub(server, {});
    const noSession = {
      code: HesErrorCode.NonHideezException,
      message: 'Cannot find remote device in the DeviceHub',
      data: null,
    };
    for (const hub of [withHeaders, without]) {
      expect(
        await hub.invoke('RemoteCommandResponse', { data: 'AAEC', channelNo: 4 }, null),
      ).toEqual(noSession);
      expect(await hub.invoke('VerifyCommandResponse', { replyResult: 'AAEC' }, '')).toEqual(
        noSession,
      );
      expect(await hub.invoke('GetRootKeyCommandResponse', { replyResult: null }, null)).toEqual(
        noSession,
      );
    }
    const badShape = await withHeaders.invoke<HesResponse>(
      'RemoteCommandResponse',
      { data: '***', channelNo: 4 },
      null,
    );
    expect(badShape.code).toBe(HesErrorCode.NonHideezException);
    expect(badShape.message).toContain('base64');
  });
});
