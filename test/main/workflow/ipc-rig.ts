// The companion rig of companion-rig.ts (built on it) driven through the IPC router: the
// same real parts (HES stand-in, real HES client, DeviceManager over virtual USB keys, the
// real companion service) with two additions for fault tests: a gate on the HES relay (hold
// a sealed server command before it reaches the key) and the router every command goes
// through, whose pushed events are kept for the secrets scan. Waits are event-driven.
import { expect } from 'vitest';
import { createIpcRouter, type IpcRouter } from '../../../main/ipc/ipc-router';
import type { CommandResult, IpcEvent } from '../../../shared/ipc/contract';
import type { KeySnapshot } from '../../../shared/ipc/snapshot';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import {
  startCompanionRig,
  type CompanionRig,
  type CompanionRigOptions,
  type KeyFamily,
  type RigFamily,
} from './companion-rig';
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

export async function startIpcRig(
  count = 1,
  family: RigFamily = 'open',
  key3?: CompanionRigOptions['key3'],
): Promise<IpcRig> {
  const holds = new Map<string, (held: Held) => void>();
  const held = new Set<() => void>();
  const base = await startCompanionRig(count, {
    family,
    ...(key3 ? { key3 } : {}),
    relay: (toKeys) => async (serialNo, channel, request, signal) => {
      const hold = holds.get(serialNo);
      if (hold) {
        holds.delete(serialNo);
        await new Promise<void>((release) => {
          held.add(release);
          hold({ serialNo, release });
        });
      }
      return toKeys(serialNo, channel, request, signal);
    },
  });
  const router = createIpcRouter(base.service);
  const events: IpcEvent[] = [];
  router.onEvent((e) => events.push(e));
  // A VirtualKey's serial is readable only while it is powered: map them now.
  const bySerial = new Map(base.keys.map((k) => [k.serialNo, k]));
  const keyOf = (serial: string): VirtualKey => {
    const k = bySerial.get(serial);
    if (!k) throw new Error('no such key');
    return k;
  };
  const c: IpcRig = {
    ...base,
    router,
    events,
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
      base.unplugKey(keyOf(serial));
      return base.until(
        serial,
        (s) => s.connection !== 'connected' && s.step === 'stopped' && s.prompt === undefined,
      );
    },
    async plug(serial) {
      await base.plugKey(keyOf(serial));
      await base.until(serial, (k) => k.connection === 'connected');
    },
    async scan() {
      await expectNoSecrets(c);
      const text = JSON.stringify(events);
      for (const secret of c.typed)
        expect(text.includes(secret), 'a secret in an IPC event').toBe(false);
    },
    async close() {
      holds.clear();
      for (const release of held) release();
      router.dispose();
      await base.close();
    },
  };
  return c;
}

export const settled = (k: KeySnapshot): boolean => k.step === 'online' || k.step === 'stopped';
export const wrongCode = (code: string): string => (code === '000000' ? '111111' : '000000');

/** A rig with one key already reserved: the common opening of the workflow scenarios. */
export async function startWithReservedKey(family: KeyFamily = 'open'): Promise<{
  rig: IpcRig;
  serial: string;
  code: string;
}> {
  const rig = await startIpcRig(1, family);
  const [serial = ''] = rig.serials;
  return { rig, serial, code: rig.reserve(serial) };
}
