// The BLE transport through the REAL noble classes (built over the virtual
// adapter's bindings) against the REAL virtual key: scanning with RSSI,
// connecting, the whole protocol at MTU 23 and 185, a near-maximum message,
// keepalives, cancel, events, busy, and a clean close.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maxBleMessageSize } from '../../../../device/protocol/ble-fragments';
import { HIDEEZ_SERVICE_UUID } from '../../../../device/protocol/gatt';
import { decodeEvent, encodeRequest } from '../../../../device/protocol/message-codec';
import { Command, KeyEvent } from '../../../../device/protocol/messages';
import { DeviceErrorKind, isDeviceError } from '../../../../device/errors/device-error';
import type { KeepaliveStatus } from '../../../../device/transport/transport';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import { ascii, attemptsOf, infoOf, statusOf } from '../../../emulator/key/key-hosts';
import { bleBench, idOf, TransportHost, type BleBench } from './ble-bench';

let bench: BleBench;
afterEach(async () => {
  await bench.cleanup();
});

const key0 = (): BleBench['keys'][number] => {
  const key = bench.keys[0];
  if (!key) throw new Error('no key');
  return key;
};

describe('scanning', () => {
  it('finds the key by our service UUID, with its name and RSSI', async () => {
    bench = await bleBench();
    const key = key0();
    const descriptor = await bench.log.added(idOf(bench, key));
    expect(descriptor).toMatchObject({ link: 'ble', rssi: -50 });
    expect(descriptor.name).toContain(key.serialNo);
    expect(key.ble.advertisement.serviceUuids).toEqual([HIDEEZ_SERVICE_UUID]);
    expect(bench.discovery.availability).toEqual({ link: 'ble', state: 'ready' });
  });

  it('tracks the RSSI as advertisements keep coming: the key is announced again', async () => {
    bench = await bleBench();
    const key = key0();
    await bench.log.added(idOf(bench, key));
    key.ble.rssi = -71;
    const update = await bench.log.next((e) => e.type === 'added' && e.descriptor.rssi === -71);
    expect(update).toMatchObject({ descriptor: { id: idOf(bench, key) } });
  });

  it('two keys in range are two links', async () => {
    bench = await bleBench({ keys: 2 });
    const [a, b] = bench.keys;
    if (!a || !b) throw new Error('two keys expected');
    const [ta, tb] = await Promise.all([bench.open(a), bench.open(b)]);
    const [ia, ib] = await Promise.all([
      new TransportHost(ta).request({ command: Command.GetInfo }),
      new TransportHost(tb).request({ command: Command.GetInfo }),
    ]);
    expect(['info' in ia && ia.info.serialNo, 'info' in ib && ib.info.serialNo]).toEqual([
      a.serialNo,
      b.serialNo,
    ]);
  });

  it('the stale sweep is timed only while a key is seen and not held', async () => {
    const staleAfterMs = 4_000;
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const clears = vi.spyOn(globalThis, 'clearInterval');
    const sweeps = (): number =>
      intervals.mock.calls.filter(([, ms]) => ms === staleAfterMs / 2).length;
    try {
      bench = await bleBench({ discovery: { staleAfterMs } });
      const key = key0();
      const id = idOf(bench, key);
      await bench.log.added(id);
      expect(sweeps()).toBe(1);
      const started = intervals.mock.results.find(
        (_, i) => intervals.mock.calls[i]?.[1] === staleAfterMs / 2,
      )?.value as unknown;
      // Held (connected, it stops advertising): the sweep stops; gone: nothing is timed.
      const transport = await bench.open(key);
      expect(clears.mock.calls.some(([timer]) => timer === started)).toBe(true);
      await transport.close();
      key.unplug();
      await bench.log.removed(id);
      const timersNow = intervals.mock.results.filter(
        (r, i) =>
          intervals.mock.calls[i]?.[1] === staleAfterMs / 2 &&
          !clears.mock.calls.some(([timer]) => timer === r.value),
      );
      expect(timersNow).toEqual([]);
    } finally {
      intervals.mockRestore();
      clears.mockRestore();
    }
  });

  it('a key not heard for a while is removed', async () => {
    bench = await bleBench({ discovery: { staleAfterMs: 100 } });
    const key = key0();
    const id = idOf(bench, key);
    await bench.log.added(id);
    key.unplug();
    await bench.log.removed(id);
  });
});

describe.each([23, 185])('at ATT MTU %i', (mtu) => {
  it('opens the key and reads its info', async () => {
    bench = await bleBench({ linkModel: { mtu } });
    const transport = await bench.open(key0());
    expect(transport.isOpen).toBe(true);
    expect(transport.descriptor.link).toBe('ble');
    const info = await new TransportHost(transport).request({ command: Command.GetInfo });
    expect('info' in info && info.info.serialNo).toBe(key0().serialNo);
  });

  it('runs the whole protocol: sealed Link, UnlockWithCode, the access profile, SetPin, EnterPin', async () => {
    bench = await bleBench({ linkModel: { mtu } });
    const key = key0();
    const server = bench.servers.get(key.serialNo);
    if (!server) throw new Error('no server');
    const host = new TransportHost(await bench.open(key));

    await server.link(host, '123456');
    const wrong = await host.request({ command: Command.UnlockWithCode, code: ascii('654321') });
    expect([statusOf(wrong), attemptsOf(wrong)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 2]);
    const right = await host.request({ command: Command.UnlockWithCode, code: ascii('123456') });
    expect(statusOf(right)).toBe(DeviceErrorCode.OK);
    expect(infoOf(await server.access(host, { pinMaxTries: 3 })).access.newPinRequired).toBe(true);
    expect(statusOf(await host.request({ command: Command.SetPin, newPin: ascii('2468') }))).toBe(
      DeviceErrorCode.OK,
    );
    const badPin = await host.request({ command: Command.EnterPin, pin: ascii('0000') });
    expect([statusOf(badPin), attemptsOf(badPin)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 2]);
    expect(statusOf(await host.request({ command: Command.EnterPin, pin: ascii('2468') }))).toBe(
      DeviceErrorCode.OK,
    );
    const info = await host.request({ command: Command.GetInfo });
    expect('info' in info && info.info.pinAttemptsRemain).toBe(3);
  });

  it('echoes a PING of the largest message this fragment size carries', async () => {
    bench = await bleBench({ linkModel: { mtu } });
    const transport = await bench.open(key0());
    const size = maxBleMessageSize(mtu - 3);
    const payload = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
    const echo = await transport.ping(payload, { timeoutMs: 15_000 });
    expect(echo.length).toBe(size);
    expect(Buffer.from(echo).equals(Buffer.from(payload))).toBe(true);
    // One byte more does not fit: refused before anything is sent, the link stays usable.
    const tooLong = await transport
      .ping(new Uint8Array(size + 1), { timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect(isDeviceError(tooLong, DeviceErrorKind.Protocol)).toBe(true);
    expect((await transport.ping(Uint8Array.of(1, 2, 3), { timeoutMs: 5000 })).length).toBe(3);
  });
});

describe('a slow radio link', () => {
  it('with latency per packet and a packet interval, fragments still arrive in order', async () => {
    bench = await bleBench({ linkModel: { mtu: 23, latencyMs: 3, packetIntervalMs: 1 } });
    const transport = await bench.open(key0());
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const echo = await transport.ping(payload, { timeoutMs: 15_000 });
    expect(Buffer.from(echo).equals(Buffer.from(payload))).toBe(true);
    bench.adapter.setLinkModel({ latencyMs: 0, packetIntervalMs: 0 });
    const info = await new TransportHost(transport).request({ command: Command.GetInfo });
    expect(statusOf(info)).toBe(DeviceErrorCode.OK);
  });
});

describe('keepalive, cancel, events, busy, close', () => {
  it('keepalives while the key waits for its button keep the exchange alive past its time limit', async () => {
    bench = await bleBench();
    const key = key0();
    const transport = await bench.open(key);
    const statuses: KeepaliveStatus[] = [];
    // Count keepalive fragments as noble hands them over (command byte 0x82).
    let keepalives = 0;
    let pressAfter = (): void => undefined;
    const pressed = new Promise<void>((resolve) => {
      pressAfter = resolve;
    });
    // The bindings' 'read' event: (id, serviceUuid, characteristicUuid, data, isNotification).
    const onRead = (...args: unknown[]): void => {
      const data = args[3];
      if (data instanceof Uint8Array && data[0] === 0x82 && ++keepalives === 6) pressAfter();
    };
    bench.adapter.on('read', onRead);
    const waiting = transport.exchange(
      // WaitButton's own limit is long; the exchange's 250 ms limit only survives by keepalives.
      encodeWaitButton(),
      { timeoutMs: 250, onKeepalive: (status) => statuses.push(status) },
    );
    await pressed;
    key.pressButton();
    const answer = await waiting;
    bench.adapter.off('read', onRead);
    expect(answer[0]).toBe(DeviceErrorCode.OK);
    expect(statuses).toEqual(['upNeeded']);
  });

  it('aborting sends CANCEL: the exchange fails with Cancelled and the link stays usable', async () => {
    bench = await bleBench();
    const key = key0();
    const transport = await bench.open(key);
    const abort = new AbortController();
    const waiting = transport.exchange(encodeWaitButton(), {
      timeoutMs: 10_000,
      signal: abort.signal,
      onKeepalive: (status) => {
        if (status === 'upNeeded') abort.abort();
      },
    });
    await expect(waiting).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
    expect(key.firmware.waitingForButton).toBe(false);
    const info = await new TransportHost(transport).request({ command: Command.GetInfo });
    expect(statusOf(info)).toBe(DeviceErrorCode.OK);
  });

  it('an exchange whose signal is already aborted sends nothing', async () => {
    bench = await bleBench();
    const transport = await bench.open(key0());
    const aborted = AbortSignal.abort();
    await expect(
      transport.exchange(encodeWaitButton(), { timeoutMs: 1000, signal: aborted }),
    ).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
    expect(key0().firmware.waitingForButton).toBe(false);
  });

  it('a second exchange while one is in flight is refused with Busy', async () => {
    bench = await bleBench();
    const key = key0();
    const transport = await bench.open(key);
    let upNeeded = (): void => undefined;
    const waitingForButton = new Promise<void>((resolve) => (upNeeded = resolve));
    const first = transport.exchange(encodeWaitButton(), {
      timeoutMs: 10_000,
      onKeepalive: () => upNeeded(),
    });
    await expect(
      transport.exchange(Uint8Array.of(Command.GetInfo), { timeoutMs: 1000 }),
    ).rejects.toMatchObject({ code: DeviceErrorKind.Busy });
    await waitingForButton;
    key.pressButton();
    expect((await first)[0]).toBe(DeviceErrorCode.OK);
  });

  it('events from the key reach onEvent', async () => {
    bench = await bleBench();
    const key = key0();
    const transport = await bench.open(key);
    const event = new Promise<Uint8Array>((resolve) => transport.onEvent(resolve));
    key.longPress();
    expect(decodeEvent(await event)).toEqual({ event: KeyEvent.LongPress });
  });

  it('close() disconnects: the key advertises again and further exchanges fail Disconnected', async () => {
    bench = await bleBench();
    const key = key0();
    const id = idOf(bench, key);
    const transport = await bench.open(key);
    expect(bench.adapter.isConnected(id)).toBe(true);
    const reasons: string[] = [];
    transport.onDisconnect((reason) => reasons.push(reason.code));
    const from = bench.log.events.length;
    await transport.close();
    await transport.close();
    expect(transport.isOpen).toBe(false);
    expect(reasons).toEqual([DeviceErrorKind.Disconnected]);
    expect(bench.adapter.isConnected(id)).toBe(false);
    await expect(
      transport.exchange(Uint8Array.of(Command.GetInfo), { timeoutMs: 1000 }),
    ).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await bench.log.removed(id, from);
    await bench.log.added(id, from);
  });
});

/** WaitButton with a long limit of its own (the key sends UPNEEDED keepalives meanwhile). */
function encodeWaitButton(): Uint8Array {
  return encodeRequest({ command: Command.WaitButton, timeoutMs: 60_000 });
}
