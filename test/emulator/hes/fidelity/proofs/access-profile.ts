// Proof of row 3.10: HES never raises 608 HesEmptyDeviceAccessProfile. A vault whose profile
// is gone fails where HES reads vault.HardwareVaultProfile (GetAccessParamsAsync): a
// NullReferenceException, 1001, both in the status sync's Access and in a Profile task.
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { TaskOperation } from '../../../../../emulator/hes/store/records';
import { DeviceErrorCode } from '../../../../../shared/errors/device-error-code';
import { VaultStatus } from '../../../../../shared/vault/vault-status';
import type { ProofMap } from './proof';
import { activeVault, remoteRig, reservedAndLinked, type RemoteRig } from './remote-rig';

const NULL_REFERENCE = {
  code: 1001,
  message: 'Object reference not set to an instance of an object.',
  data: null,
};

/** Test set-up only: the vault points at a profile that does not exist (foreign keys off). */
function dropProfile(rig: RemoteRig): void {
  const db = new DatabaseSync(rig.dbFile, { enableForeignKeyConstraints: false });
  try {
    db.prepare("UPDATE HardwareVaults SET HardwareVaultProfileId = 'gone' WHERE Id = ?").run(
      rig.serial,
    );
  } finally {
    db.close();
  }
}

export const PROOFS: ProofMap = {
  '3.10': async () => {
    // The status sync's Access (Reserved, the code typed on the key).
    const rig = await remoteRig({ reserved: true });
    const code = await reservedAndLinked(rig);
    expect(await rig.unlock(code)).toBe(DeviceErrorCode.OK);
    dropProfile(rig);
    expect(await rig.status()).toEqual(NULL_REFERENCE);
    expect(rig.server.standIn.vaultStatus(rig.serial).status).toBe(VaultStatus.Reserved);
    // A Profile task on an Active vault.
    const active = await remoteRig({ reserved: true });
    await activeVault(active);
    active.db.tasks.insert({
      vaultId: active.serial,
      accountId: null,
      operation: TaskOperation.Profile,
      createdAt: new Date().toISOString(),
      timestamp: 1,
    });
    dropProfile(active);
    expect(await active.ws.invoke('UpdateHwVaultAccounts', active.serial, false)).toEqual(
      NULL_REFERENCE,
    );
  },
};
