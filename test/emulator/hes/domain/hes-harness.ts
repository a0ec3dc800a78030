// A real HES stand-in domain over a real SQLite file, with a real VirtualKey at the other
// end of the sealed channel. The only test wiring is the relay: each EstablishRemoteHwVault
// Connection gets a device-hub channel at once whose steps go to the key over its USB HID
// link (VerifyChannel for the set-up, RemoteCommand for each sealed command, with an optional
// tamper hook to flip bytes in transit).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, type Response } from '../../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import {
  HwVaultConnectionState,
  type HesResponse,
  type HwVaultInfoFromClientDto,
  type HwVaultInfoFromHesDto,
  type WorkstationInfoDto,
} from '../../../../shared/hes/dto';
import type { KeyInfo } from '../../../../shared/key/key-info';
import { HesStandIn } from '../../../../emulator/hes/domain/hes-stand-in';
import {
  HesCodeError,
  type DeviceHubListener,
  type RemoteJobOutcome,
  type VaultChannel,
  type VaultRelay,
  type WorkstationNotifier,
} from '../../../../emulator/hes/domain/ports';
import { HesStore } from '../../../../emulator/hes/store/hes-store';
import {
  provisionKeys,
  provisioningSecret,
  type ProvisioningRecord,
} from '../../../../emulator/key/provision';
import { stateFileName } from '../../../../emulator/key/state-store';
import { VirtualKey } from '../../../../emulator/key/virtual-key';
import {
  RemoteOpCode,
  type RemoteOp,
  type RemoteReply,
} from '../../../../emulator/remote-channel/ops';
import { openReply, sealCommand } from '../../../../emulator/remote-channel/seal';
import { ascii, TEST_HASH_COST, type UsbHost } from '../../key/key-hosts';
import { SerialUsbHost } from '../server/key-peers';

export const WS = 'ws-1';

export const workstationDto = (
  id = WS,
  extra: Partial<WorkstationInfoDto> = {},
): WorkstationInfoDto => ({
  id,
  machineName: 'PC-01',
  domain: 'CORP',
  appVersion: '1.0.0',
  osName: 'Linux',
  osVersion: '6.1',
  osBuild: '1',
  ip: '10.0.0.5',
  mac: 'AA:BB:CC:DD:EE:FF',
  users: ['CORP\\alice'],
  isAlarmTurnOn: false,
  ...extra,
});

/** The DTO the companion builds from the key's info (hes-contract.md §4.6). */
export function vaultDto(
  info: KeyInfo,
  connectionState: HwVaultConnectionState,
): HwVaultInfoFromClientDto {
  return {
    version: '1.0.0.0',
    vaultSerialNo: info.serialNo,
    battery: info.battery,
    firmwareVersion: info.firmwareVersion,
    isLocked: info.lockedByCode || info.lockedByPin || info.access.locked,
    isLockedByPin: info.lockedByPin,
    isLockedByCode: info.lockedByCode,
    isCanUnlock: info.canUnlock,
    isLinkRequired: info.access.linkRequired,
    isNewPinRequired: info.access.newPinRequired,
    isMasterKeyRequired: info.access.masterKeyRequired,
    isPinRequired: info.access.pinRequired,
    isButtonRequired: info.access.buttonRequired,
    mac: info.mac,
    storageTotalSize: info.storageTotalSize,
    storageFreeSize: info.storageFreeSize,
    bootloaderVersion: null,
    storageTimestamp: info.storageTimestamp,
    unlockAttemptsRemain: info.unlockAttemptsRemain,
    minPinLength: info.minPinLength,
    pinAttemptsRemain: info.pinAttemptsRemain,
    deviceTime: new Date(0).toISOString(),
    maxMessageSize: info.maxMessageSize,
    connectionState,
  };
}

export interface Push {
  readonly workstationId: string;
  readonly target: string;
  readonly args: readonly unknown[];
}

export class RecordingNotifier implements WorkstationNotifier {
  readonly pushes: Push[] = [];
  readonly live = new Set<string>();

  send(workstationId: string, target: string, ...args: unknown[]): boolean {
    if (!this.live.has(workstationId)) return false;
    this.pushes.push({ workstationId, target, args });
    return true;
  }

  online(): readonly string[] {
    return [...this.live];
  }
}

/** The test's relay: each step to the key over USB HID, as a workstation would relay it. */
export class KeyRelay implements VaultRelay {
  readonly setupTimeoutMs = 1_000;
  readonly relayed: Uint8Array[] = [];
  readonly outcomes: RemoteJobOutcome[] = [];
  tamper: ((sealed: Uint8Array) => Uint8Array) | undefined;
  /** EstablishRemoteHwVaultConnection calls. */
  opens = 0;
  private listener: DeviceHubListener | undefined;
  private outcomeWaiters: ((outcome: RemoteJobOutcome) => void)[] = [];

  constructor(private readonly keys: Map<string, { key: VirtualKey; usb: UsbHost }>) {}

  listen(listener: DeviceHubListener): void {
    this.listener = listener;
  }

  logOutcome(outcome: RemoteJobOutcome): void {
    this.outcomes.push(outcome);
    for (const resolve of this.outcomeWaiters.splice(0)) resolve(outcome);
  }

  /** The outcome of the next job nobody waits for (a server-started session). */
  nextOutcome(): Promise<RemoteJobOutcome> {
    return new Promise((resolve) => this.outcomeWaiters.push(resolve));
  }

  /** The workstation opens its device hub at once, unless the key is gone (then: 512). */
  establish(vaultId: string, workstationId: string): boolean {
    this.opens += 1;
    const peer = this.keys.get(vaultId);
    if (!peer?.key.plugged) return true;
    queueMicrotask(() =>
      this.listener?.deviceHubConnected(vaultId, workstationId, this.channel(peer.usb)),
    );
    return true;
  }

  /** The workstation's device hub for the vault closes. */
  dropDeviceHub(vaultId: string, workstationId: string): void {
    this.listener?.deviceHubDisconnected(vaultId, workstationId);
  }

  private channel(usb: UsbHost): VaultChannel {
    const refused = (response: Response): never => {
      // The key refused in plain (no authentic counter to seal a reply to).
      throw new HesCodeError(response.status, `refused by the key: ${response.status}`);
    };
    return {
      exchange: async (sealed: Uint8Array): Promise<Uint8Array> => {
        const out = this.tamper ? this.tamper(sealed) : sealed;
        this.relayed.push(out);
        const response = await usb.request({
          command: Command.RemoteCommand,
          channel: 4,
          sealed: out,
        });
        return 'sealed' in response ? response.sealed : refused(response);
      },
      // The open protocol's reset has nothing to drop (the companion answers it alone).
      resetChannel: () => Promise.resolve(),
      verify: async (publicKey, nonce, channel): Promise<Uint8Array> => {
        if (publicKey.length !== 0) throw new Error('an open-protocol key has no key exchange');
        const response = await usb.request({ command: Command.VerifyChannel, channel, nonce });
        return 'verifyReply' in response ? response.verifyReply : refused(response);
      },
      rootKey: () => Promise.reject(new Error('an open-protocol key has no root key')),
    };
  }
}

export interface Harness {
  readonly dir: string;
  readonly dbFile: string;
  store: HesStore;
  hes: HesStandIn;
  readonly notifier: RecordingNotifier;
  readonly relay: KeyRelay;
  readonly record: ProvisioningRecord;
  readonly key: VirtualKey;
  readonly usb: UsbHost;
  readonly serial: string;
  /** The master key the key was last linked with (known to the test even after the DB forgets it). */
  keyMaster: Uint8Array | undefined;
  info(): Promise<KeyInfo>;
  dto(state?: HwVaultConnectionState): Promise<HwVaultInfoFromClientDto>;
  /** Approved workstation WS, online. */
  approve(): Promise<void>;
  /** UpdateHwVaultProperties(Initializing, returnInfo=true). */
  announce(): Promise<HesResponse<HwVaultInfoFromHesDto>>;
  /** UpdateHwVaultProperties(Offline): the key left the workstation. */
  offline(): Promise<void>;
  /**
   * Runs an admin action and waits for the server-started session it starts (the vault is
   * announced); the action's result and the session's outcome.
   */
  background<T>(action: () => T): Promise<{ result: T; outcome: RemoteJobOutcome }>;
  /** UpdateHwVaultStatus with the key's current flags. */
  sync(): Promise<HesResponse<HwVaultInfoFromHesDto>>;
  unlock(code: string): Promise<Response>;
  /** A sealed op from the test as a second server on the same counter (to force key states). */
  direct(op: RemoteOp): Promise<RemoteReply>;
  /** Closes and reopens the database file with a new domain (a server restart). */
  restart(): void;
  cleanup(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'hes-domain-'));
  const [record] = await provisionKeys(join(dir, 'keys'), 1);
  if (!record) throw new Error('no key provisioned');
  const key = await VirtualKey.open(join(dir, 'keys', stateFileName(record.serialNo)), {
    hashCost: TEST_HASH_COST,
  });
  const usb = new SerialUsbHost(key.hid);
  await usb.init();
  const dbFile = join(dir, 'hes.db');
  const notifier = new RecordingNotifier();
  const relay = new KeyRelay(new Map([[record.serialNo, { key, usb }]]));
  const make = (store: HesStore): HesStandIn => new HesStandIn({ store, relay, notifier });
  const store = HesStore.open(dbFile);
  const h: Harness = {
    dir,
    dbFile,
    store,
    hes: make(store),
    notifier,
    relay,
    record,
    key,
    usb,
    serial: record.serialNo,
    keyMaster: undefined,
    info: () => usb.info(),
    dto: async (state = HwVaultConnectionState.Online) => vaultDto(await usb.info(), state),
    approve: async () => {
      notifier.live.add(WS);
      await h.hes.registerWorkstationInfo(WS, workstationDto());
      h.hes.approveWorkstation(WS);
    },
    announce: async () =>
      h.hes.updateHwVaultProperties(WS, await h.dto(HwVaultConnectionState.Initializing), true),
    offline: async () => {
      await h.hes.updateHwVaultProperties(WS, await h.dto(HwVaultConnectionState.Offline), false);
    },
    background: async (action) => {
      const next = relay.nextOutcome();
      const result = action();
      return { result, outcome: await next };
    },
    sync: async () => {
      const response = await h.hes.updateHwVaultStatus(WS, await h.dto());
      const master = h.store.vaults.get(record.serialNo)?.masterPassword;
      if (master && !(await usb.info()).access.linkRequired)
        h.keyMaster = Buffer.from(master, 'hex');
      return response;
    },
    unlock: (code) => usb.request({ command: Command.UnlockWithCode, code: ascii(code) }),
    direct: async (op) => {
      const counter = h.store.vaults.nextCounter(record.serialNo);
      const secret = provisioningSecret(record);
      const response = await usb.request({
        command: Command.RemoteCommand,
        channel: 4,
        sealed: sealCommand(secret, counter, op),
      });
      if (!('sealed' in response)) throw new Error(`refused in plain: ${response.status}`);
      const reply = openReply(secret, counter, response.sealed);
      if (op.op === RemoteOpCode.Link && reply.status === DeviceErrorCode.OK)
        h.keyMaster = op.masterKey;
      return reply;
    },
    restart: () => {
      h.store.close();
      h.store = HesStore.open(dbFile);
      h.hes = make(h.store);
    },
    cleanup: async () => {
      key.unplug();
      h.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  h.hes.importVaults([record]);
  return h;
}

export const foreignMasterKey = (): Uint8Array => new Uint8Array(randomBytes(32));
export const WRONG_CODE = '000000';
