// The real parts wired as in production, as test/integration/hes does: the HES stand-in
// (temp SQLite, ephemeral port), the real createHesClient whose relay goes through the
// DeviceManager (deviceRelay), the DeviceManager over the real discoveries — open-protocol
// keys on the real HID discovery over a VirtualUsbBus, or Hideez Key 3s on the real BLE
// key discovery over the virtual adapter — with real VirtualKeys, and the companion
// service. Waits are event-driven.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach } from 'vitest';
import { openProtocolKeys } from '../../../device/open-protocol/open-discovery';
import { DeviceManager } from '../../../device/manager/device-manager';
import { openAuditQueue, type AuditQueue } from '../../../main/audit/audit-queue';
import { auditSender } from '../../../main/hes/audit-sender';
import {
  createHesClient,
  type HesClient,
  type HesClientOptions,
} from '../../../main/hes/hes-client';
import {
  createCompanionService,
  type CompanionService,
} from '../../../main/workflow/companion-service';
import type { RelayEvent } from '../../../main/hes/device-hub-relay';
import { deviceRelay } from '../../../main/workflow/device-relay';
import type { Notice } from '../../../shared/ipc/contract';
import type { AppSnapshot, KeySnapshot } from '../../../shared/ipc/snapshot';
import type { ServerConnection } from '../../../shared/view/server-state';
import type { KeyDiscovery } from '../../../device/key/key-connection';
import type { VirtualKey, VirtualKeyOptions } from '../../../emulator/key/virtual-key';
import { virtualKey3s } from '../../device/key3/virtual-key3s';
import { TappedUsbBus, virtualKeys } from '../../device/manager/virtual-usb';
import { startRig, workstationInfo, type Rig } from '../../integration/hes/stand-in-rig';
import { createWaiters } from './waiters';

/** Which kind of key a rig's keys are: our open protocol (USB), or Hideez Key 3s (BLE). */
export type KeyFamily = 'open' | 'key3';
export const KEY_FAMILIES: readonly KeyFamily[] = ['open', 'key3'];
/** `count` keys of each family at once. */
export type RigFamily = KeyFamily | 'mixed';

export interface CompanionRig {
  readonly rig: Rig;
  readonly family: RigFamily;
  /** The rig's keys, whatever their family. */
  readonly keys: readonly VirtualKey[];
  /** The USB bus (open-protocol keys; empty for Key 3s). */
  readonly usb: TappedUsbBus;
  /** The key goes away (unplugged, or switched off / out of range for a Key 3). */
  unplugKey(key: VirtualKey): void;
  /** The key comes back. */
  plugKey(key: VirtualKey): Promise<void>;
  readonly devices: DeviceManager;
  readonly hes: HesClient;
  readonly service: CompanionService;
  readonly audit: AuditQueue;
  readonly serials: string[];
  readonly snapshots: AppSnapshot[];
  readonly notices: Notice[];
  readonly historyFile: string;
  readonly workstationId: string;
  /** Every code and PIN the test typed: the secrets scan looks for them. */
  readonly typed: string[];
  /**
   * The companion stops (its service, HES client and audit queue, as a quit app does) and the
   * keys' links close, `whileDown` runs, and a new companion starts on the same data folder
   * and workstation id, and the keys connect again.
   */
  restartCompanion(whileDown?: () => void | Promise<void>): Promise<void>;
  /** Everything the companion's DeviceHub relay reported (sizes and steps, never bytes). */
  readonly deviceHub: RelayEvent[];
  key(serial: string): KeySnapshot | undefined;
  until(serial: string, match: (k: KeySnapshot) => boolean): Promise<KeySnapshot>;
  untilServer(state: ServerConnection['state']): Promise<void>;
  /** Admin: reserve the key for a new employee; the activation code. */
  reserve(serial: string): string;
  /** Sets the stand-in's default profile (PIN on connect, button on connect). */
  profile(p: ProfileChange): void;
  close(): Promise<void>;
}

export type ProfileChange = {
  pinConnection?: boolean;
  buttonConnection?: boolean;
  pinTryCount?: number;
  masterKeyConnection?: boolean;
};

/**
 * Registers an afterEach that closes the rig a test started, if it did; the function it
 * returns marks that rig: `const rig = closedAfterTest(await startIpcRig(1, family))`.
 */
export function closedAfterEach(): <R extends { close(): Promise<void> }>(rig: R) => R {
  let started: { close(): Promise<void> } | undefined;
  afterEach(async () => {
    await started?.close();
    started = undefined;
  });
  return (rig) => {
    started = rig;
    return rig;
  };
}

let employees = 0;

/** Admin: a new employee, the key reserved for them; the activation code (remembered as typed). */
export function reserveForNewEmployee(rig: Rig, serial: string, typed: string[]): string {
  employees += 1;
  const employee = rig.server.standIn.addEmployee({
    firstName: 'Ann',
    lastName: `No${employees}`,
    email: `a${employees}@corp`,
  });
  const code = rig.server.standIn.reserve(serial, employee.id).activationCode;
  typed.push(code);
  return code;
}

/** Sets the stand-in's default profile straight in its database (HES edits it in its UI). */
export function setDefaultProfile(rig: Rig, p: ProfileChange): void {
  const db = new DatabaseSync(rig.dbFile);
  db.prepare(
    'UPDATE HardwareVaultProfiles SET PinConnection = ?, ButtonConnection = ?, PinTryCount = ?, MasterKeyConnection = ?',
  ).run(
    p.pinConnection ? 1 : 0,
    p.buttonConnection ? 1 : 0,
    p.pinTryCount ?? 10,
    p.masterKeyConnection ? 1 : 0,
  );
  db.close();
}

type Relay = HesClientOptions['relay'];

export interface CompanionRigOptions {
  /** false: leave the workstation unapproved. */
  readonly approve?: boolean;
  /** Wraps the relay to the keys (a test that holds server commands on their way). */
  readonly relay?: (toKeys: Relay) => Relay;
  /** The keys' family (default: open protocol); 'mixed': `count` keys of each. */
  readonly family?: RigFamily;
  /** How the Key 3s behave, and the vendor key the companion accepts (default: the test one). */
  readonly key3?: { readonly key?: VirtualKeyOptions; readonly vendorPublicKey?: Uint8Array };
  /** How long a key's first check waits for the server connection being made. */
  readonly serverFirstWordMs?: number;
}

interface RigKeys {
  readonly keys: VirtualKey[];
  readonly records: readonly Parameters<Rig['server']['standIn']['importVaults']>[0][number][];
  readonly usb: TappedUsbBus;
  readonly discoveries: KeyDiscovery[];
  readonly unplug: (key: VirtualKey) => void;
  readonly plug: (key: VirtualKey) => Promise<void>;
  readonly cleanup: () => Promise<void>;
}

async function rigKeys(
  family: RigFamily,
  count: number,
  options: CompanionRigOptions['key3'] = {},
): Promise<RigKeys> {
  const open = family === 'key3' ? undefined : await virtualKeys(count);
  const key3 =
    family === 'open'
      ? undefined
      : await virtualKey3s(count, options.key ? { key: options.key } : {});
  const usb = new TappedUsbBus(open?.keys ?? []);
  const isOpen = (key: VirtualKey): boolean => open?.keys.includes(key) ?? false;
  return {
    keys: [...(open?.keys ?? []), ...(key3?.keys ?? [])],
    records: [...(open?.records ?? []), ...(key3?.records ?? [])],
    usb,
    discoveries: [
      ...(open ? [openProtocolKeys(usb.discovery)] : []),
      ...(key3
        ? [
            key3.discovery({
              staleAfterMs: 1_000,
              ...(options.vendorPublicKey ? { vendorPublicKey: options.vendorPublicKey } : {}),
            }),
          ]
        : []),
    ],
    // A Key 3 has no cable: it goes away when switched off (or out of range).
    unplug: (key) => (isOpen(key) ? usb.unplug(key) : key.unplug()),
    plug: (key) => (isOpen(key) ? usb.plug(key) : key.plug()),
    cleanup: async () => {
      await open?.cleanup();
      await key3?.cleanup();
    },
  };
}

export async function startCompanionRig(
  count = 1,
  options: CompanionRigOptions = {},
): Promise<CompanionRig> {
  const rig = await startRig();
  const family = options.family ?? 'open';
  const { keys, records, usb, discoveries, unplug, plug, cleanup } = await rigKeys(
    family,
    count,
    options.key3,
  );
  rig.server.standIn.importVaults(records);
  const devices = new DeviceManager({
    discoveries,
    reconnectDelayMs: 20,
    infoTimeoutMs: 5000,
  });
  const workstationId = randomUUID();
  const historyFile = join(rig.dir, 'history.json');
  const snapshots: AppSnapshot[] = [];
  const notices: Notice[] = [];
  const waiters = createWaiters();
  const wait = waiters.wait;
  const deviceHub: RelayEvent[] = [];
  /** One run of the companion's services over the rig's keys, server and data folder. */
  const startCompanion = async () => {
    const hes = createHesClient({
      serverUrl: rig.server.url,
      workstationId,
      workstationInfo: () => workstationInfo(workstationId),
      relay: options.relay ? options.relay(deviceRelay(devices)) : deviceRelay(devices),
      reconnect: { firstMs: 20, stepMs: 20, maxMs: 100, jitter: 0 },
      registrationRetryMs: 50,
    });
    const audit = await openAuditQueue({
      file: join(rig.dir, 'audit.sqlite'),
      workstationId,
      send: auditSender(hes),
      durability: 'process',
    });
    const service = createCompanionService({
      devices,
      hes,
      audit,
      historyFile,
      ...(options.serverFirstWordMs !== undefined
        ? { serverFirstWordMs: options.serverFirstWordMs }
        : {}),
    });
    service.onSnapshot((s) => {
      snapshots.push(s);
      waiters.wake();
    });
    service.onNotice((n) => notices.push(n));
    hes.onState(waiters.wake);
    hes.onEvent((event) => {
      if (isRelayEvent(event)) deviceHub.push(event);
    });
    return { hes, audit, service };
  };
  const stopCompanion = async (): Promise<void> => {
    await parts.service.stop();
    await parts.hes.stop();
    await parts.audit.close();
  };
  let parts = await startCompanion();
  const key = (serial: string): KeySnapshot | undefined =>
    parts.service.snapshot().keys.find((k) => k.serialNo === serial);
  const crig: CompanionRig = {
    rig,
    family,
    keys,
    usb,
    unplugKey: unplug,
    plugKey: plug,
    devices,
    get hes() {
      return parts.hes;
    },
    get service() {
      return parts.service;
    },
    get audit() {
      return parts.audit;
    },
    serials: records.map((r) => r.serialNo),
    snapshots,
    notices,
    historyFile,
    workstationId,
    typed: [],
    deviceHub,
    key,
    async until(serial, match) {
      await wait(() => {
        const k = key(serial);
        return k !== undefined && match(k);
      });
      return key(serial) as KeySnapshot;
    },
    untilServer: (state) => wait(() => parts.hes.state.state === state),
    reserve: (serial) => reserveForNewEmployee(rig, serial, crig.typed),
    profile: (p) => setDefaultProfile(rig, p),
    async restartCompanion(whileDown) {
      await stopCompanion();
      // A new process opens new links: each key asks for its PIN again.
      for (const k of keys) unplug(k);
      await whileDown?.();
      parts = await startCompanion();
      // The keys are there before the server connection is made, as at a real start.
      for (const k of keys) await plug(k);
      parts.hes.start();
    },
    async close() {
      await parts.service.stop();
      await devices.stop();
      await parts.hes.stop();
      await parts.audit.close();
      await cleanup();
      await rig.close();
    },
  };
  parts.hes.start();
  if (options.approve !== false) {
    await crig.untilServer('notApproved');
    rig.server.standIn.approveWorkstation(workstationId);
    await crig.untilServer('connected');
  }
  return crig;
}

const RELAY_EVENTS: ReadonlySet<string> = new Set([
  'channelOpened',
  'channelClosed',
  'channelFailed',
  'relayed',
  'relayFailed',
]);

function isRelayEvent(event: { readonly type: string }): event is RelayEvent {
  return RELAY_EVENTS.has(event.type);
}
