// Bad callers of the stand-in's hubs get what HES gives them, never a crash: a missing
// WorkstationId header → 1001; an argument the .NET binder refuses → a failed invocation (no
// envelope); a null DTO → HES's own 1001 text; device-hub replies without a session → 1001.
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
import { APP_HUB_ARITIES } from '../fidelity/proofs/hub-calls-world';

afterEach(closeAll);

const APP_HUB_METHODS = APP_HUB_ARITIES;

describe('the stand-in hubs refuse bad calls as HES does', () => {
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

  it('fails a wrong argument count as the .NET binder does, without detail', async () => {
    const server = await startServer();
    const ws = await TestWorkstation.connect(server, 'ws-1');
    for (const [method, arity] of APP_HUB_METHODS) {
      const args = Array.from({ length: arity + 1 }, () => 'x');
      await expect(ws.invoke(method, ...args), method).rejects.toThrow(
        new RegExp(`^Failed to invoke '${method}' due to an error on the server\\.$`),
      );
    }
    await expect(ws.invoke('OnUnlockWorkstationResponse', 'r', 0, '')).rejects.toThrow(
      "Failed to invoke 'OnUnlockWorkstationResponse' due to an error on the server. HubException: Method does not exist.",
    );
  });

  it('fails the invocation for arguments the binder refuses, and keeps serving', async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    const ws = await TestWorkstation.connect(server, 'ws-1');
    await ws.register();
    server.standIn.approveWorkstation('ws-1');
    const dto = buildVaultDto(await keys[0]!.usb.info(), HwVaultConnectionState.Initializing);

    const bad: [string, unknown[]][] = [
      ['RegisterWorkstationInfo', ['ws-1']],
      ['RegisterWorkstationInfo', [{ id: 'ws-1', users: 'alice' }]],
      ['RegisterWorkstationInfo', [{ id: 'ws-1', isAlarmTurnOn: null }]],
      ['SaveClientEvents', [{}]],
      ['SaveClientEvents', [[{ id: 'e1', date: '2026-01-01T00:00:00Z', eventId: 'login' }]]],
      ['SaveClientEvents', [[{ id: 'e1', date: 'not a date' }]]],
      ['GetHwVaultInfoBySerialNo', [42]],
      ['UpdateHwVaultProperties', ['not a dto', true]],
      ['UpdateHwVaultProperties', [dto, 'yes']],
      ['UpdateHwVaultProperties', [dto, null]],
      ['UpdateHwVaultProperties', [{ ...dto, bootloaderVersion: '1.0.2' }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, connectionState: 'Online' }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, battery: 1000 }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, isLocked: null }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, deviceTime: 'now' }, true]],
      ['UpdateHwVaultStatus', [[dto]]],
      ['AuthHwVault', [{ serialNo: 'x' }]],
      ['UpdateHwVaultAccounts', [dto.vaultSerialNo, 1]],
      ['HwVaultLicenseApplied', [dto.vaultSerialNo, 7]],
    ];
    for (const [method, args] of bad) {
      await expect(ws.invoke(method, ...args), `${method} ${JSON.stringify(args)}`).rejects.toThrow(
        new RegExp(`^Failed to invoke '${method}' due to an error on the server\\.$`),
      );
    }

    // What binds reaches HES's method, which answers the envelope with .NET's texts.
    const nullReference = 'Object reference not set to an instance of an object.';
    const answered: [string, unknown[], number, string][] = [
      [
        'RegisterWorkstationInfo',
        [null],
        1001,
        "Value cannot be null. (Parameter 'workstationInfoDto')",
      ],
      [
        'RegisterWorkstationInfo',
        [{ machineName: 'no id' }],
        1001,
        "Value cannot be null. (Parameter 'key')",
      ],
      [
        'SaveClientEvents',
        [null],
        1001,
        "Value cannot be null. (Parameter 'workstationEventsDto')",
      ],
      ['UpdateHwVaultProperties', [null, true], 1001, nullReference],
      ['UpdateHwVaultStatus', [null], 1001, nullReference],
      ['GetHwVaultInfoBySerialNo', [null], 1001, nullReference],
      [
        'UpdateHwVaultProperties',
        [{ ...dto, vaultSerialNo: undefined }, true],
        607,
        'HesDeviceNotFound (607)',
      ],
    ];
    for (const [method, args, code, message] of answered) {
      expect(await ws.invoke(method, ...args), `${method} ${JSON.stringify(args)}`).toEqual({
        code,
        message,
        data: null,
      });
    }

    // Property names are read case-insensitively, as System.Text.Json does on HES.
    const pascal = Object.fromEntries(
      Object.entries(dto).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]),
    );
    const reply = await ws.invoke('UpdateHwVaultProperties', pascal, false);
    expect(reply).toEqual({ code: HesErrorCode.Ok, message: null, data: null });
  });

  it('answers device-hub replies without a session with HES’s 1001 texts; a bad buffer fails the invocation', async () => {
    const server = await startServer();
    const withHeaders = await strayDeviceHub(server, { DeviceId: 'ST1', WorkstationId: 'ws-1' });
    const without = await strayDeviceHub(server, {});
    const refusal = (message: string) => ({
      code: HesErrorCode.NonHideezException,
      message,
      data: null,
    });
    const cases = [
      [withHeaders, refusal('Cannot find remote device in the DeviceHub')],
      [without, refusal('DeviceHub does not contain DeviceId!')],
    ] as const;
    for (const [hub, expected] of cases) {
      expect(
        await hub.invoke('RemoteCommandResponse', { data: 'AAEC', channelNo: 4 }, null),
      ).toEqual(expected);
      expect(await hub.invoke('VerifyCommandResponse', { replyResult: 'AAEC' }, '')).toEqual(
        expected,
      );
      expect(await hub.invoke('GetRootKeyCommandResponse', { replyResult: null }, null)).toEqual(
        expected,
      );
    }
    // byte[] binds from strict base64 only: anything else fails the binding, not the method.
    await expect(
      withHeaders.invoke<HesResponse>('RemoteCommandResponse', { data: '***', channelNo: 4 }, null),
    ).rejects.toThrow(/^Failed to invoke 'RemoteCommandResponse' due to an error on the server\.$/);
  });
});
