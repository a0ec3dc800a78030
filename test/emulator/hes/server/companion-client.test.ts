// The companion's real HES client (main/hes) against the stand-in: registration, approval
// pushed by the admin, and a first activation whose sealed commands travel the client's own
// /deviceHub relay to a virtual key.
import { afterEach, describe, expect, it } from 'vitest';
import { Command } from '../../../../device/protocol/messages';
import { createHesClient, type HesClient } from '../../../../main/hes/hes-client';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import { HwVaultConnectionState } from '../../../../shared/hes/dto';
import { VaultStatus } from '../../../../shared/vault/vault-status';
import { ascii } from '../../key/key-hosts';
import { openKeyPeer } from './key-peers';
import { closeAll, rest, startServer, virtualKeys } from './stand-in-hosts';

afterEach(closeAll);

const stateReached = (client: HesClient, state: string): Promise<void> =>
  new Promise((resolve) => {
    if (client.state.state === state) return resolve();
    const off = client.onState((s) => {
      if (s.state !== state) return;
      off();
      resolve();
    });
  });

describe('the companion HES client against the stand-in', () => {
  it('registers, is approved by the admin, and activates a key over its own device-hub relay', async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    const { usb, record } = keys[0]!;
    await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    const employee = await rest(server, 'POST', '/api/Employees/CreateEmployee', {
      firstName: 'Al',
      lastName: 'Ko',
    });
    const employeeId = (employee.body as { id: string }).id;
    await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId,
      hardwareVaultId: record.serialNo,
    });
    const code = (
      (await rest(server, 'GET', `/api/standin/HardwareVaults/${record.serialNo}/ActivationCode`))
        .body as { activationCode: string }
    ).activationCode;

    const client = createHesClient({
      serverUrl: server.url,
      workstationId: 'ws-companion',
      workstationInfo: () => ({
        id: 'ws-companion',
        machineName: 'PC-1',
        domain: 'CORP',
        appVersion: '0.1.0',
        osName: 'Linux',
        osVersion: '6',
        osBuild: '1',
        ip: '127.0.0.1',
        mac: '',
        users: [],
        isAlarmTurnOn: false,
      }),
      relay: (serialNo, channel, request) => {
        expect(serialNo).toBe(record.serialNo);
        // Every step of the server's channel, as the key takes it (reset, verify, commands).
        return openKeyPeer(usb)(channel, request);
      },
    });
    try {
      client.start();
      await stateReached(client, 'notApproved');
      server.standIn.approveWorkstation('ws-companion');
      await stateReached(client, 'connected');

      const first = await client.updateHwVaultProperties(
        client.buildVaultDto(await usb.info(), HwVaultConnectionState.Initializing),
        true,
      );
      expect(first.needStateUpdate).toBe(true);
      await client.updateHwVaultStatus(
        client.buildVaultDto(await usb.info(), HwVaultConnectionState.Initializing),
      );
      expect((await usb.info()).lockedByCode).toBe(true);
      const unlock = await usb.request({ command: Command.UnlockWithCode, code: ascii(code) });
      expect(unlock.status).toBe(DeviceErrorCode.OK);
      const active = await client.updateHwVaultStatus(
        client.buildVaultDto(await usb.info(), HwVaultConnectionState.Initializing),
      );
      expect(active.needStateUpdate).toBe(false);
      expect(server.standIn.vaultStatus(record.serialNo).status).toBe(VaultStatus.Active);
      await client.authHwVault(record.serialNo);
    } finally {
      await client.stop();
    }
  });
});
