// Whether Bluetooth can be used, as typed states the UI can show: noble's
// adapter states (unsupported, unauthorized, poweredOff → back on), a noble
// that fails to load, and the REAL @abandonware/noble on this machine (here
// there is no adapter: 'unavailable', never a crash; elsewhere any typed state).
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../../../../device/errors/device-error';
import { availabilityOf } from '../../../../device/transport/ble/adapter-state';
import { createBleDiscovery } from '../../../../device/transport/ble/ble-discovery';
import {
  linuxBluetoothPreflight,
  loadFailureDetail,
  loadNoble,
} from '../../../../device/transport/ble/noble-loader';
import { Command } from '../../../../device/protocol/messages';
import type { LinkAvailability } from '../../../../device/transport/transport';
import { bleBench, idOf, TransportHost, watchLog, type BleBench } from './ble-bench';

const TYPED_STATES: readonly LinkAvailability['state'][] = [
  'ready',
  'unavailable',
  'unsupported',
  'unauthorized',
  'poweredOff',
  'resetting',
  'unknown',
];

let bench: BleBench | undefined;
afterEach(async () => {
  await bench?.cleanup();
  bench = undefined;
});

describe('adapter states', () => {
  it.each(['unauthorized', 'unsupported'] as const)(
    'an adapter that reports %s is that typed state, with a reason, and nothing is scanned',
    async (state) => {
      bench = await bleBench({ state });
      const availability = await bench.log.availability(state);
      expect(availability.state === 'ready' ? undefined : availability.detail).toBeTruthy();
      expect(bench.log.events.some((e) => e.type === 'added')).toBe(false);
      await expect(
        bench.discovery.open({ id: 'c0ffee000000', link: 'ble', name: 'x' }),
      ).rejects.toMatchObject({ code: DeviceErrorKind.BluetoothUnavailable });
    },
  );

  it('powering Bluetooth off drops the link and the key; powering on finds it again', async () => {
    bench = await bleBench();
    const key = bench.keys[0];
    if (!key) throw new Error('no key');
    const id = idOf(bench, key);
    const transport = await bench.open(key);
    const from = bench.log.events.length;
    const gone = new Promise<string>((resolve) =>
      transport.onDisconnect((reason) => resolve(reason.code)),
    );

    bench.adapter.setAdapterState('poweredOff');

    expect(await gone).toBe(DeviceErrorKind.Disconnected);
    await bench.log.availability('poweredOff', from);
    await bench.log.removed(id, from);
    expect(bench.discovery.availability).toMatchObject({ state: 'poweredOff' });
    await expect(bench.discovery.open(transport.descriptor)).rejects.toMatchObject({
      code: DeviceErrorKind.BluetoothUnavailable,
    });

    bench.adapter.setAdapterState('poweredOn');
    await bench.log.availability('ready', from);
    const again = await bench.discovery.open(await bench.log.added(id, from));
    const info = await new TransportHost(again).request({ command: Command.GetInfo });
    expect('info' in info && info.info.serialNo).toBe(key.serialNo);
    await again.close();
  });

  it('maps every noble state to a typed availability', () => {
    expect(availabilityOf('poweredOn')).toEqual({ link: 'ble', state: 'ready' });
    for (const state of ['unsupported', 'unauthorized', 'poweredOff', 'resetting', 'unknown']) {
      expect(availabilityOf(state)).toMatchObject({ link: 'ble', state });
    }
    expect(availabilityOf('somethingNew')).toMatchObject({ state: 'unknown' });
  });
});

describe('noble that cannot be loaded', () => {
  it('a failing noble factory is availability unavailable, not a crash', async () => {
    const discovery = createBleDiscovery({
      noble: () => Promise.reject(Object.assign(new Error('socket'), { code: 'EAFNOSUPPORT' })),
    });
    const { log, stop } = watchLog(discovery);
    const availability = await log.availability('unavailable');
    stop();
    expect(availability).toEqual({
      link: 'ble',
      state: 'unavailable',
      detail: 'Bluetooth could not be started (EAFNOSUPPORT)',
    });
  });

  it('load failures are told by code, without paths or messages', () => {
    expect(loadFailureDetail(Object.assign(new Error('/x/y'), { code: 'EAFNOSUPPORT' }))).toBe(
      'Bluetooth is not supported on this system (EAFNOSUPPORT)',
    );
    expect(
      loadFailureDetail(Object.assign(new Error('/x/y.node'), { code: 'ERR_DLOPEN_FAILED' })),
    ).not.toContain('/x');
    expect(loadFailureDetail('weird')).toBe('Bluetooth could not be started');
  });

  it('the Linux preflight says unavailable when the kernel has no Bluetooth class', async () => {
    expect(await linuxBluetoothPreflight('linux', '/nonexistent/bluetooth')).toMatch(/Bluetooth/);
    expect(await linuxBluetoothPreflight('darwin', '/nonexistent/bluetooth')).toBeUndefined();
  });

  it('an import that gives no noble is unavailable', async () => {
    const load = await loadNoble({ preflight: null, importNoble: () => Promise.resolve({}) });
    expect(load).toMatchObject({ ok: false, availability: { state: 'unavailable' } });
  });
});

describe('the real @abandonware/noble on this machine', () => {
  it('importing it for real gives noble or a typed unavailable, never a throw', () => {
    // preflight null: really import it (here: EAFNOSUPPORT from its HCI socket). In a
    // child process of its own, because after a failed load noble's HCI addon aborts
    // the process at exit (the reason the app's preflight exists): what counts is the
    // typed answer printed before that, not how the child ends.
    const probe = [
      "import { loadNoble } from './device/transport/ble/noble-loader.ts';",
      'const load = await loadNoble({ preflight: null });',
      "process.stdout.write('RESULT ' + JSON.stringify(load.ok ? { ok: true, scan: typeof load.noble.startScanning } : load) + '\\n');",
      'process.exit(0);',
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', probe],
      {
        cwd: process.cwd(),
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, child.stderr).toBeDefined();
    const load = JSON.parse((line ?? '').slice('RESULT '.length)) as
      { ok: true; scan: string } | { ok: false; availability: LinkAvailability };
    if (load.ok) {
      expect(load.scan).toBe('function');
    } else {
      expect(load.availability.state).toBe('unavailable');
      expect(load.availability.state !== 'ready' && load.availability.detail).toBeTruthy();
    }
  });

  it('the discovery as the app builds it reports a typed state and keeps running', async () => {
    const discovery = createBleDiscovery();
    const { log, stop } = watchLog(discovery);
    const settled = await log.next(
      (e) => e.type === 'availability' && e.availability.state !== 'unknown',
    );
    stop();
    if (settled.type !== 'availability') throw new Error('unreachable');
    expect(TYPED_STATES).toContain(settled.availability.state);
    expect(discovery.availability.link).toBe('ble');
  });
});
