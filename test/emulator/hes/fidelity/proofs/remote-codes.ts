// Proofs of the rows about what the remote jobs answer (UpdateHwVaultStatus, AuthHwVault,
// UpdateHwVaultAccounts) and the error codes of table 3, merged into remote-channel.ts.
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { Command } from '../../../../../device/protocol/messages';
import { RemoteOpCode, type RemoteOp } from '../../../../../emulator/remote-channel/ops';
import { openReply, sealCommand } from '../../../../../emulator/remote-channel/seal';
import { DeviceErrorCode } from '../../../../../shared/errors/device-error-code';
import { HesErrorCode } from '../../../../../shared/errors/hes-error-code';
import { HwVaultConnectionState, type HesResponse } from '../../../../../shared/hes/dto';
import { VaultStatus, VaultStatusReason } from '../../../../../shared/vault/vault-status';
import { ascii } from '../../../key/key-hosts';
import { TestWorkstation, until } from '../../server/stand-in-hosts';
import type { ProofMap } from './proof';
import { activeVault, remoteRig, reservedAndLinked, type RemoteRig } from './remote-rig';

const NULL_REFERENCE = 'Object reference not set to an instance of an object.';

/** The three remote calls for one serial, from the rig's workstation. */
const remoteCalls = async (rig: RemoteRig, serial: string): Promise<number[]> => [
  (await rig.ws.invoke('UpdateHwVaultStatus', { ...(await rig.dto()), vaultSerialNo: serial }))
    .code,
  (await rig.ws.invoke('AuthHwVault', serial)).code,
  (await rig.ws.invoke('UpdateHwVaultAccounts', serial, false)).code,
];

/** A sealed op on an open key from the test, as another server holding the secret would. */
export async function direct(rig: RemoteRig, op: RemoteOp): Promise<number> {
  const vault = rig.db.vaults.get(rig.serial);
  if (!vault || !rig.usb) throw new Error('an open key is needed');
  const secret = new Uint8Array(Buffer.from(vault.provisioningSecret, 'base64'));
  const counter = rig.db.vaults.nextCounter(rig.serial);
  const response = await rig.usb.request({
    command: Command.RemoteCommand,
    channel: 4,
    sealed: sealCommand(secret, counter, op),
  });
  if (!('sealed' in response)) throw new Error(`refused in plain: ${response.status}`);
  return openReply(secret, counter, response.sealed).status;
}

/** Reserved in the database, but the key linked by someone else's master key. */
async function foreignLinked(): Promise<RemoteRig> {
  const rig = await remoteRig({ reserved: true });
  const masterKey = new Uint8Array(randomBytes(32));
  const op: RemoteOp = { op: RemoteOpCode.Link, masterKey, code: ascii('424242'), attempts: 3 };
  expect(await direct(rig, op)).toBe(DeviceErrorCode.OK);
  return rig;
}

/** Linked, then compromised: the key is linked and the database has no master key. */
async function compromisedLinked(): Promise<RemoteRig> {
  const rig = await remoteRig({ reserved: true });
  await reservedAndLinked(rig);
  const next = rig.nextOutcome();
  rig.server.standIn.compromise(rig.serial, VaultStatusReason.Lost);
  expect(await next).toMatchObject({ job: 'UpdateHardwareVaultStatus', code: 614 });
  return rig;
}

/** A battery of calls that fail in every way the stand-in can; the codes they answered. */
async function failureCodes(): Promise<number[]> {
  const codes: number[] = [];
  const add = (r: HesResponse<unknown>): void => void codes.push(r.code);
  const foreign = await foreignLinked();
  add(await foreign.ws.invoke('AuthHwVault', foreign.serial));
  add(await foreign.status());
  const compromised = await compromisedLinked();
  add(await compromised.ws.invoke('AuthHwVault', compromised.serial));
  add(await compromised.status());
  const ready = await remoteRig();
  add(await ready.ws.invoke('AuthHwVault', ready.serial));
  add(await ready.status());
  codes.push(...(await remoteCalls(ready, 'ST-unknown')));
  return codes;
}

/** Two approved workstations; the second has not announced the vault. */
async function secondWorkstation(rig: RemoteRig): Promise<TestWorkstation> {
  const ws = await TestWorkstation.connect(rig.server, 'ws-second');
  await ws.register();
  rig.server.standIn.approveWorkstation(ws.id);
  expect((await ws.register()).code).toBe(0);
  return ws;
}

export const PROOFS: ProofMap = {
  '1.15': async () => {
    const rig = await remoteRig();
    // ConnectDevice first: an unknown serial cannot be announced, so 511, not 607.
    expect((await remoteCalls(rig, 'ST-unknown'))[0]).toBe(511);
    // A Ready vault: connect, refresh, and only then the database's 611.
    expect((await rig.status()).code).toBe(611);
    expect(rig.commandCount()).toBe(1);
  },
  '1.16': async () => {
    const rig = await remoteRig();
    expect((await remoteCalls(rig, 'ST-unknown'))[1]).toBe(511);
    // A blank key and no master key: validation passes, the hex conversion of null fails.
    expect(await rig.ws.invoke('AuthHwVault', rig.serial)).toEqual({
      code: 1001,
      message: NULL_REFERENCE,
      data: null,
    });
    expect(rig.commandCount()).toBe(1);
    // No status check: a Locked vault is asked for its passphrase all the same.
    const locked = await remoteRig({ reserved: true });
    await reservedAndLinked(locked);
    for (let i = 0; i < 3; i++) await locked.unlock('000000');
    expect((await locked.status()).code).toBe(615);
    const before = locked.commandCount();
    expect((await locked.ws.invoke('AuthHwVault', locked.serial)).code).not.toBe(615);
    expect(locked.commandCount()).toBe(before + 2);
  },
  '1.17': async () => {
    // A second call while one runs for the vault ends as that one ends, without running: from a
    // workstation the vault was never announced through, it is not 511.
    const rig = await remoteRig({ reserved: true, server: { commandTimeoutMs: 400 } });
    await reservedAndLinked(rig);
    const other = await secondWorkstation(rig);
    rig.ws.relayMode = 'silent';
    const first = rig.ws.invoke('UpdateHwVaultAccounts', rig.serial, false);
    await rig.ws.commandsReceived(rig.commandCount() + 1);
    const second = await other.invoke('UpdateHwVaultAccounts', rig.serial, false);
    expect(await first).toEqual({
      code: 1001,
      message: 'The operation has timed out.',
      data: null,
    });
    expect(second).toEqual(await first);
    expect((await other.invoke('UpdateHwVaultAccounts', rig.serial, false)).code).toBe(511);
    rig.ws.relayMode = 'relay';

    // CheckPassphrase only on a session not yet authorized; NeedSync=false at the end.
    const active = await remoteRig({ reserved: true });
    await activeVault(active);
    expect((await active.ws.invoke('AuthHwVault', active.serial)).code).toBe(0);
    active.db.vaults.update(active.serial, { needSync: true });
    const before = active.commandCount();
    expect((await active.ws.invoke('UpdateHwVaultAccounts', active.serial, true)).code).toBe(0);
    expect(active.commandCount()).toBe(before);
    expect(active.db.vaults.get(active.serial)?.needSync).toBe(false);

    // Unauthorized: validated against the key first (616 here), as AuthHwVault is.
    const compromised = await compromisedLinked();
    expect(
      (await compromised.ws.invoke('UpdateHwVaultAccounts', compromised.serial, false)).code,
    ).toBe(616);
  },
  '3.2': async () => {
    // A key's refusal reaches the client as its code in the project's one catalogue, named as
    // the SDK names a HideezException; 5, 7 and 19 are the SDK's own numbers.
    for (const family of ['open', 'key3'] as const) {
      const rig = await remoteRig({ family, reserved: true });
      await reservedAndLinked(rig);
      expect(await rig.ws.invoke('AuthHwVault', rig.serial)).toEqual({
        code: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
        message: 'ERR_DEVICE_LOCKED_BY_CODE (7)',
        data: null,
      });
    }
    const foreign = await foreignLinked();
    expect(await foreign.ws.invoke('AuthHwVault', foreign.serial)).toEqual({
      code: DeviceErrorCode.ERR_KEY_WRONG,
      message: 'ERR_KEY_WRONG (8)',
      data: null,
    });
  },
  '3.3': async () => {
    const rig = await remoteRig({ reserved: true, announce: false });
    expect(await remoteCalls(rig, 'ST-unknown')).toEqual([511, 511, 511]);
    expect(await remoteCalls(rig, rig.serial)).toEqual([511, 511, 511]);
    await rig.announce();
    expect((await rig.status()).code).toBe(0);
    await rig.announce(HwVaultConnectionState.Offline);
    expect((await rig.status()).code).toBe(511);
    await rig.announce();
    expect((await rig.status()).code).toBe(0);
    // Any device hub of the pair closing forgets the announcement (here the first of two).
    const open = rig.server.signalr.connections('/deviceHub').length;
    await rig.ws.deviceHubs[0]?.stop();
    await until(() => rig.server.signalr.connections('/deviceHub').length < open);
    expect(await remoteCalls(rig, rig.serial)).toEqual([511, 511, 511]);
  },
  '3.4': async () => {
    const rig = await remoteRig({
      reserved: true,
      server: { setupTimeoutMs: 300, commandTimeoutMs: 300 },
    });
    rig.ws.relayMode = 'ignore';
    expect((await rig.status()).code).toBe(512);
    rig.ws.relayMode = 'silent';
    expect((await rig.status()).code).toBe(1001);
  },
  '3.5': async () => {
    const rig = await remoteRig({ reserved: true });
    const raw = new DatabaseSync(rig.dbFile);
    raw.prepare('UPDATE HardwareVaults SET Status = 99 WHERE Id = ?').run(rig.serial);
    raw.close();
    expect((await rig.status()).code).toBe(1001);
  },
  '3.8': async () => {
    const rig = await remoteRig({ reserved: true, server: { setupTimeoutMs: 300 } });
    rig.ws.relayMode = 'ignore';
    // The workstation's live AppHub connection goes while the set-up waits: still 512.
    const pending = rig.status();
    await until(() => rig.ws.pushes.some((p) => p.target === 'EstablishRemoteHwVaultConnection'));
    const live = await TestWorkstation.connect(rig.server, rig.ws.id);
    await live.appHub.stop();
    expect((await pending).code).toBe(512);
    // Announced nowhere now: 511, never 605.
    expect((await rig.status()).code).toBe(511);
  },
  '3.9': async () => {
    const rig = await remoteRig();
    const unknown = { ...(await rig.dto()), vaultSerialNo: 'ST-unknown' };
    expect((await rig.ws.invoke('UpdateHwVaultProperties', unknown, true)).code).toBe(607);
    expect(await remoteCalls(rig, 'ST-unknown')).toEqual([511, 511, 511]);
    expect((await rig.ws.invoke('GetNewHwVaultLicenses', 'ST-unknown')).code).toBe(0);
    expect((await rig.ws.invoke('GetHwVaultLicenses', 'ST-unknown')).code).toBe(0);
  },
  '3.11': async () => {
    const rig = await remoteRig();
    expect(await rig.ws.invoke('AuthHwVault', rig.serial)).toMatchObject({
      code: 1001,
      message: NULL_REFERENCE,
    });
    expect(await rig.ws.invoke('UpdateHwVaultAccounts', rig.serial, false)).toMatchObject({
      code: 1001,
      message: NULL_REFERENCE,
    });
  },
  '3.12': async () => {
    expect(await failureCodes()).not.toContain(HesErrorCode.HesDeviceAuthorizationFailed);
  },
  '3.13': async () => {
    const ready = await remoteRig();
    expect((await ready.announce(HwVaultConnectionState.Initializing, true)).code).toBe(611);
    expect((await ready.status()).code).toBe(611);
    const locked = await remoteRig({ reserved: true });
    await reservedAndLinked(locked);
    for (let i = 0; i < 3; i++) await locked.unlock('000000');
    expect((await locked.status()).code).toBe(615);
    expect((await locked.announce(HwVaultConnectionState.Initializing, true)).code).toBe(615);
    const compromised = await compromisedLinked();
    expect((await compromised.status()).code).toBe(614);
  },
  '3.14': async () => {
    const rig = await remoteRig({ reserved: true });
    rig.ws.relayMode = 'silent';
    const pending = rig.status();
    await rig.ws.commandsReceived(1);
    await rig.ws.deviceHubs[0]?.stop();
    const reply = await pending;
    expect(reply.code).toBe(1001);
    expect(reply.code).not.toBe(HesErrorCode.HesDeviceHubDisconnected);
  },
  '3.15': async () => {
    const codes = await failureCodes();
    for (const never of [613, 617, 621]) expect(codes).not.toContain(never);
  },
  '3.16': async () => {
    const rig = await compromisedLinked();
    expect((await rig.announce(HwVaultConnectionState.Initializing, true)).code).toBe(616);
    expect((await rig.ws.invoke('AuthHwVault', rig.serial)).code).toBe(616);
    expect((await rig.ws.invoke('UpdateHwVaultAccounts', rig.serial, false)).code).toBe(616);
  },
  '3.18': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    const stale = await rig.dto();
    const master = rig.db.vaults.get(rig.serial)?.masterPassword ?? '';
    expect(
      await direct(rig, { op: RemoteOpCode.Wipe, masterKey: Buffer.from(master, 'hex') }),
    ).toBe(0);
    // The sync itself never answers 620: a DTO that still says linked gets Ok, status unchanged.
    expect((await rig.ws.invoke('UpdateHwVaultStatus', stale)).code).toBe(0);
    expect(rig.server.standIn.vaultStatus(rig.serial).status).toBe(VaultStatus.Active);
    // The sent DTO says blank: 620 from the info's validation, status still Active.
    expect((await rig.status()).code).toBe(620);
    expect(rig.server.standIn.vaultStatus(rig.serial).status).toBe(VaultStatus.Active);
  },
  '3.21': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    await rig.announce(HwVaultConnectionState.Offline);
    rig.server.standIn.remove(rig.serial, VaultStatusReason.Withdrawal);
    await rig.announce();
    expect(await rig.status()).toEqual({
      code: 1014,
      message: 'DeviceHasBeenWiped (1014)',
      data: null,
    });
    expect((await rig.info()).access.linkRequired).toBe(true);
    expect(rig.server.standIn.vaultStatus(rig.serial).status).toBe(VaultStatus.Ready);
  },
};
