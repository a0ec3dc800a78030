// When the radio misbehaves: link loss mid-exchange (Disconnected at once,
// then the key is found again and works), a key that stops answering, connects
// that time out and are retried like the Hideez Client does (8 s then 4 s,
// shortened here), garbage and ERROR fragments from the key.
import { afterEach, describe, expect, it } from 'vitest';
import { BleCommand, BleError } from '../../../../device/protocol/ble-fragments';
import { encodeRequest } from '../../../../device/protocol/message-codec';
import { Command } from '../../../../device/protocol/messages';
import { DeviceErrorKind } from '../../../../device/errors/device-error';
import type { Transport } from '../../../../device/transport/transport';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import { statusOf } from '../../../emulator/key/key-hosts';
import { bleBench, idOf, TransportHost, type BleBench } from './ble-bench';

let bench: BleBench;
afterEach(async () => {
  await bench.cleanup();
});

const onlyKey = (): BleBench['keys'][number] => {
  const key = bench.keys[0];
  if (!key) throw new Error('no key');
  return key;
};

/** Starts WaitButton and resolves once the key says it waits for the button. */
async function waitingForButton(transport: Transport): Promise<{ answer: Promise<Uint8Array> }> {
  let upNeeded = (): void => undefined;
  const seen = new Promise<void>((resolve) => (upNeeded = resolve));
  const answer = transport.exchange(
    encodeRequest({ command: Command.WaitButton, timeoutMs: 60_000 }),
    { timeoutMs: 10_000, onKeepalive: () => upNeeded() },
  );
  await seen;
  return { answer };
}

const getInfo = (transport: Transport) =>
  new TransportHost(transport).request({ command: Command.GetInfo });

describe('link loss and reconnect', () => {
  it('link loss fails the exchange in flight with Disconnected; the key is found again and works', async () => {
    bench = await bleBench();
    const key = onlyKey();
    const id = idOf(bench, key);
    const transport = await bench.open(key);
    const gone = new Promise<string>((resolve) =>
      transport.onDisconnect((reason) => resolve(reason.code)),
    );
    const { answer } = await waitingForButton(transport);
    const from = bench.log.events.length;

    bench.adapter.loseLink(id);

    await expect(answer).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    expect(await gone).toBe(DeviceErrorKind.Disconnected);
    expect(transport.isOpen).toBe(false);
    await bench.log.removed(id, from);
    const again = await bench.discovery.open(await bench.log.added(id, from));
    expect(statusOf(await getInfo(again))).toBe(DeviceErrorCode.OK);
    await again.close();
  });

  it('unplugging the key mid-exchange is a disconnect; after replugging it is found and works', async () => {
    bench = await bleBench();
    const key = onlyKey();
    const id = idOf(bench, key);
    const transport = await bench.open(key);
    const { answer } = await waitingForButton(transport);
    const from = bench.log.events.length;
    key.unplug();
    await expect(answer).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await bench.log.removed(id, from);
    await key.plug();
    const again = await bench.discovery.open(await bench.log.added(id, from));
    const info = await getInfo(again);
    expect('info' in info && info.info.serialNo).toBe(key.serialNo);
    await again.close();
  });
});

describe('a key that stops answering', () => {
  it('times the exchange out, sends CANCEL, and closes the link when no answer comes', async () => {
    bench = await bleBench({ discovery: { cancelGraceMs: 100 } });
    const key = onlyKey();
    const id = idOf(bench, key);
    const transport = await bench.open(key);
    const gone = new Promise<void>((resolve) => transport.onDisconnect(() => resolve()));
    const from = bench.log.events.length;
    bench.adapter.setUnresponsive(id, true);
    await expect(
      transport.exchange(encodeRequest({ command: Command.GetInfo }), { timeoutMs: 100 }),
    ).rejects.toMatchObject({ code: DeviceErrorKind.Timeout });
    await gone;
    expect(transport.isOpen).toBe(false);
    await bench.log.removed(id, from);
    // It answers again: found, opened, working.
    bench.adapter.setUnresponsive(id, false);
    const again = await bench.discovery.open(await bench.log.added(id, from));
    expect(statusOf(await getInfo(again))).toBe(DeviceErrorCode.OK);
    await again.close();
  });
});

describe('connect timeout and retry', () => {
  it('a first connect that gets no answer is retried, and the second works', async () => {
    bench = await bleBench({ discovery: { connectTimeoutsMs: [100, 2000] } });
    const key = onlyKey();
    const id = idOf(bench, key);
    bench.adapter.ignoreNextConnects(id, 1);
    const transport = await bench.open(key);
    expect(bench.adapter.connectAttempts(id)).toBe(2);
    expect(statusOf(await getInfo(transport))).toBe(DeviceErrorCode.OK);
  });

  it('when both attempts time out, open fails with OpenFailed; the key stays seen and can be opened later', async () => {
    bench = await bleBench({ discovery: { connectTimeoutsMs: [50, 50] } });
    const key = onlyKey();
    const id = idOf(bench, key);
    bench.adapter.ignoreNextConnects(id, 2);
    const descriptor = await bench.log.added(id);
    const failure = await bench.discovery.open(descriptor).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: DeviceErrorKind.OpenFailed,
      details: { attempts: 2, reason: DeviceErrorKind.Timeout },
    });
    expect(bench.adapter.connectAttempts(id)).toBe(2);
    // Not announced as a new arrival (a key that cannot be opened must not loop at every
    // advertisement): the device manager decides when to try again, with the same descriptor.
    expect(bench.log.events.some((e) => e.type === 'removed')).toBe(false);
    const again = await bench.discovery.open(descriptor);
    expect(statusOf(await getInfo(again))).toBe(DeviceErrorCode.OK);
    await again.close();
  });

  it('opening a key that was never seen, or twice, is refused', async () => {
    bench = await bleBench();
    const key = onlyKey();
    const descriptor = await bench.log.added(idOf(bench, key));
    await expect(
      bench.discovery.open({ id: 'c0ffee000000', link: 'ble', name: 'nobody' }),
    ).rejects.toMatchObject({ code: DeviceErrorKind.OpenFailed });
    await bench.open(key);
    await expect(bench.discovery.open(descriptor)).rejects.toMatchObject({
      code: DeviceErrorKind.OpenFailed,
    });
  });
});

describe('bad fragments from the key', () => {
  it('a continuation with no first fragment fails the exchange in flight with Protocol', async () => {
    bench = await bleBench();
    const key = onlyKey();
    const transport = await bench.open(key);
    const { answer } = await waitingForButton(transport);
    bench.adapter.injectNotification(idOf(bench, key), Uint8Array.of(0x05, 1, 2, 3));
    await expect(answer).rejects.toMatchObject({
      code: DeviceErrorKind.Protocol,
      details: { protocolError: 'PROTOCOL_BAD_SEQUENCE' },
    });
  });

  it('an ERROR fragment fails the exchange with LinkError and its code', async () => {
    bench = await bleBench();
    const key = onlyKey();
    const transport = await bench.open(key);
    const { answer } = await waitingForButton(transport);
    bench.adapter.injectNotification(
      idOf(bench, key),
      Uint8Array.of(BleCommand.Error, 0, 1, BleError.InvalidSeq),
    );
    await expect(answer).rejects.toMatchObject({
      code: DeviceErrorKind.LinkError,
      details: { bleError: BleError.InvalidSeq },
    });
  });

  it('garbage while idle is dropped and logged by code; the next exchange works', async () => {
    const logged: string[] = [];
    let bothLogged = (): void => undefined;
    const handled = new Promise<void>((resolve) => (bothLogged = resolve));
    const log = (code: string): void => {
      if (logged.push(code) === 2) bothLogged();
    };
    bench = await bleBench({ discovery: { log } });
    const key = onlyKey();
    const id = idOf(bench, key);
    const transport = await bench.open(key);
    bench.adapter.injectNotification(id, Uint8Array.of(0x07, 0xff));
    bench.adapter.injectNotification(id, Uint8Array.of(BleCommand.Msg, 0, 1, 0));
    await handled;
    expect(logged).toEqual(['BLE_STRAY_FRAGMENT', 'BLE_UNSOLICITED_FRAME']);
    expect(statusOf(await getInfo(transport))).toBe(DeviceErrorCode.OK);
  });
});
