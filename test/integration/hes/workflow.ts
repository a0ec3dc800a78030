// The test as the companion's workflow (announce the key, sync when the server says so, the
// user typing the activation code on the key) and as the administrator (the stand-in's admin
// API), over the real client and server. `reach` puts a fresh key into each vault status by the
// real flows; `forceKey` puts the key into each state the status sync observes, as a second
// server would (sealed commands on the vault's own counter, taken from the database file).
// Setup ideas from test/emulator/hes/domain/vault-states.ts, rebuilt on the hubs.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { provisioningSecret } from '../../../emulator/key/provision';
import {
  RemoteOpCode,
  type RemoteOp,
  type RemoteReply,
} from '../../../emulator/remote-channel/ops';
import { openReply, sealCommand } from '../../../emulator/remote-channel/seal';
import { Command } from '../../../device/protocol/messages';
import { HwVaultConnectionState } from '../../../shared/hes/dto';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { observeKey, type ObservedKeyState } from '../../../shared/vault/observed-key-state';
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';
import { ascii } from '../../emulator/key/key-hosts';
import { HidKey } from './hid-key';
import type { Companion, Outcome, Rig } from './stand-in-rig';
import {
  STATUS_OF,
  STATUS_SETUPS,
  type StatusSetup,
} from '../../emulator/hes/state-action-expectations';

export { STATUS_OF, STATUS_SETUPS, type StatusSetup };

export const WRONG_CODE = '000000';

let employees = 0;

export class Workflow {
  private readonly keys: HidKey[] = [];

  constructor(
    readonly rig: Rig,
    readonly companion: Companion,
  ) {}

  get standIn() {
    return this.rig.server.standIn;
  }

  /** A fresh key, imported into the stand-in and plugged into the companion's workstation. */
  async newKey(): Promise<HidKey> {
    const key = await HidKey.create(this.rig.dir);
    this.keys.push(key);
    this.standIn.importVaults([key.record]);
    this.companion.attach(key);
    return key;
  }

  /** Unplugs every key this workflow made (the companion tears their channels down). */
  async closeKeys(): Promise<void> {
    for (const key of this.keys.splice(0)) {
      await this.companion.detach(key);
      await key.close();
    }
  }

  newEmployee(): string {
    employees += 1;
    return this.standIn.addEmployee({
      firstName: 'Employee',
      lastName: `No${employees}`,
      email: `e${employees}@corp`,
    }).id;
  }

  status(key: HidKey): VaultStatus {
    return this.standIn.vaultStatus(key.serial).status;
  }

  announce(key: HidKey): Promise<Outcome> {
    return this.companion.announce(key);
  }

  /** UpdateHwVaultStatus; remembers the master key the key is now linked with. */
  async sync(key: HidKey): Promise<Outcome> {
    const result = await this.companion.sync(key);
    const master = this.rig.db.vaults.get(key.serial)?.masterPassword;
    if (master && key.connected && !(await key.info()).access.linkRequired) {
      key.keyMaster = new Uint8Array(Buffer.from(master, 'hex'));
    }
    return result;
  }

  async observed(key: HidKey): Promise<ObservedKeyState> {
    return observeKey(await key.info());
  }

  /** Admin: Reserve for a new employee; returns the activation code. */
  reserve(key: HidKey): string {
    return this.standIn.reserve(key.serial, this.newEmployee()).activationCode;
  }

  /** Reserve, then the workflow's announce → sync (Link); returns the code. */
  async reserveAndLink(key: HidKey): Promise<string> {
    const code = this.reserve(key);
    const announced = await this.announce(key);
    expect(announced.info?.needStateUpdate).toBe(true);
    expect((await this.sync(key)).code).toBe(0);
    expect(await this.observed(key)).toBe('lockedAttemptsLeft');
    return code;
  }

  /** First activation: Link, the user's code on the key, Access → Active. */
  async activateFirst(key: HidKey): Promise<void> {
    const code = await this.reserveAndLink(key);
    expect(await key.unlock(code)).toBe(DeviceErrorCode.OK);
    expect((await this.announce(key)).info?.needStateUpdate).toBe(true);
    const active = await this.sync(key);
    expect(active.code).toBe(0);
    expect(this.status(key)).toBe(VaultStatus.Active);
  }

  /**
   * A fresh key in the given status, announced through the companion. Reserved before it is
   * announced, so no server-started session runs beside the test's own steps.
   */
  async reach(setup: StatusSetup): Promise<HidKey> {
    const key = await this.newKey();
    switch (setup) {
      case 'Ready':
        break;
      case 'Reserved':
        this.reserve(key);
        break;
      case 'ReservedApplied':
        await this.reserveAndLink(key);
        break;
      case 'Active':
        await this.activateFirst(key);
        break;
      case 'Locked':
        await this.reserveAndLink(key);
        for (let i = 0; i < 3; i++) await key.unlock(WRONG_CODE);
        expect((await this.sync(key)).code).toBe(615);
        break;
      case 'Suspended':
        // Suspended while the key was away (its channel closed, Offline reported, as the
        // companion does when a key leaves): nothing starts, the status waits to be applied.
        await this.activateFirst(key);
        await this.companion.client.closeVaultChannel(key.serial);
        await this.companion.announce(key, HwVaultConnectionState.Offline);
        this.standIn.suspend(key.serial, 'left on a train');
        await this.announce(key);
        break;
      case 'SuspendedApplied':
        // Suspended while online: HES's server-started session applies it at once.
        await this.activateFirst(key);
        await this.background(() => this.standIn.suspend(key.serial), 0);
        break;
      case 'Deactivated':
        await this.activateFirst(key);
        await this.background(
          () => this.standIn.remove(key.serial, VaultStatusReason.Withdrawal),
          0,
        );
        break;
      case 'Compromised':
        await this.activateFirst(key);
        await this.background(
          () => this.standIn.compromise(key.serial, VaultStatusReason.Lost),
          614,
        );
        break;
    }
    await this.announce(key);
    expect(this.status(key)).toBe(STATUS_OF[setup]);
    return key;
  }

  /** An admin action on an announced vault, and the server-started session it starts. */
  async background(action: () => unknown, code: number): Promise<void> {
    const next = this.rig.nextOutcome();
    action();
    expect((await next).code).toBe(code);
  }

  /** A sealed op from the test as a second server on the vault's own counter. */
  async direct(key: HidKey, op: RemoteOp): Promise<RemoteReply> {
    const counter = this.rig.db.vaults.nextCounter(key.serial);
    const secret = provisioningSecret(key.record);
    const reply = openReply(secret, counter, await key.remote(sealCommand(secret, counter, op)));
    if (op.op === RemoteOpCode.Link && reply.status === DeviceErrorCode.OK) {
      key.keyMaster = op.masterKey;
    }
    return reply;
  }

  /** Forces the key into `state` whatever the database says. */
  async forceKey(key: HidKey, state: ObservedKeyState): Promise<void> {
    const info = await key.info();
    const dbMaster = this.rig.db.vaults.get(key.serial)?.masterPassword;
    const linkMaster = dbMaster
      ? new Uint8Array(Buffer.from(dbMaster, 'hex'))
      : new Uint8Array(randomBytes(32));
    const code = '424242';
    const master = (): Uint8Array => {
      if (!key.keyMaster) throw new Error('the test does not know the key master');
      return key.keyMaster;
    };
    const relock = async (): Promise<void> => {
      const op: RemoteOp = info.access.linkRequired
        ? { op: RemoteOpCode.Link, masterKey: linkMaster, code: ascii(code), attempts: 3 }
        : { op: RemoteOpCode.LockDeviceCode, masterKey: master(), code: ascii(code), attempts: 3 };
      expect((await this.direct(key, op)).status).toBe(DeviceErrorCode.OK);
    };
    switch (state) {
      case 'linkRequired':
        if (!info.access.linkRequired) {
          const wipe = await this.direct(key, { op: RemoteOpCode.Wipe, masterKey: master() });
          expect(wipe.status).toBe(DeviceErrorCode.OK);
        }
        break;
      case 'unlocked':
        await relock();
        expect(await key.unlock(code)).toBe(DeviceErrorCode.OK);
        break;
      case 'lockedAttemptsLeft':
        await relock();
        break;
      case 'lockedNoAttempts':
        await relock();
        for (let i = 0; i < 3; i++) await key.unlock(WRONG_CODE);
        break;
    }
    expect(await this.observed(key)).toBe(state);
  }

  /** The user sets a PIN, then exhausts the PIN tries (the profile's 10). */
  async lockByPin(key: HidKey): Promise<void> {
    expect((await key.request({ command: Command.SetPin, newPin: ascii('1234') })).status).toBe(
      DeviceErrorCode.OK,
    );
    for (let i = 0; i < 10; i++) {
      await key.request({ command: Command.EnterPin, pin: ascii('9999') });
    }
    expect((await key.info()).lockedByPin).toBe(true);
  }
}
