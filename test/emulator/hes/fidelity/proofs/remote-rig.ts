// The world the remote-channel and status-rule proofs run in: a started stand-in (with the
// test's own connection to its SQLite file and the log of its background jobs), an approved
// workstation on the real @microsoft/signalr client, and one real virtual key behind it — an
// open-protocol key over USB, or a Hideez Key 3 opened through the companion's own driver.
import { join } from 'node:path';
import { expect } from 'vitest';
import { KeyOp } from '../../../../../device/key/key-operations';
import type { RemoteJobOutcome } from '../../../../../emulator/hes/domain/ports';
import type { HesStandInServer, StartHesStandInOptions } from '../../../../../emulator/hes/server';
import { HesStore } from '../../../../../emulator/hes/store/hes-store';
import type { VirtualKey } from '../../../../../emulator/key/virtual-key';
import { buildVaultDto } from '../../../../../main/hes/vault-dto';
import { DeviceErrorCode } from '../../../../../shared/errors/device-error-code';
import {
  HwVaultConnectionState,
  type HesResponse,
  type HwVaultInfoFromClientDto,
  type HwVaultInfoFromHesDto,
} from '../../../../../shared/hes/dto';
import type { KeyInfo } from '../../../../../shared/key/key-info';
import { ascii, type UsbHost } from '../../../key/key-hosts';
import { Command } from '../../../../../device/protocol/messages';
import { VaultStatus } from '../../../../../shared/vault/vault-status';
import { openKeyPeer, type KeyPeer } from '../../server/key-peers';
import {
  closeWith,
  startServer,
  tempDir,
  TestWorkstation,
  until,
  virtualKey3Peers,
  virtualKeys,
} from '../../server/stand-in-hosts';

export type Family = 'open' | 'key3';

export interface RemoteRig {
  readonly server: HesStandInServer;
  /** The test's own connection to the stand-in's database, and its file. */
  readonly db: HesStore;
  readonly dbFile: string;
  readonly ws: TestWorkstation;
  readonly serial: string;
  readonly key: VirtualKey;
  /** The open key's USB host (undefined for a Key 3). */
  readonly usb: UsbHost | undefined;
  /** Background jobs' outcomes, as the stand-in logged them. */
  readonly outcomes: RemoteJobOutcome[];
  /** The activation code of a rig made with `reserved`. */
  code: string;
  /** The key's state now. */
  info(): Promise<KeyInfo>;
  /** The user types an activation code on the key; the key's status. */
  unlock(code: string): Promise<number>;
  dto(state?: HwVaultConnectionState): Promise<HwVaultInfoFromClientDto>;
  /** UpdateHwVaultProperties(dto, returnInfo) from the rig's workstation. */
  announce(state?: HwVaultConnectionState, returnInfo?: boolean): Promise<HesResponse>;
  /** UpdateHwVaultStatus with the key's current report. */
  status(): Promise<HesResponse<HwVaultInfoFromHesDto>>;
  /** A new employee and the vault reserved for them; the code. */
  reserve(): string;
  /** The next background outcome logged after now. */
  nextOutcome(): Promise<RemoteJobOutcome>;
  /** SendRemoteCommand calls received so far. */
  commandCount(): number;
}

export interface RigOptions {
  readonly family?: Family;
  readonly server?: Partial<StartHesStandInOptions>;
  /** Wraps the key's peer (to refuse or hold a step). */
  readonly peer?: (inner: KeyPeer) => KeyPeer;
  /** false: the vault is not announced. */
  readonly announce?: boolean;
  /**
   * Reserve the vault before announcing it (no server-started session then); its code is
   * `rig.code`.
   */
  readonly reserved?: boolean;
}

let employees = 0;

/** One key as the rig drives it, whatever its family. */
interface KeyHandle {
  readonly key: VirtualKey;
  readonly serial: string;
  readonly usb: UsbHost | undefined;
  readonly peer: KeyPeer;
  info(): Promise<KeyInfo>;
  unlock(code: string): Promise<number>;
}

async function openKey(server: HesStandInServer): Promise<KeyHandle> {
  const { keys, records } = await virtualKeys(1);
  const k = keys[0];
  if (!k) throw new Error('no key');
  server.standIn.importVaults(records);
  return {
    key: k.key,
    serial: k.record.serialNo,
    usb: k.usb,
    peer: openKeyPeer(k.usb),
    info: () => k.usb.info(),
    unlock: async (code) =>
      (await k.usb.request({ command: Command.UnlockWithCode, code: ascii(code) })).status,
  };
}

async function key3(server: HesStandInServer): Promise<KeyHandle> {
  const bench = await virtualKey3Peers(1);
  const [key] = bench.keys;
  const [record] = bench.records;
  if (!key || !record) throw new Error('no Key 3');
  server.standIn.importVaults([record]);
  const connection = bench.connections.get(record.serialNo);
  const peer = bench.peers.get(record.serialNo);
  if (!connection || !peer) throw new Error('the Key 3 was not opened');
  const limit = { timeoutMs: 3_000 };
  return {
    key,
    serial: record.serialNo,
    usb: undefined,
    peer,
    info: async () => {
      const answer = await connection.perform({ op: KeyOp.ReadInfo }, limit);
      if (!('info' in answer)) throw new Error(`ReadInfo: ${answer.status}`);
      return answer.info;
    },
    unlock: async (code) =>
      (await connection.perform({ op: KeyOp.UnlockWithCode, code: ascii(code) }, limit)).status,
  };
}

export async function remoteRig(options: RigOptions = {}): Promise<RemoteRig> {
  const outcomes: RemoteJobOutcome[] = [];
  const dir = await tempDir('hes-proof-');
  const dbFile = join(dir, 'hes.sqlite');
  const server = await startServer({
    dbFile,
    onRemoteJob: (o) => outcomes.push(o),
    ...options.server,
  });
  const db = HesStore.open(dbFile);
  closeWith(() => db.close());
  const handle = options.family === 'key3' ? await key3(server) : await openKey(server);
  const ws = await TestWorkstation.connect(server, 'ws-proof');
  ws.attachPeer(handle.serial, options.peer ? options.peer(handle.peer) : handle.peer);
  expect((await ws.register()).code).toBe(604);
  server.standIn.approveWorkstation(ws.id);
  expect((await ws.register()).code).toBe(0);

  const dto = async (
    state: HwVaultConnectionState = HwVaultConnectionState.Online,
  ): Promise<HwVaultInfoFromClientDto> => buildVaultDto(await handle.info(), state);
  const rig: RemoteRig = {
    server,
    db,
    dbFile,
    ws,
    serial: handle.serial,
    key: handle.key,
    usb: handle.usb,
    outcomes,
    code: '',
    info: () => handle.info(),
    unlock: (code) => handle.unlock(code),
    dto,
    announce: async (state = HwVaultConnectionState.Initializing, returnInfo = false) =>
      ws.invoke('UpdateHwVaultProperties', await dto(state), returnInfo),
    status: async () => ws.invoke<HwVaultInfoFromHesDto>('UpdateHwVaultStatus', await dto()),
    reserve: () => {
      employees += 1;
      const employee = server.standIn.addEmployee({ firstName: 'Eve', lastName: `No${employees}` });
      return server.standIn.reserve(handle.serial, employee.id).activationCode;
    },
    nextOutcome: async () => {
      const seen = outcomes.length;
      await until(() => outcomes.length > seen);
      const outcome = outcomes[seen];
      if (!outcome) throw new Error('no outcome');
      return outcome;
    },
    commandCount: () => ws.steps.filter((s) => s.target === 'SendRemoteCommand').length,
  };
  if (options.reserved) rig.code = rig.reserve();
  if (options.announce !== false) expect((await rig.announce()).code).toBe(0);
  return rig;
}

/** Links the key of a `reserved` rig through a status update; the activation code. */
export async function reservedAndLinked(rig: RemoteRig): Promise<string> {
  const code = rig.code;
  expect((await rig.status()).code).toBe(0);
  expect((await rig.info()).lockedByCode).toBe(true);
  return code;
}

/** Reserved, linked, the code typed on the key, Access: Active. */
export async function activeVault(rig: RemoteRig): Promise<void> {
  const code = await reservedAndLinked(rig);
  expect(await rig.unlock(code)).toBe(DeviceErrorCode.OK);
  expect((await rig.status()).code).toBe(0);
  expect(rig.server.standIn.vaultStatus(rig.serial).status).toBe(VaultStatus.Active);
}
