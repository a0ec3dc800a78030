// The Hideez Key 3 found and opened over Bluetooth through the REAL BLE key discovery,
// the REAL noble classes over the virtual adapter, and the REAL device manager:
// discovery by service, by the HK-nnnnn name, unrelated devices ignored, both key
// families side by side; the set-up order on the wire (reference §1.3) and the key's
// identity (its address until GETINFO names it); a key in its bootloader; a key that
// wants pairing; and the authenticity check against the vendor key.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBleKeyDiscovery } from '../../../device/discovery/ble-keys';
import { DeviceError, DeviceErrorKind } from '../../../device/errors/device-error';
import { KeyOp, type KeyOperation } from '../../../device/key/key-operations';
import { randomPrivateKey } from '../../../device/key3/crypto/ecdsa';
import { macOf } from '../../../device/key3/driver/key3-key-info';
import { KEY3_UUIDS } from '../../../device/key3/protocol/gatt';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { connected, gone, keyWhere } from '../manager/manager-harness';
import { isMessage, key3Rig, OPTS, TraceRecorder, type Key3Rig } from './key3-rig';

let rig: Key3Rig;
afterEach(async () => {
  await rig.cleanup();
});

const onlyKey = (): Key3Rig['keys'][number] => {
  const key = rig.keys[0];
  if (!key) throw new Error('no key');
  return key;
};

describe('discovery', () => {
  it('finds a Key 3 by its advertised service and opens it as a Key 3', async () => {
    rig = await key3Rig();
    const key = onlyKey();
    expect(key.key3.advertisement.serviceUuids).not.toEqual([]);
    const discovery = rig.discovery();
    const log = rig.watch(discovery);
    const descriptor = await log.added(rig.idOf(key));
    expect(descriptor).toMatchObject({ link: 'ble', name: key.key3.advertisement.localName });
    const connection = await discovery.open(descriptor, { infoTimeoutMs: 2_000 });
    expect(connection.family).toBe('key3');
    expect(connection.info).toMatchObject({ serialNo: key.serialNo, model: 'Hideez Key 3' });
    await connection.close();
  });

  it('finds a Key 3 by its HK-nnnnn name when the advertisement lacks the service', async () => {
    rig = await key3Rig({ key: { key3: { advertiseNameOnly: true } } });
    const key = onlyKey();
    expect(key.key3.advertisement.serviceUuids).toEqual([]);
    expect(key.key3.advertisement.localName).toMatch(/^HK-\d{5}$/);
    const discovery = rig.discovery();
    const connection = await rig.open(discovery, rig.watch(discovery), key);
    expect(connection.family).toBe('key3');
    expect(connection.info.serialNo).toBe(key.serialNo);
    await connection.close();
  });

  it('ignores an unrelated advertisement (another service, an "HK-" name that is no Key 3 name)', async () => {
    rig = await key3Rig({ beacon: true });
    const beacon = rig.beacon!;
    expect(beacon.advertisement.localName.startsWith('HK-')).toBe(true);
    const discovery = rig.discovery();
    const log = rig.watch(discovery);
    await log.added(rig.idOf(onlyKey()));
    // The adapter advertised the beacon many times over; the discovery never reported it.
    await rig.advertisements(10);
    const reported = log.events.flatMap((e) => (e.type === 'added' ? [e.descriptor.id] : []));
    expect(reported).toContain(rig.idOf(onlyKey()));
    expect(reported).not.toContain(beacon.id);
  });

  it('one BLE discovery finds open-protocol keys and Key 3s at once; each opens with its own driver', async () => {
    rig = await key3Rig({ count: 2, openKeys: 2 });
    const manager = rig.manager(rig.discovery());
    const all = [...rig.keys, ...rig.openKeys];
    await Promise.all(all.map((k) => connected(manager, k.serialNo)));
    expect(manager.keys()).toHaveLength(4);
    for (const key of rig.keys) {
      expect(manager.key(key.serialNo)?.info?.model).toBe('Hideez Key 3');
    }
    for (const key of rig.openKeys) {
      expect(key.family).toBe('open');
      expect(manager.key(key.serialNo)?.info?.model).not.toBe('Hideez Key 3');
    }
    // Every key answers through its family's driver, in parallel.
    const answers = await Promise.all(
      all.map((k) => manager.request(k.serialNo, { op: KeyOp.ReadInfo }, OPTS)),
    );
    expect(answers.map((a) => ('info' in a ? a.info.serialNo : a.status))).toEqual(
      all.map((k) => k.serialNo),
    );
  });
});

describe('set-up', () => {
  it('follows reference §1.3 on the wire: info read, subscribe, wake-up 02 01, RESET, VERIFY, GETROOTKEY, GETINFO', async () => {
    rig = await key3Rig();
    const key = onlyKey();
    const id = rig.idOf(key);
    const read = vi.spyOn(rig.adapter, 'read');
    const notify = vi.spyOn(rig.adapter, 'notify');
    const write = vi.spyOn(rig.adapter, 'write');
    const trace = new TraceRecorder();
    const discovery = rig.discovery({ key3: { trace } });
    const connection = await rig.open(discovery, rig.watch(discovery), key);

    // GATT: the info characteristic is read before notifications are enabled on the main one,
    // then the first write is `02 01` with response; every later packet is 20 bytes without.
    expect(read.mock.calls.map((c) => c.slice(0, 3))).toEqual([
      [id, KEY3_UUIDS.service, KEY3_UUIDS.info],
    ]);
    expect(notify.mock.calls.map((c) => c.slice(0, 4))).toEqual([
      [id, KEY3_UUIDS.service, KEY3_UUIDS.main, true],
    ]);
    expect(read.mock.invocationCallOrder[0]).toBeLessThan(notify.mock.invocationCallOrder[0]!);
    const [first, ...rest] = write.mock.calls;
    expect(notify.mock.invocationCallOrder[0]).toBeLessThan(write.mock.invocationCallOrder[0]!);
    expect(first?.slice(2)).toEqual([KEY3_UUIDS.main, Uint8Array.of(0x02, 0x01), false]);
    for (const call of rest) {
      expect(call[2]).toBe(KEY3_UUIDS.main);
      expect(call[3]).toHaveLength(20);
      expect(call[4]).toBe(true);
    }
    // The first packet after the wake-up resets channel 1 (00 13 01).
    expect(Buffer.from(rest[0]![3]).toString('hex')).toBe(`001301${'00'.repeat(17)}`);

    // The same order in the trace: link steps, RESET, then the channel-1 messages.
    const steps = trace.records.flatMap((r) =>
      r.kind === 'link'
        ? [r.event]
        : r.kind === 'control' && r.dir === 'host→key' && r.code === 'RESET'
          ? ['RESET']
          : r.kind === 'message'
            ? [`${r.dir === 'host→key' ? '>' : '<'} ${r.code}${r.encrypted ? ' sealed' : ''}`]
            : [],
    );
    expect(steps).toEqual([
      'open',
      'connect',
      'info',
      'subscribed',
      'wakeUp',
      'RESET',
      '> a000', // VERIFY, in plain
      '< a001', // VERIFYREPLY
      '> a012 sealed', // GETROOTKEY: the first encrypted message
      '< a013 sealed', // ROOTKEY (the certificate)
      'channelVerified', // certificate and signature checked: only now is the channel used
      '> a004 sealed', // GETINFO
      '< a005 sealed',
    ]);
    await connection.close();
  });

  it('knows the key by its Bluetooth address until GETINFO names it', async () => {
    rig = await key3Rig();
    const key = onlyKey();
    const mac = macOf(key.key3.address);
    const trace = new TraceRecorder();
    const manager = rig.manager(rig.discovery({ key3: { trace } }));
    let whileAsking: { serialNo: string; state: string }[] | undefined;
    trace.onRecord = (record) => {
      // While GETINFO is on its way, the key is only known by its address.
      if (whileAsking === undefined && isMessage('host→key', 'a004')(record)) {
        whileAsking = manager.keys().map((k) => ({ serialNo: k.serialNo, state: k.state }));
      }
    };
    await connected(manager, key.serialNo);
    await gone(manager, mac);
    expect(whileAsking).toEqual([{ serialNo: mac, state: 'connecting' }]);
    const record = manager.key(key.serialNo);
    expect(record?.serialNo).not.toBe(mac);
    expect(record?.info?.serialNo).toBe(key.serialNo);
    expect(record?.info?.mac).toBe(mac);
    expect(record?.links).toEqual([
      expect.objectContaining({
        id: rig.idOf(key),
        link: 'ble',
        name: key.key3.advertisement.localName,
      }),
    ]);
    expect(manager.keys().map((k) => k.serialNo)).toEqual([key.serialNo]);
  });
});

describe('bootloader mode', () => {
  const operations: KeyOperation[] = [
    { op: KeyOp.UnlockWithCode, code: new TextEncoder().encode('123456') },
    { op: KeyOp.EnterPin, pin: new TextEncoder().encode('1234') },
    { op: KeyOp.SetPin, newPin: new TextEncoder().encode('1234') },
    { op: KeyOp.WaitButton, timeoutMs: 1_000 },
    { op: KeyOp.LoadLicense, data: Uint8Array.of(1, 2, 3) },
    { op: KeyOp.ServerChannel, channel: 4, request: { kind: 'reset' } },
  ];

  it('opens known by its MAC with bootloaderMode; only the wake-up is sent; every operation but readInfo is refused; no reconnect loop', async () => {
    rig = await key3Rig({ key: { key3: { bootloader: true } }, beacon: true });
    const key = onlyKey();
    const id = rig.idOf(key);
    const write = vi.spyOn(rig.adapter, 'write');
    const trace = new TraceRecorder();
    const manager = rig.manager(rig.discovery({ key3: { trace } }));
    const mac = macOf(key.key3.address);
    expect(mac).toMatch(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
    await connected(manager, mac);
    expect(manager.key(mac)?.info).toMatchObject({ serialNo: mac, mac, bootloaderMode: true });
    expect(manager.key(key.serialNo)).toBeUndefined();

    const info = await manager.request(mac, { op: KeyOp.ReadInfo }, OPTS);
    expect(info).toMatchObject({ status: DeviceErrorCode.OK, info: { bootloaderMode: true } });
    for (const operation of operations) {
      await expect(manager.request(mac, operation, OPTS)).resolves.toEqual({
        op: operation.op,
        status: DeviceErrorCode.ERR_BOOTLOADER_MODE,
      });
    }

    // Nothing but `02 01` ever went to the key: no RESET, no VERIFY, no GETINFO.
    expect(write.mock.calls.map((c) => Buffer.from(c[3]).toString('hex'))).toEqual(['0201']);
    expect(trace.records.filter((r) => r.kind === 'message' || r.kind === 'control')).toEqual([]);
    expect(trace.records).toContainEqual({ kind: 'link', event: 'bootloader' });

    // It stays open: many advertising rounds later it was connected once and still is.
    await rig.advertisements(10);
    expect(rig.adapter.connectAttempts(id)).toBe(1);
    expect(manager.key(mac)?.state).toBe('connected');
  });
});

describe('pairing', () => {
  it('a key that wants pairing fails to open with DEVICE_PAIRING_REQUIRED (press its button); in pairing mode it opens', async () => {
    rig = await key3Rig({ key: { key3: { pairingRequired: true } } });
    const key = onlyKey();
    const id = rig.idOf(key);
    const trace = new TraceRecorder();
    const discovery = rig.discovery({ key3: { trace } });
    const log = rig.watch(discovery);
    const failure = await rig.open(discovery, log, key).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeviceError);
    expect(failure).toMatchObject({
      code: DeviceErrorKind.PairingRequired,
      details: { step: 'info' },
    });
    expect((failure as DeviceError).message).toMatch(/press its button/);
    // Not silent in the field trace either: where it failed, on every attempt.
    expect(
      trace.records.filter(
        (r) => r.kind === 'link' && r.event === 'connectFailed' && r.details?.['step'] === 'info',
      ),
    ).toHaveLength(2);
    expect(key.key3.paired).toBe(false);
    expect(rig.adapter.isConnected(id)).toBe(false);

    // The user presses the key's button: it is pairable; the next open (same key, still seen) works.
    key.key3.enterPairingMode();
    const connection = await rig.reopen(discovery, log, key);
    expect(connection.info.serialNo).toBe(key.serialNo);
    expect(key.key3.paired).toBe(true);
    await connection.close();
  });

  it('under the device manager: shown by its address with the pairing error, tried no more; after pairing mode a retry connects it', async () => {
    rig = await key3Rig({ key: { key3: { pairingRequired: true } }, beacon: true });
    const key = onlyKey();
    const id = rig.idOf(key);
    const mac = macOf(key.key3.address);
    // One open per arrival, so the manager has given up once the error shows.
    const manager = rig.manager(rig.discovery(), { openAttempts: 1 });
    await keyWhere(manager, mac, (k) => k.openError?.code === DeviceErrorKind.PairingRequired);
    expect(manager.key(mac)?.openError?.message).toMatch(/press its button/);
    expect(manager.key(key.serialNo)).toBeUndefined();
    // Not at every advertisement: once the manager gave up, the key is left alone.
    const attempts = rig.adapter.connectAttempts(id);
    await rig.advertisements(10);
    expect(rig.adapter.connectAttempts(id)).toBe(attempts);

    key.key3.enterPairingMode();
    expect(manager.reopen(mac)).toBe(true);
    await connected(manager, key.serialNo);
    await gone(manager, mac);
    await expect(
      manager.request(key.serialNo, { op: KeyOp.ReadInfo }, OPTS),
    ).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });
});

describe('authenticity', () => {
  it('the packaged app (the real vendor key) refuses a test-certified key: DEVICE_NOT_GENUINE, no GETINFO', async () => {
    rig = await key3Rig();
    const key = onlyKey();
    const trace = new TraceRecorder();
    // As the packaged app builds it: no vendor key given, so only the real one is trusted.
    const discovery = createBleKeyDiscovery({
      noble: rig.noble,
      key3: { connectTimeoutsMs: [2_000, 1_000], trace },
    });
    const failure = await rig.open(discovery, rig.watch(discovery), key).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeviceError);
    expect(failure).toMatchObject({
      code: DeviceErrorKind.NotGenuine,
      details: { check: 'PROTOCOL_BAD_CERTIFICATE' },
    });
    expect(trace.messages()).toEqual(['> a000', '< a001', '> a012', '< a013']);
    // Refused at once: no second handshake, and the link is closed.
    expect(
      trace.records.filter((r) => r.kind === 'link' && r.event === 'handshakeFailed'),
    ).toHaveLength(1);
    expect(rig.adapter.isConnected(rig.idOf(key))).toBe(false);
  });

  it('a key whose certificate another (random) key signed is refused too', async () => {
    rig = await key3Rig({ provision: { vendorPrivateKey: randomPrivateKey() } });
    const key = onlyKey();
    const trace = new TraceRecorder();
    const discovery = rig.discovery({ key3: { trace } });
    const failure = await rig.open(discovery, rig.watch(discovery), key).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: DeviceErrorKind.NotGenuine });
    expect(trace.records.some(isMessage('host→key', 'a004'))).toBe(false);
    expect(rig.adapter.isConnected(rig.idOf(key))).toBe(false);
  });

  it('under the device manager a key that is not genuine is shown by its address as such, refused once, never asked anything', async () => {
    rig = await key3Rig({ provision: { vendorPrivateKey: randomPrivateKey() }, beacon: true });
    const key = onlyKey();
    const id = rig.idOf(key);
    const mac = macOf(key.key3.address);
    const trace = new TraceRecorder();
    const manager = rig.manager(rig.discovery({ key3: { trace } }));
    await keyWhere(manager, mac, (k) => k.openError?.code === DeviceErrorKind.NotGenuine);
    await rig.advertisements(10);
    expect(rig.adapter.connectAttempts(id)).toBe(1);
    expect(manager.key(key.serialNo)).toBeUndefined();
    expect(manager.keys().map((k) => k.state)).not.toContain('connected');
    expect(trace.records.some(isMessage('host→key', 'a004'))).toBe(false);
  });
});
