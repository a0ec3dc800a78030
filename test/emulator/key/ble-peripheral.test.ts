// The key's Bluetooth side at the GATT level: it advertises our service, the
// control point length follows the negotiated MTU, requests and answers travel
// as FIDO-BLE-style fragments, with keepalives, cancel, error fragments and
// events, and a lost link drops whatever was in progress.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BleCommand, BleError, BleKeepaliveStatus } from '../../../device/protocol/ble-fragments';
import { decodeControlPointLength, HIDEEZ_SERVICE_UUID } from '../../../device/protocol/gatt';
import { decodeEvent } from '../../../device/protocol/message-codec';
import { Command, KeyEvent } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { ascii, BleHost, infoOf, pluggedKey, statusOf, type TestServer } from './key-hosts';

describe('VirtualBlePeripheral', () => {
  let key: VirtualKey;
  let server: TestServer;
  let cleanup: () => Promise<void>;
  let ble: BleHost;

  beforeEach(async () => {
    ({ key, server, cleanup } = await pluggedKey());
    ble = new BleHost(key.ble);
  });
  afterEach(() => cleanup());

  it('advertises the Hideez service with its serial number, and its MAC as the address', () => {
    expect(key.ble.advertisement.serviceUuids).toEqual([HIDEEZ_SERVICE_UUID]);
    expect(key.ble.advertisement.localName).toContain(key.serialNo);
    expect(key.ble.address).toBe(key.info().mac.toLowerCase());
    expect(key.ble.advertising).toBe(true);
  });

  it('the control point length is the ATT MTU minus 3, within 20..512', async () => {
    const sizes: number[] = [];
    for (const mtu of [23, 185, 247, 600]) {
      await key.ble.connect(mtu);
      sizes.push(decodeControlPointLength(await key.ble.readControlPointLength()));
      await key.ble.disconnect();
    }
    expect(sizes).toEqual([20, 182, 244, 512]);
    await expect(key.ble.connect(22)).rejects.toMatchObject({ code: 'BLE_BAD_MTU' });
  });

  it('refuses GATT operations before connecting', async () => {
    await expect(key.ble.readControlPointLength()).rejects.toMatchObject({
      code: 'BLE_NOT_CONNECTED',
    });
    await expect(key.ble.writeControlPoint(Uint8Array.of(0x81, 0, 0))).rejects.toMatchObject({
      code: 'BLE_NOT_CONNECTED',
    });
  });

  it('answers GetInfo across many 20-byte fragments', async () => {
    await ble.connect(23);
    const info = await ble.info();
    expect(info.serialNo).toBe(key.serialNo);
  });

  it('runs the whole activation over BLE', async () => {
    await ble.connect(247);
    await server.link(ble, '123456');
    const wrong = await ble.request({ command: Command.UnlockWithCode, code: ascii('654321') });
    expect(statusOf(wrong)).toBe(DeviceErrorCode.ERR_PIN_WRONG);
    expect(
      statusOf(await ble.request({ command: Command.UnlockWithCode, code: ascii('123456') })),
    ).toBe(DeviceErrorCode.OK);
    expect(infoOf(await server.access(ble)).access.newPinRequired).toBe(true);
  });

  it('PING echoes', async () => {
    await ble.connect(23);
    const payload = Uint8Array.from({ length: 50 }, (_, i) => i);
    await ble.writeFrame({ cmd: BleCommand.Ping, payload });
    expect([...(await ble.next(BleCommand.Ping)).payload]).toEqual([...payload]);
  });

  it('keepalives say the key waits for the button; cancel ends the wait', async () => {
    await ble.connect(23);
    const waiting = ble.request({ command: Command.WaitButton, timeoutMs: 60_000 });
    expect((await ble.next(BleCommand.Keepalive)).payload[0]).toBe(BleKeepaliveStatus.UpNeeded);
    await ble.writeFrame({ cmd: BleCommand.Cancel, payload: new Uint8Array(0) });
    expect(statusOf(await waiting)).toBe(DeviceErrorCode.ERR_OPERATION_CANCELED);
  });

  it('a second request while one is in progress is answered ERR_DEVICE_BUSY', async () => {
    await ble.connect(23);
    void ble.send({ command: Command.WaitButton, timeoutMs: 60_000 });
    await ble.next(BleCommand.Keepalive);
    expect(statusOf(await ble.request({ command: Command.GetInfo }))).toBe(
      DeviceErrorCode.ERR_DEVICE_BUSY,
    );
    key.pressButton();
    expect(statusOf(await ble.answer(Command.WaitButton))).toBe(DeviceErrorCode.OK);
  });

  it('answers error fragments for bad sequences, lengths and commands', async () => {
    await ble.connect(23);
    const errorFor = async (fragment: number[]): Promise<number | undefined> => {
      await key.ble.writeControlPoint(Uint8Array.from(fragment));
      return (await ble.next(BleCommand.Error)).payload[0];
    };
    expect(await errorFor([0x03, 1, 2])).toBe(BleError.InvalidSeq);
    expect(await errorFor(new Array<number>(21).fill(0x83))).toBe(BleError.InvalidLen);
    expect(await errorFor([0x99, 0, 0])).toBe(BleError.InvalidCmd);
    expect(await errorFor([BleCommand.Keepalive, 0, 1, 1])).toBe(BleError.InvalidCmd);
    expect((await ble.info()).serialNo).toBe(key.serialNo);
  });

  it('a message left half-way times out with REQ_TIMEOUT', async () => {
    await ble.connect(23);
    await key.ble.writeControlPoint(Uint8Array.of(BleCommand.Ping, 0, 100, 1, 2, 3));
    expect((await ble.next(BleCommand.Error)).payload[0]).toBe(BleError.ReqTimeout);
    expect((await ble.info()).serialNo).toBe(key.serialNo);
  });

  it('events arrive as event fragments', async () => {
    await ble.connect(23);
    key.longPress();
    expect(decodeEvent((await ble.next(BleCommand.Event)).payload)).toEqual({
      event: KeyEvent.LongPress,
    });
  });

  it('link loss drops the request in progress and tells the host', async () => {
    await ble.connect(23);
    void ble.send({ command: Command.WaitButton, timeoutMs: 60_000 });
    await ble.next(BleCommand.Keepalive);
    const lost = new Promise<void>((resolve) => key.ble.once('disconnect', () => resolve()));
    key.ble.simulateLinkLoss();
    await lost;
    expect(key.ble.connected).toBe(false);
    expect(key.firmware.waitingForButton).toBe(false);
    await expect(key.ble.writeControlPoint(Uint8Array.of(0x81, 0, 0))).rejects.toMatchObject({
      code: 'BLE_NOT_CONNECTED',
    });
    // The key advertises again and a new connection works.
    const again = new BleHost(key.ble);
    await again.connect(23);
    expect((await again.info()).serialNo).toBe(key.serialNo);
  });

  it('unplugging the key stops advertising and refuses connections', async () => {
    const peripheral = key.ble;
    key.unplug();
    expect(peripheral.advertising).toBe(false);
    await expect(peripheral.connect(23)).rejects.toMatchObject({ code: 'BLE_UNAVAILABLE' });
  });

  it('random fragments never crash or wedge the key', async () => {
    await ble.connect(23);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 24 }), { maxLength: 6 }),
        async (fragments) => {
          for (const f of fragments) await key.ble.writeControlPoint(f);
          // Any half message is dropped when a new first fragment arrives after an error fragment.
          await key.ble.writeControlPoint(Uint8Array.of(0x00));
          const info = await (async () => {
            for (;;) {
              try {
                return await ble.info();
              } catch {
                // An error fragment from the noise; ask again.
              }
            }
          })();
          expect(info.serialNo).toBe(key.serialNo);
        },
      ),
      { numRuns: 30 },
    );
  });
});
