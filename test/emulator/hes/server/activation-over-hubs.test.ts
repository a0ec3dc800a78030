// The stand-in end to end: the real @microsoft/signalr client on /appHub and /deviceHub, a
// virtual key behind the test workstation, and the admin REST API.
import { afterEach, describe, expect, it } from 'vitest';
import { Command } from '../../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import { HesErrorCode } from '../../../../shared/errors/hes-error-code';
import { HwVaultConnectionState, type HwVaultInfoFromHesDto } from '../../../../shared/hes/dto';
import { VaultStatus } from '../../../../shared/vault/vault-status';
import type { RemoteJobOutcome } from '../../../../emulator/hes/domain/ports';
import { ascii } from '../../key/key-hosts';
import {
  closeAll,
  rest,
  startServer,
  TestWorkstation,
  virtualKeys,
  type TestKey,
  until,
} from './stand-in-hosts';

afterEach(closeAll);

type Server = Awaited<ReturnType<typeof startServer>>;

/** Import the keys, add an employee, reserve the first key; the pending code. */
async function reservedKey(server: Server, key: TestKey, records: unknown): Promise<string> {
  expect((await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records)).status).toBe(
    200,
  );
  const employee = await rest(server, 'POST', '/api/Employees/CreateEmployee', {
    firstName: 'Alice',
    lastName: 'Smith',
    email: 'alice@corp.example',
  });
  expect(employee.status).toBe(201);
  const employeeId = (employee.body as { id: string }).id;
  const reserve = await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
    employeeId,
    hardwareVaultId: key.record.serialNo,
  });
  expect(reserve.status).toBe(204);
  const code = await rest(
    server,
    'GET',
    `/api/standin/HardwareVaults/${key.record.serialNo}/ActivationCode`,
  );
  expect(code.status).toBe(200);
  return (code.body as { activationCode: string }).activationCode;
}

/** A registered, approved workstation relaying to `key`. */
async function approvedWorkstation(
  server: Server,
  key: TestKey,
  id = 'ws-1',
): Promise<TestWorkstation> {
  const ws = await TestWorkstation.connect(server, id);
  ws.attach(key.usb, key.record.serialNo);
  expect((await ws.register()).code).toBe(HesErrorCode.HesWorkstationNotApproved);
  // The administrator approves it (HES's UI path; its REST route wants a department).
  server.standIn.approveWorkstation(id);
  expect((await ws.register()).code).toBe(HesErrorCode.Ok);
  return ws;
}

describe('the HES stand-in over its hubs', () => {
  it('runs a first activation end to end: Link over the device hub, the code, Access → Active', async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    const key = keys[0]!;
    const code = await reservedKey(server, key, records);
    expect(code).toMatch(/^\d{6}$/);
    const ws = await approvedWorkstation(server, key);

    // The blank key is announced: the server asks for a status update.
    const props = await ws.invoke<HwVaultInfoFromHesDto>(
      'UpdateHwVaultProperties',
      await ws.dto(key.usb, HwVaultConnectionState.Initializing),
      true,
    );
    expect(props.code).toBe(HesErrorCode.Ok);
    expect(props.data?.needStateUpdate).toBe(true);

    // The status update links the key through /deviceHub: it is now locked by the code.
    const link = await ws.invoke(
      'UpdateHwVaultStatus',
      await ws.dto(key.usb, HwVaultConnectionState.Initializing),
    );
    expect(link.code).toBe(HesErrorCode.Ok);
    expect(ws.pushes.some((p) => p.target === 'EstablishRemoteHwVaultConnection')).toBe(true);
    expect(ws.deviceHubs.length).toBe(1);
    // The channel was verified (reset, verify; no root key for an open key) before any command.
    expect(ws.steps.slice(0, 3).map((s) => s.target)).toEqual([
      'SendResetChannel',
      'SendVerifyCommand',
      'SendRemoteCommand',
    ]);
    expect(ws.steps.some((s) => s.target === 'SendGetRootKeyCommand')).toBe(false);
    const linked = await key.usb.info();
    expect(linked.access.linkRequired).toBe(false);
    expect(linked.lockedByCode).toBe(true);

    // The user types the code the admin read from the REST API.
    const unlock = await key.usb.request({ command: Command.UnlockWithCode, code: ascii(code) });
    expect(unlock.status).toBe(DeviceErrorCode.OK);

    const report = await ws.invoke<HwVaultInfoFromHesDto>(
      'UpdateHwVaultProperties',
      await ws.dto(key.usb, HwVaultConnectionState.Initializing),
      true,
    );
    expect(report.data?.needStateUpdate).toBe(true);
    const access = await ws.invoke(
      'UpdateHwVaultStatus',
      await ws.dto(key.usb, HwVaultConnectionState.Initializing),
    );
    expect(access.code).toBe(HesErrorCode.Ok);

    const status = await rest(
      server,
      'GET',
      `/api/standin/HardwareVaults/${key.record.serialNo}/Status`,
    );
    const body = status.body as { status: number; history: { from: number; to: number }[] };
    expect(body.status).toBe(VaultStatus.Active);
    expect(body.history.map((h) => h.to)).toEqual([VaultStatus.Reserved, VaultStatus.Active]);
    // The session was reused: one device-hub connection for both status updates.
    expect(ws.deviceHubs.length).toBe(1);
  });

  it('answers 604 to a workstation that is not approved', async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    const key = keys[0]!;
    await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    const ws = await TestWorkstation.connect(server, 'ws-new');
    expect((await ws.register()).code).toBe(HesErrorCode.HesWorkstationNotApproved);
    const props = await ws.invoke(
      'UpdateHwVaultProperties',
      await ws.dto(key.usb, HwVaultConnectionState.Initializing),
      true,
    );
    expect(props.code).toBe(HesErrorCode.HesWorkstationNotApproved);
    expect(props.data).toBeNull();
  });

  it('pushes SetAlarmState when the alarm goes on and answers 618 until it is off', async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    const key = keys[0]!;
    await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    const ws = await approvedWorkstation(server, key);

    // HES answers 200 (an empty Ok).
    expect((await rest(server, 'POST', '/api/Workstations/LockAllWorkstations')).status).toBe(200);
    const push = await ws.nextPush((p) => p.target === 'SetAlarmState');
    expect(push.args).toEqual([true]);
    expect((await ws.invoke('GetHwVaultInfoBySerialNo', key.record.serialNo)).code).toBe(
      HesErrorCode.HesAlarm,
    );

    expect((await rest(server, 'POST', '/api/standin/Alarm/Off')).status).toBe(204);
    await ws.nextPush((p) => p.target === 'SetAlarmState' && p.args[0] === false);
    const info = await ws.invoke<{ vaultSerialNo: string }>(
      'GetHwVaultInfoBySerialNo',
      key.record.serialNo,
    );
    expect(info.code).toBe(HesErrorCode.Ok);
    expect(info.data?.vaultSerialNo).toBe(key.record.serialNo);
  });

  it('answers 512 when the device hub does not come or does not verify in time; a command timeout is 1001 and keeps the session', async () => {
    const outcomes: RemoteJobOutcome[] = [];
    const server = await startServer({
      setupTimeoutMs: 200,
      commandTimeoutMs: 300,
      onRemoteJob: (o) => outcomes.push(o),
    });
    const { keys, records } = await virtualKeys(1);
    const key = keys[0]!;
    await reservedKey(server, key, records);
    const ws = await approvedWorkstation(server, key);
    const dto = await ws.dto(key.usb, HwVaultConnectionState.Initializing);
    await ws.invoke('UpdateHwVaultProperties', dto, false);

    ws.relayMode = 'ignore';
    expect((await ws.invoke('UpdateHwVaultStatus', dto)).code).toBe(
      HesErrorCode.RemoteConnectionTimedOut,
    );
    // The device hub comes, but the verification is never answered: still the set-up's 512.
    ws.relayMode = 'mute';
    expect((await ws.invoke('UpdateHwVaultStatus', dto)).code).toBe(
      HesErrorCode.RemoteConnectionTimedOut,
    );
    expect(ws.deviceHubs.length).toBe(1);
    // Its verification ends later (the step's own limit), with nobody waiting: only logged.
    await until(() => outcomes.some((o) => o.job === 'VerifyAndInitialize'));
    expect(outcomes[0]).toMatchObject({ vaultId: key.record.serialNo, code: 1001 });
    // Verified, but the command is never answered: the SDK's timeout, 1001.
    ws.relayMode = 'silent';
    expect(await ws.invoke('UpdateHwVaultStatus', dto)).toEqual({
      code: HesErrorCode.NonHideezException,
      message: 'The operation has timed out.',
      data: null,
    });
    const establishes = ws.pushes.filter((p) => p.target === 'EstablishRemoteHwVaultConnection');
    expect(establishes).toHaveLength(3);

    // Nothing was applied; the session stays (no new set-up) and now relays the Link.
    ws.relayMode = 'relay';
    expect((await ws.invoke('UpdateHwVaultStatus', dto)).code).toBe(HesErrorCode.Ok);
    expect(ws.pushes.filter((p) => p.target === 'EstablishRemoteHwVaultConnection')).toHaveLength(
      3,
    );
    expect((await key.usb.info()).lockedByCode).toBe(true);
  });

  it('a dropped device hub fails its command at once (1001) and forgets the vault until it is announced again', async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    const key = keys[0]!;
    await reservedKey(server, key, records);
    const ws = await approvedWorkstation(server, key);
    const dto = await ws.dto(key.usb, HwVaultConnectionState.Initializing);
    await ws.invoke('UpdateHwVaultProperties', dto, false);

    // The command is out and unanswered (the default 30 s limit is far away): the device hub
    // goes, and the call fails without waiting.
    ws.relayMode = 'silent';
    const pending = ws.invoke('UpdateHwVaultStatus', dto);
    await ws.commandsReceived(1);
    const request = ws.commands[0]!;
    expect(request.channelNo).toBe(4);
    expect(request.buffer.channelNo).toBe(4);
    expect(request.contextGuid).toMatch(/^[0-9a-f-]{36}$/);
    await ws.deviceHubs[0]!.stop();
    expect((await pending).code).toBe(HesErrorCode.NonHideezException);
    // HES's OnDeviceHubDisconnected removed the announcement: 511 until Initializing again.
    ws.relayMode = 'relay';
    expect((await ws.invoke('UpdateHwVaultStatus', dto)).code).toBe(
      HesErrorCode.DeviceNotConnectedToAnyHost,
    );
    await ws.invoke('UpdateHwVaultProperties', dto, false);
    expect((await ws.invoke('UpdateHwVaultStatus', dto)).code).toBe(HesErrorCode.Ok);

    // The workstation's AppHub connection goes: the vault is no longer announced there (511).
    const again = await TestWorkstation.connect(server, 'ws-1');
    await again.register();
    await again.appHub.stop();
    await until(() => server.signalr.connections('/appHub').length === 1);
    expect((await ws.invoke('UpdateHwVaultStatus', dto)).code).toBe(
      HesErrorCode.DeviceNotConnectedToAnyHost,
    );
    expect((await key.usb.info()).lockedByCode).toBe(true);
  });
});
