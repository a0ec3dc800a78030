// The device manager over virtual keys on the emulator's USB bus, through the
// real HID discovery (hot-plug events, enumeration) and transport: discovery,
// one queue per key, keys in parallel, unplug and replug, cancel, events, stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../../../device/errors/device-error';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { KEY_NOT_FOUND, isKeyNotFoundError } from '../../../device/manager/key-not-found-error';
import type { KeyRecord } from '../../../device/manager/key-record';
import type { KeyEvent } from '../../../device/key/key-events';
import { KeyOp } from '../../../device/key/key-operations';
import { CodeLockReason } from '../../../shared/key/key-info';
import type { ProvisioningRecord } from '../../../emulator/key/provision';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { TestServer } from '../../emulator/key/key-hosts';
import {
  OPTS,
  connected,
  getInfo,
  gone,
  keyWhere,
  remoteHost,
  startManager,
  waitButton,
} from './manager-harness';
import { TappedUsbBus, virtualKeys } from './virtual-usb';

describe('DeviceManager over USB', () => {
  let keys: VirtualKey[];
  let records: ProvisioningRecord[];
  let bus: TappedUsbBus;
  let manager: DeviceManager;
  let cleanup: () => Promise<void>;
  let serials: string[];

  const serial = (i: number): string => serials[i]!;

  beforeEach(async () => {
    ({ keys, records, cleanup } = await virtualKeys(2));
    serials = keys.map((k) => k.serialNo);
    bus = new TappedUsbBus(keys);
    manager = startManager([bus.discovery]);
    await Promise.all(keys.map((k) => connected(manager, k.serialNo)));
    await bus.hotPlugReady();
  });

  afterEach(async () => {
    await manager.stop();
    await cleanup();
  });

  it('finds every plugged key, reads its info and shows it connected over USB', () => {
    const records = manager.keys().sort((a, b) => a.serialNo.localeCompare(b.serialNo));
    expect(records.map((r) => r.serialNo)).toEqual(keys.map((k) => k.serialNo).sort());
    for (const record of records) {
      expect(record).toMatchObject({ state: 'connected', activeLink: 'usb' });
      expect(record.links).toEqual([expect.objectContaining({ link: 'usb' })]);
      expect(record.info?.serialNo).toBe(record.serialNo);
    }
    expect(manager.availability()).toEqual([{ link: 'usb', state: 'ready' }]);
  });

  it('two keys run in parallel: one waiting for its button does not block the other', async () => {
    const first = waitButton(manager, serial(0));
    await first.waiting;
    await expect(getInfo(manager, serial(1))).resolves.toMatchObject({
      status: DeviceErrorCode.OK,
    });
    keys[0]!.pressButton();
    await expect(first.answer).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('one key runs its jobs one at a time, in order', async () => {
    const log: string[] = [];
    const first = waitButton(manager, serial(0));
    const second = getInfo(manager, serial(0)).then(() => log.push('info'));
    await first.waiting;
    log.push('pressing');
    keys[0]!.pressButton();
    await first.answer.then(() => log.push('button'));
    await second;
    expect(log).toEqual(['pressing', 'button', 'info']);
  });

  it('a request for a serial it never saw fails with KeyNotFoundError', async () => {
    const error = await getInfo(manager, 'NO-SUCH-KEY').catch((e: unknown) => e);
    expect(isKeyNotFoundError(error)).toBe(true);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      code: KEY_NOT_FOUND,
      details: { serialNo: 'NO-SUCH-KEY' },
    });
  });

  it('unplugged mid-job: the job fails with Disconnected, the key is removed; replugged, it is added and works', async () => {
    const added: string[] = [];
    const removed: string[] = [];
    manager.on('added', (r) => added.push(r.serialNo));
    manager.on('removed', (s) => removed.push(s));
    const job = waitButton(manager, serial(0));
    await job.waiting;
    bus.unplug(keys[0]!);
    await expect(job.answer).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await gone(manager, serial(0));
    expect(removed).toEqual([serial(0)]);
    await bus.plug(keys[0]!);
    await connected(manager, serial(0));
    expect(added).toEqual([serial(0)]);
    await expect(getInfo(manager, serial(0))).resolves.toMatchObject({
      status: DeviceErrorCode.OK,
    });
  });

  it('cancelling a running job cancels it on the key, and the key works on', async () => {
    const controller = new AbortController();
    const job = waitButton(manager, serial(0), { signal: controller.signal });
    await job.waiting;
    controller.abort();
    await expect(job.answer).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
    await expect(getInfo(manager, serial(0))).resolves.toMatchObject({
      status: DeviceErrorCode.OK,
    });
    expect(keys[0]!.firmware.waitingForButton).toBe(false);
  });

  it('cancelling a waiting job: it is never sent, the running one goes on', async () => {
    const controller = new AbortController();
    const pinBefore = JSON.stringify(keys[0]!.state.pin);
    const running = waitButton(manager, serial(0));
    let sent = 0;
    const queued = manager.request(
      serial(0),
      { op: KeyOp.EnterPin, pin: new TextEncoder().encode('1234') },
      { ...OPTS, signal: controller.signal, onKeepalive: () => void (sent += 1) },
    );
    await running.waiting;
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
    keys[0]!.pressButton();
    await expect(running.answer).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(sent).toBe(0);
    expect(JSON.stringify(keys[0]!.state.pin)).toBe(pinBefore);
  });

  it('passes the key events on, once per key', async () => {
    const events: [string, KeyEvent][] = [];
    const pressed = new Promise<void>((resolve) =>
      manager.on('event', (serialNo, event) => {
        events.push([serialNo, event]);
        if (event.kind === 'button') resolve();
      }),
    );
    keys[1]!.pressButton(2);
    await pressed;
    expect(events).toEqual([[serial(1), { kind: 'button', presses: 2 }]]);
  });

  it('a Battery event updates the key info', async () => {
    await keys[0]!.setBattery(17);
    await keyWhere(manager, serial(0), (k) => k.info?.battery === 17);
  });

  it('an AccessChanged event brings the whole lock state, no reread needed (linking locks the key by code)', async () => {
    const server = new TestServer(records.find((r) => r.serialNo === serial(0))!);
    const host = remoteHost(manager, serial(0));
    await server.link(host, '123456');
    await keyWhere(
      manager,
      serial(0),
      (k) => k.info?.codeLockReason === CodeLockReason.FirstActivation && k.info.lockedByCode,
    );
    expect(manager.key(serial(0))?.info).toEqual(keys[0]!.info());
  });

  it('stop() fails the job in flight with Disconnected, forgets every key and closes every link', async () => {
    const removed: string[] = [];
    manager.on('removed', (s) => removed.push(s));
    const job = waitButton(manager, serial(0));
    await job.waiting;
    const failed = expect(job.answer).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await manager.stop();
    await failed;
    expect(manager.keys()).toEqual([]);
    expect(removed.sort()).toEqual(keys.map((k) => k.serialNo).sort());
    await expect(getInfo(manager, serial(0))).rejects.toSatisfy(isKeyNotFoundError);
    // The job was cancelled on the key before the link closed: the key is free.
    expect(keys[0]!.firmware.waitingForButton).toBe(false);
  });

  it('started again after stop(), it finds the keys again', async () => {
    await manager.stop();
    manager.start();
    await Promise.all(serials.map((s) => connected(manager, s)));
    await expect(getInfo(manager, serial(1))).resolves.toMatchObject({
      status: DeviceErrorCode.OK,
    });
  });

  it('records are plain data', () => {
    const record: KeyRecord = manager.key(serial(0))!;
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});
