// The companion rig of companion-rig.ts driven through the IPC router: the same real
// parts (HES stand-in, real HES client, DeviceManager over virtual USB keys, the real
// companion service) with two additions for fault tests: a gate on the HES relay (hold
// a sealed server command before it reaches the key) and the router every command goes
// through, whose pushed events are kept for the secrets scan. Waits are event-driven.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DeviceManager } from '../../../device/manager/device-manager';
import { openAuditQueue } from '../../../main/audit/audit-queue';
import { auditSender } from '../../../main/hes/audit-sender';
import { createHesClient } from '../../../main/hes/hes-client';
import { createIpcRouter, type IpcRouter } from '../../../main/ipc/ipc-router';
import { createCompanionService } from '../../../main/workflow/companion-service';
import { deviceRelay } from '../../../main/workflow/device-relay';
import type { CommandResult, IpcEvent, Notice } from '../../../shared/ipc/contract';
import type { AppSnapshot, KeySnapshot } from '../../../shared/ipc/snapshot';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { TappedUsbBus, virtualKeys } from '../../device/manager/virtual-usb';
import { startRig, workstationInfo } from '../../integration/hes/stand-in-rig';
import { reserveForNewEmployee, setDefaultProfile, type CompanionRig } from './companion-rig';
import { expectNoSecrets } from './secrets';

/** A held relay command: release() lets it reach the key. */
export interface Held {
  readonly serialNo: string;
  release(): void;
}

export interface IpcRig extends CompanionRig {
  readonly router: IpcRouter;
  readonly events: IpcEvent[];
  /** Calls a command through the router, as a renderer would. */
  call(name: string, ...args: unknown[]): Promise<CommandResult>;
  /** The next relay command for this key is held; resolves once it is. */
  holdRelay(serialNo: string): Promise<Held>;
  keyOf(serial: string): VirtualKey;
  /** Runs `action` synchronously, once, inside the first snapshot event showing the key at `step`. */
  atStep(serial: string, step: KeySnapshot['step'], action: () => void): void;
  /** Pulls the key's power and waits for the flow to end with no prompt. */
  unplug(serial: string): Promise<KeySnapshot>;
  plug(serial: string): Promise<void>;
  /** Every IPC event, snapshot, notice, the history and audit files: no typed secret. */
  scan(): Promise<void>;
}

export async function startIpcRig(count = 1): Promise<IpcRig> {
  const rig = await startRig();
  const { keys, records, cleanup } = await virtualKeys(count);
  rig.server.standIn.importVaults(records);
  const usb = new TappedUsbBus(keys);
  const devices = new DeviceManager({
    discoveries: [usb.discovery],
    reconnectDelayMs: 20,
    infoTimeoutMs: 5000,
  });
  const workstationId = randomUUID();
  const relay = deviceRelay(devices);
  const holds = new Map<string, (held: Held) => void>();
  const held = new Set<() => void>();
  const hes = createHesClient({
    serverUrl: rig.server.url,
    workstationId,
    workstationInfo: () => workstationInfo(workstationId),
    relay: async (serialNo, sealed, signal) => {
      const hold = holds.get(serialNo);
      if (hold) {
        holds.delete(serialNo);
        await new Promise<void>((release) => {
          held.add(release);
          hold({ serialNo, release });
        });
      }
      return relay(serialNo, sealed, signal);
    },
    reconnect: { firstMs: 20, stepMs: 20, maxMs: 100, jitter: 0 },
    registrationRetryMs: 50,
  });
  const audit = await openAuditQueue({
    file: join(rig.dir, 'audit.sqlite'),
    workstationId,
    send: auditSender(hes),
    durability: 'process',
  });
  const historyFile = join(rig.dir, 'history.json');
  const service = createCompanionService({ devices, hes, audit, historyFile });
  const router = createIpcRouter(service);
  const snapshots: AppSnapshot[] = [];
  const notices: Notice[] = [];
  const events: IpcEvent[] = [];
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  router.onEvent((e) => {
    events.push(e);
    if (e.name === 'snapshot') snapshots.push(e.payload);
    else notices.push(e.payload);
    wake();
  });
  hes.onState(wake);
  const wait = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (test()) return resolve();
      const w = (): void => {
        if (!test()) return;
        waiters.delete(w);
        resolve();
      };
      waiters.add(w);
    });
  const key = (serial: string): KeySnapshot | undefined =>
    router.snapshot()?.keys.find((k) => k.serialNo === serial);
  // A VirtualKey's serial is readable only while it is powered: map them now.
  const serials = records.map((r) => r.serialNo);
  const bySerial = new Map(keys.map((k) => [k.serialNo, k]));
  const keyOf = (serial: string): VirtualKey => {
    const k = bySerial.get(serial);
    if (!k) throw new Error('no such key');
    return k;
  };
  const until = async (
    serial: string,
    match: (k: KeySnapshot) => boolean,
  ): Promise<KeySnapshot> => {
    await wait(() => {
      const k = key(serial);
      return k !== undefined && match(k);
    });
    return key(serial) as KeySnapshot;
  };
  const c: IpcRig = {
    rig,
    usb,
    devices,
    hes,
    service,
    audit,
    router,
    events,
    serials,
    snapshots,
    notices,
    historyFile,
    workstationId,
    typed: [],
    key,
    until,
    untilServer: (state) => wait(() => hes.state.state === state),
    call: (name, ...args) => router.handle(name, args),
    holdRelay: (serialNo) => new Promise((resolve) => holds.set(serialNo, resolve)),
    keyOf,
    atStep(serial, step, action) {
      const off = router.onEvent((e) => {
        if (e.name !== 'snapshot') return;
        if (!e.payload.keys.some((k) => k.serialNo === serial && k.step === step)) return;
        off();
        action();
      });
    },
    async unplug(serial) {
      usb.unplug(keyOf(serial));
      const k = await until(
        serial,
        (s) => s.connection !== 'connected' && s.step === 'stopped' && s.prompt === undefined,
      );
      return k;
    },
    async plug(serial) {
      await usb.plug(keyOf(serial));
      await until(serial, (k) => k.connection === 'connected');
    },
    async scan() {
      await expectNoSecrets(c);
      const text = JSON.stringify(events);
      for (const secret of c.typed)
        expect(text.includes(secret), 'a secret in an IPC event').toBe(false);
    },
    reserve: (serial) => reserveForNewEmployee(rig, serial, c.typed),
    profile: (p) => setDefaultProfile(rig, p),
    async close() {
      holds.clear();
      for (const release of held) release();
      router.dispose();
      await service.stop();
      await devices.stop();
      await hes.stop();
      await audit.close();
      await cleanup();
      await rig.close();
    },
  };
  hes.start();
  await c.untilServer('notApproved');
  rig.server.standIn.approveWorkstation(workstationId);
  await c.untilServer('connected');
  return c;
}

export const settled = (k: KeySnapshot): boolean => k.step === 'online' || k.step === 'stopped';
export const wrongCode = (code: string): string => (code === '000000' ? '111111' : '000000');

/** A rig with one key already reserved: the common opening of the workflow scenarios. */
export async function startWithReservedKey(): Promise<{
  rig: IpcRig;
  serial: string;
  code: string;
}> {
  const rig = await startIpcRig(1);
  const [serial = ''] = rig.serials;
  return { rig, serial, code: rig.reserve(serial) };
}
