// KeyClient over the real HID transport and a virtual key: typed requests and
// events, and what happens when the key's bytes are wrong.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../../../device/errors/device-error';
import { KeyClient } from '../../../device/open-protocol/key-client';
import { CtapHidCommand, encodeReports } from '../../../device/protocol/ctaphid';
import { Command, type Event, KeyEvent } from '../../../device/protocol/messages';
import { ProtocolErrorCode, type ProtocolError } from '../../../device/protocol/protocol-error';
import type { Transport } from '../../../device/transport/transport';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { type TappedCable, TappedUsbBus, initCommand, virtualKeys } from '../manager/virtual-usb';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const OPTS = { timeoutMs: 2_000 };

/** Resolves with the next event the client decodes. */
const nextEvent = (client: KeyClient, match: (e: Event) => boolean): Promise<Event> =>
  new Promise((resolve) => {
    const stop = client.onEvent((event) => {
      if (!match(event)) return;
      stop();
      resolve(event);
    });
  });

/** Replaces the key's next HideezMessage answer (a one-report answer) with `body`. */
function garbleNextAnswer(cable: TappedCable, body: readonly number[]): void {
  cable.taps = {
    read: (report) => {
      if (initCommand(report) !== CtapHidCommand.HideezMessage) return report;
      cable.taps = {};
      const out = report.slice();
      out[5] = 0;
      out[6] = body.length;
      out.set(body, 7);
      return out;
    },
  };
}

describe('KeyClient: typed messages over one transport', () => {
  let key: VirtualKey;
  let cable: TappedCable;
  let transport: Transport;
  let client: KeyClient;
  let cleanup: () => Promise<void>;
  let malformed: ProtocolError[];

  beforeEach(async () => {
    const folder = await virtualKeys(1);
    cleanup = folder.cleanup;
    key = folder.keys[0]!;
    const bus = new TappedUsbBus(folder.keys);
    transport = await bus.open(bus.descriptor(key));
    cable = bus.cable(key);
    malformed = [];
    client = new KeyClient(transport, { onMalformedEvent: (e) => malformed.push(e) });
  });

  afterEach(async () => {
    await transport.close();
    await cleanup();
  });

  it('reads the key info', async () => {
    const info = await client.getInfo(OPTS);
    expect(info.serialNo).toBe(key.serialNo);
    expect(info).toEqual(key.info());
  });

  it('returns the key refusal as a typed response, with the attempts left when there are any', async () => {
    const response = await client.request({ command: Command.EnterPin, pin: ascii('1234') }, OPTS);
    expect(response.command).toBe(Command.EnterPin);
    expect(response.status).not.toBe(DeviceErrorCode.OK);
  });

  it('a malformed answer is DeviceError Protocol, and the PIN it answered is nowhere in the error', async () => {
    garbleNextAnswer(cable, [0x00, 0xff, 0xff, 0xff]);
    const error = await client
      .request({ command: Command.EnterPin, pin: ascii('271828') }, OPTS)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: DeviceErrorKind.Protocol });
    const text = JSON.stringify(error) + String(error);
    expect(text).not.toContain('271828');
    expect(text).not.toContain(JSON.stringify([...ascii('271828')]).slice(1, -1));
    // The link is still usable afterwards.
    await expect(client.getInfo(OPTS)).resolves.toMatchObject({ serialNo: key.serialNo });
  });

  it('an unknown status byte from the key is DeviceError Protocol with the codec code', async () => {
    garbleNextAnswer(cable, [0xee]);
    await expect(client.getInfo(OPTS)).rejects.toMatchObject({
      code: DeviceErrorKind.Protocol,
      details: { protocolCode: ProtocolErrorCode.BadField },
    });
  });

  it('a request the codec refuses fails before anything is sent, without the secret', async () => {
    const pin = ascii('9'.repeat(65));
    let written = 0;
    cable.taps = { write: () => void (written += 1) };
    const error = await client
      .request({ command: Command.EnterPin, pin }, OPTS)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ProtocolErrorCode.BadField });
    expect(JSON.stringify(error) + String(error)).not.toContain('9999');
    expect(written).toBe(0);
  });

  it('decodes events from the key', async () => {
    const battery = nextEvent(client, (e) => e.event === KeyEvent.Battery);
    await client.getInfo(OPTS);
    await key.setBattery(42);
    await expect(battery).resolves.toEqual({ event: KeyEvent.Battery, battery: 42 });
  });

  it('drops an undecodable event and keeps delivering the next ones', async () => {
    const events: Event[] = [];
    const pressed = new Promise<void>((resolve) =>
      client.onEvent((e) => {
        events.push(e);
        if (e.event === KeyEvent.ButtonPressed) resolve();
      }),
    );
    const channel = (transport as Transport & { channel: number }).channel;
    for (const report of encodeReports({
      cid: channel,
      cmd: CtapHidCommand.HideezEvent,
      payload: Uint8Array.of(0x7e, 0xa0),
    })) {
      cable.inject(report);
    }
    key.pressButton();
    await pressed;
    expect(events).toEqual([{ event: KeyEvent.ButtonPressed, presses: 1 }]);
    expect(malformed.map((e) => e.code)).toEqual([ProtocolErrorCode.UnknownCommand]);
  });
});
