// Proofs of the catalogue rows about what a vault's info reply carries (see ../prove.ts).
import { expect } from 'vitest';
import { HwVaultConnectionState } from '../../../../../shared/hes/dto';
import { startServer, TestWorkstation, virtualKeys } from '../../server/stand-in-hosts';
import type { ProofMap } from './proof';

/** HwVaultInfoFromHesDto's members in HES 3.8.4 (HES.Core/Models/API/HardwareVault). */
export const HES_INFO_FIELDS = [
  'needStateUpdate',
  'needUpdateLicense',
  'needUpdateNonOSAccounts',
  'needUpdateOSAccounts',
  'ownerEmail',
  'ownerName',
  'vaultMac',
  'vaultRfid',
  'vaultSerialNo',
];

export const PROOFS: ProofMap = {
  '2.23': async () => {
    const server = await startServer();
    const { keys, records } = await virtualKeys(1);
    const key = keys[0];
    const record = records[0];
    if (key === undefined || record === undefined) throw new Error('no virtual key');
    server.standIn.importVaults(records);
    const employee = server.standIn.addEmployee({ firstName: 'Ann', lastName: 'Lee' });
    server.standIn.reserve(record.serialNo, employee.id);
    const ws = await TestWorkstation.connect(server, 'ws-2-23');
    await ws.register();
    server.standIn.approveWorkstation('ws-2-23');
    const reply = await ws.invoke<Record<string, unknown>>(
      'UpdateHwVaultProperties',
      await ws.dto(key.usb, HwVaultConnectionState.Initializing),
      true,
    );
    expect(reply.code).toBe(0);
    expect(Object.keys(reply.data ?? {}).sort()).toEqual(HES_INFO_FIELDS);
  },
};
