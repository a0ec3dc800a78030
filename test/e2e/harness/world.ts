// The real parts an employee's companion runs on, composed as `npm start` composes them
// (emulator/demo): the HES stand-in on its own temp SQLite file, virtual keys — open-protocol
// keys on a virtual USB bus found by the REAL HID discovery, or Hideez Key 3s on the virtual
// Bluetooth adapter found by the REAL BLE key discovery — the companion's production composition
// (startCompanionApp) over them, and the browser host serving the built renderer. The
// keys start unplugged so each walk plugs them in as the employee would. Admin actions
// go through the stand-in's domain, as its admin REST and CLI do.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openProtocolKeys } from '../../../device/open-protocol/open-discovery';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { startCompanionApp, type CompanionApp } from '../../../main/app/companion-app';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/browser-host';
import type { IpcEvent } from '../../../shared/ipc/contract';
import type { KeySnapshot } from '../../../shared/ipc/snapshot';
import type { ServerConnection } from '../../../shared/view/server-state';
import type { KeyDiscovery } from '../../../device/key/key-connection';
import { virtualKey3s } from '../../device/key3/virtual-key3s';
import { TappedUsbBus, virtualKeys } from '../../device/manager/virtual-usb';
import { startRig, type Rig } from '../../integration/hes/stand-in-rig';
import {
  reserveForNewEmployee,
  setDefaultProfile,
  type ProfileChange,
} from '../../main/workflow/companion-rig';
import { createWaiters } from '../../main/workflow/waiters';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const RENDERER = join(ROOT, 'out', 'renderer');

export interface WorldOptions {
  /** How many virtual keys exist (all unplugged at first); default 1. */
  readonly keys?: number;
  /** The stand-in's default profile, set before any key connects. */
  readonly profile?: ProfileChange;
  /** Approve the workstation once it registers (default true). */
  readonly approve?: boolean;
  /** Which keys: open-protocol keys on USB (default) or Hideez Key 3s on Bluetooth. */
  readonly family?: 'open' | 'key3';
}

export interface World {
  readonly rig: Rig;
  readonly app: CompanionApp;
  readonly host: BrowserHost;
  readonly usb: TappedUsbBus;
  /** The keys' serial numbers, in order. */
  readonly serials: readonly string[];
  /** The companion's data dir (workstation id, audit queue, history). */
  readonly dataDir: string;
  /** Every code and PIN typed or handed out in the walk: the secrets scan looks for them. */
  readonly typed: string[];
  /** Every event the router pushed (to every page): scanned for secrets too. */
  readonly events: IpcEvent[];
  /** Admin: reserve the key for a new employee; the activation code (remembered). */
  reserve(serial: string): string;
  /** Admin: Locked → Suspended; the new code (remembered). */
  activate(serial: string): string;
  /** Admin: Active → Suspended; the new code (remembered). */
  suspend(serial: string, description?: string): string;
  profile(p: ProfileChange): void;
  approve(): Promise<void>;
  key(serial: string): KeySnapshot | undefined;
  untilKey(serial: string, match: (k: KeySnapshot) => boolean): Promise<KeySnapshot>;
  untilServer(state: ServerConnection['state']): Promise<void>;
  /** Powers the key up (both links) and fires the USB connect event. */
  plug(serial: string): Promise<void>;
  /** Cuts the key's power and waits until the companion has seen it go. */
  unplug(serial: string): Promise<void>;
  /** Unplug then plug: how a change made by the admin reaches a connected key. */
  replug(serial: string): Promise<void>;
  /** Stops the companion (the data dir stays for the secrets scan until close). */
  stopApp(): Promise<void>;
  close(): Promise<void>;
}

export function rendererBuilt(): boolean {
  return existsSync(join(RENDERER, 'index.html'));
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  if (!rendererBuilt()) {
    throw new Error(
      'out/renderer is missing: build it first (node build/tools/with-electron-node.mjs npm run build)',
    );
  }
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const rig = await startRig();
    cleanups.push(() => rig.close());
    const key3 = options.family === 'key3';
    const generated = key3
      ? await virtualKey3s(options.keys ?? 1)
      : await virtualKeys(options.keys ?? 1);
    cleanups.push(generated.cleanup);
    rig.server.standIn.importVaults(generated.records);
    if (options.profile) setDefaultProfile(rig, options.profile);
    const serials = generated.records.map((r) => r.serialNo);
    // A VirtualKey's serial is readable only while it is powered: map them now.
    const bySerial = new Map<string, VirtualKey>(generated.keys.map((k) => [k.serialNo, k]));
    const usb = new TappedUsbBus(key3 ? [] : generated.keys);
    // A Key 3 has no cable: "plugged" is switched on and in range.
    const power = {
      on: (k: VirtualKey): Promise<void> => (key3 ? k.plug() : usb.plug(k)),
      off: (k: VirtualKey): void => (key3 ? k.unplug() : usb.unplug(k)),
    };
    for (const key of generated.keys) power.off(key);
    const discovery: KeyDiscovery =
      'discovery' in generated ? generated.discovery() : openProtocolKeys(usb.discovery);

    const dataDir = join(rig.dir, 'app');
    await mkdir(dataDir, { recursive: true });
    const app = await startCompanionApp({
      dataDir,
      serverUrl: rig.server.url,
      discoveries: [discovery],
      appVersion: '0.1.0-e2e',
    });
    cleanups.push(() => app.stop());
    const events: IpcEvent[] = [];
    const { wake, wait } = createWaiters();
    app.router.onEvent((e) => {
      events.push(e);
      wake();
    });
    app.hes.onState(wake);
    const key = (serial: string): KeySnapshot | undefined =>
      app.router.snapshot()?.keys.find((k) => k.serialNo === serial);
    const untilKey = async (
      serial: string,
      match: (k: KeySnapshot) => boolean,
    ): Promise<KeySnapshot> => {
      await wait(() => {
        const k = key(serial);
        return k !== undefined && match(k);
      });
      return key(serial) as KeySnapshot;
    };
    const untilServer = (state: ServerConnection['state']): Promise<void> =>
      wait(() => app.hes.state.state === state);
    const keyOf = (serial: string): VirtualKey => {
      const k = bySerial.get(serial);
      if (!k) throw new Error(`no virtual key ${serial}`);
      return k;
    };

    const host = await startBrowserHost({ router: app.router, root: RENDERER });
    cleanups.push(() => host.close());

    const typed: string[] = [];
    const world: World = {
      rig,
      app,
      host,
      usb,
      serials,
      dataDir,
      typed,
      events,
      reserve: (serial) => reserveForNewEmployee(rig, serial, typed),
      activate(serial) {
        const code = rig.server.standIn.activate(serial).activationCode;
        typed.push(code);
        return code;
      },
      suspend(serial, description) {
        const code = rig.server.standIn.suspend(serial, description).activationCode;
        typed.push(code);
        return code;
      },
      profile: (p) => setDefaultProfile(rig, p),
      async approve() {
        await untilServer('notApproved');
        rig.server.standIn.approveWorkstation(app.workstationId);
        await untilServer('connected');
      },
      key,
      untilKey,
      untilServer,
      async plug(serial) {
        await power.on(keyOf(serial));
      },
      async unplug(serial) {
        power.off(keyOf(serial));
        await untilKey(
          serial,
          (k) => k.connection !== 'connected' && k.step === 'stopped' && k.prompt === undefined,
        );
      },
      async replug(serial) {
        await world.unplug(serial);
        await world.plug(serial);
      },
      async stopApp() {
        await host.close();
        await app.stop();
      },
      close: cleanup,
    };
    if (options.approve !== false) await world.approve();
    return world;
  } catch (e) {
    await cleanup();
    throw e;
  }
}
