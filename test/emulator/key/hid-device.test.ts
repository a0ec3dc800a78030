// The key's USB side speaks CTAPHID as FIDO keys do: channel allocation with a
// nonce, PING, busy and cancel, keepalives while the user is asked to press the
// button, ERROR frames for anything malformed, and events on every channel.
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import {
  CTAPHID_BROADCAST_CID,
  CtapHidCommand,
  CtapHidError,
  decodeInitResponse,
  KeepaliveStatus,
} from '../../../device/protocol/ctaphid';
import { decodeEvent } from '../../../device/protocol/message-codec';
import { Command, KeyEvent } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { HIDEEZ_USB_PRODUCT_ID, HIDEEZ_USB_VENDOR_ID } from '../../../emulator/key/hid-device';
import { infoOf, itWithKey, statusOf, UsbHost } from './key-hosts';

describe('VirtualHidDevice (CTAPHID)', () => {
  const report = (cid: number, bytes: number[]): Uint8Array => {
    const r = new Uint8Array(64);
    new DataView(r.buffer).setUint32(0, cid);
    r.set(bytes, 4);
    return r;
  };

  itWithKey('lists itself like a node-hid devices() row', ({ key }) => {
    expect(key.hid.deviceInfo()).toMatchObject({
      vendorId: HIDEEZ_USB_VENDOR_ID,
      productId: HIDEEZ_USB_PRODUCT_ID,
      serialNumber: key.serialNo,
      usagePage: 0xff00,
    });
  });

  itWithKey(
    'INIT on the broadcast channel allocates a new channel for each host, echoing the nonce',
    async ({ key, usb }) => {
      const other = new UsbHost(key.hid);
      const cid = await other.init();
      expect(cid).not.toBe(usb.cid);
      expect(cid).not.toBe(CTAPHID_BROADCAST_CID);
      expect(key.hid.allocatedChannels).toEqual(expect.arrayContaining([usb.cid, cid]));
    },
  );

  itWithKey('PING echoes a multi-packet payload', async ({ usb }) => {
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    await usb.writeFrame({ cid: usb.cid, cmd: CtapHidCommand.Ping, payload });
    const echo = await usb.next(CtapHidCommand.Ping);
    expect([...echo.payload]).toEqual([...payload]);
  });

  itWithKey(
    'accepts bare 64-byte reports and number arrays, and refuses other lengths',
    async ({ key, usb }) => {
      await key.hid.write(Array.from(report(usb.cid, [0x80 | CtapHidCommand.Ping, 0, 1, 42])));
      expect([...(await usb.next(CtapHidCommand.Ping)).payload]).toEqual([42]);
      await expect(key.hid.write(new Uint8Array(10))).rejects.toThrow(RangeError);
      await expect(key.hid.write(new Uint8Array(65).fill(1))).rejects.toThrow(RangeError);
      await expect(key.hid.write([300])).rejects.toThrow(RangeError);
    },
  );

  itWithKey(
    'answers ERROR for unallocated channels, broadcast misuse, bad sequences and unknown commands',
    async ({ key, usb }) => {
      const errorOn = async (cid: number, bytes: number[]): Promise<number | undefined> => {
        await usb.writeReport(report(cid, bytes));
        return (await usb.next(CtapHidCommand.Error, cid)).payload[0];
      };
      expect(await errorOn(0x12345678, [0x80 | CtapHidCommand.Ping, 0, 0])).toBe(
        CtapHidError.InvalidChannel,
      );
      expect(await errorOn(CTAPHID_BROADCAST_CID, [0x80 | CtapHidCommand.Ping, 0, 0])).toBe(
        CtapHidError.InvalidChannel,
      );
      expect(await errorOn(usb.cid, [0x05])).toBe(CtapHidError.InvalidSeq);
      expect(await errorOn(usb.cid, [0x80 | 0x55, 0, 0])).toBe(CtapHidError.InvalidCmd);
      expect(await errorOn(usb.cid, [0x80 | CtapHidCommand.Msg, 0, 1, 0])).toBe(
        CtapHidError.InvalidCmd,
      );
      expect(await errorOn(usb.cid, [0x80 | CtapHidCommand.Ping, 0xff, 0xff])).toBe(
        CtapHidError.InvalidLen,
      );
      expect(
        await errorOn(CTAPHID_BROADCAST_CID, [0x80 | CtapHidCommand.Init, 0, 3, 1, 2, 3]),
      ).toBe(CtapHidError.InvalidLen);
      // Still answering normally afterwards.
      expect((await usb.info()).serialNo).toBe(key.serialNo);
    },
  );

  itWithKey(
    'a message left half-way times out with MSG_TIMEOUT and frees the key',
    async ({ key, usb }) => {
      await usb.writeReport(report(usb.cid, [0x80 | CtapHidCommand.Ping, 0, 100]));
      expect((await usb.next(CtapHidCommand.Error)).payload[0]).toBe(CtapHidError.MsgTimeout);
      expect((await usb.info()).serialNo).toBe(key.serialNo);
    },
  );

  itWithKey(
    'another channel interleaving a multi-packet message is told CHANNEL_BUSY',
    async ({ key, usb }) => {
      const other = new UsbHost(key.hid);
      await other.init();
      await usb.writeReport(report(usb.cid, [0x80 | CtapHidCommand.Ping, 0, 100]));
      await other.writeReport(report(other.cid, [0x80 | CtapHidCommand.Ping, 0, 1, 7]));
      expect((await other.next(CtapHidCommand.Error)).payload[0]).toBe(CtapHidError.ChannelBusy);
      await usb.writeReport(report(usb.cid, [0x00]));
      expect((await usb.next(CtapHidCommand.Ping)).payload).toHaveLength(100);
    },
  );

  itWithKey(
    'refuses malformed and unknown messages with a status, not silence',
    async ({ usb }) => {
      await usb.writeFrame({
        cid: usb.cid,
        cmd: CtapHidCommand.HideezMessage,
        payload: Uint8Array.of(0x7e),
      });
      expect((await usb.next(CtapHidCommand.HideezMessage)).payload[0]).toBe(
        DeviceErrorCode.ERR_UNKNOWN_MESSAGE,
      );
      await usb.writeFrame({
        cid: usb.cid,
        cmd: CtapHidCommand.HideezMessage,
        payload: Uint8Array.of(Command.UnlockWithCode, 0xff),
      });
      expect((await usb.next(CtapHidCommand.HideezMessage)).payload[0]).toBe(
        DeviceErrorCode.ERR_INVALID_PARAMETER,
      );
      await usb.writeFrame({
        cid: usb.cid,
        cmd: CtapHidCommand.HideezMessage,
        payload: new Uint8Array(0),
      });
      expect((await usb.next(CtapHidCommand.HideezMessage)).payload[0]).toBe(
        DeviceErrorCode.ERR_UNKNOWN_MESSAGE,
      );
    },
  );

  itWithKey(
    'sends UPNEEDED keepalives while waiting for the button, then OK on a press',
    async ({ key, usb }) => {
      const waiting = usb.request({ command: Command.WaitButton, timeoutMs: 60_000 });
      const keepalive = await usb.next(CtapHidCommand.Keepalive);
      expect(keepalive.payload[0]).toBe(KeepaliveStatus.UpNeeded);
      expect(key.firmware.waitingForButton).toBe(true);
      key.pressButton();
      expect(statusOf(await waiting)).toBe(DeviceErrorCode.OK);
      const pressed = await usb.nextEvent((e) => e.event === KeyEvent.ButtonPressed);
      expect(pressed).toEqual({ event: KeyEvent.ButtonPressed, presses: 1 });
    },
  );

  itWithKey('CANCEL ends the wait with ERR_OPERATION_CANCELED', async ({ usb }) => {
    const waiting = usb.request({ command: Command.WaitButton, timeoutMs: 60_000 });
    await usb.next(CtapHidCommand.Keepalive);
    await usb.writeFrame({ cid: usb.cid, cmd: CtapHidCommand.Cancel, payload: new Uint8Array(0) });
    expect(statusOf(await waiting)).toBe(DeviceErrorCode.ERR_OPERATION_CANCELED);
  });

  itWithKey('a long press cancels the wait and is reported as LongPress', async ({ key, usb }) => {
    const waiting = usb.request({ command: Command.WaitButton, timeoutMs: 60_000 });
    await usb.next(CtapHidCommand.Keepalive);
    key.longPress();
    expect(statusOf(await waiting)).toBe(DeviceErrorCode.ERR_OPERATION_CANCELED);
    expect(await usb.nextEvent((e) => e.event === KeyEvent.LongPress)).toEqual({
      event: KeyEvent.LongPress,
    });
  });

  itWithKey('an unanswered wait ends with ERR_TIMEOUT', async ({ usb }) => {
    expect(statusOf(await usb.request({ command: Command.WaitButton, timeoutMs: 1 }))).toBe(
      DeviceErrorCode.ERR_TIMEOUT,
    );
  });

  itWithKey(
    'INIT on a busy channel resynchronises it: the old request is dropped unanswered',
    async ({ key, usb }) => {
      void usb.send({ command: Command.WaitButton, timeoutMs: 60_000 });
      await usb.next(CtapHidCommand.Keepalive);
      const nonce = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
      await usb.writeFrame({ cid: usb.cid, cmd: CtapHidCommand.Init, payload: nonce });
      const reply = decodeInitResponse((await usb.next(CtapHidCommand.Init)).payload);
      expect(reply.cid).toBe(usb.cid);
      expect(key.firmware.waitingForButton).toBe(false);
      // The channel works again, and the dropped wait never answered.
      expect((await usb.info()).serialNo).toBe(key.serialNo);
      expect(usb.frames.has((f) => f.cmd === CtapHidCommand.HideezMessage)).toBe(false);
    },
  );

  itWithKey('events reach every allocated channel', async ({ key, usb }) => {
    const other = new UsbHost(key.hid);
    await other.init();
    await key.setBattery(42);
    const seen = await Promise.all(
      [usb, other].map((h) => h.nextEvent((e) => e.event === KeyEvent.Battery)),
    );
    expect(seen).toEqual([
      { event: KeyEvent.Battery, battery: 42 },
      { event: KeyEvent.Battery, battery: 42 },
    ]);
    expect((await usb.info()).battery).toBe(42);
  });

  itWithKey(
    'carries sealed server commands and their multi-packet replies',
    async ({ usb, server }) => {
      const info = infoOf(await server.getState(usb));
      expect(info.maxMessageSize).toBe(7609);
    },
  );

  itWithKey('unplugging emits error and refuses further writes', async ({ key, usb }) => {
    const device = key.hid;
    key.unplug();
    expect(usb.errors).toHaveLength(1);
    await expect(device.write(new Uint8Array(64))).rejects.toThrow(/closed or unplugged/);
  });

  itWithKey('close() stops the device quietly', async ({ key, usb }) => {
    await key.hid.close();
    expect(usb.errors).toHaveLength(0);
    await expect(key.hid.write(new Uint8Array(64))).rejects.toThrow();
  });

  itWithKey('random reports never crash or wedge the key', async ({ key, usb }) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 64, maxLength: 64 }), { maxLength: 8 }),
        fc.boolean(),
        async (reports, ownChannel) => {
          for (const r of reports) {
            if (ownChannel) new DataView(r.buffer).setUint32(0, usb.cid);
            await key.hid.write(r);
          }
          // INIT resynchronises the channel; the key then answers normally.
          await usb.resync();
          expect((await usb.info()).serialNo).toBe(key.serialNo);
        },
      ),
      { numRuns: 40 },
    );
  });

  itWithKey('events decode as the message layer defines them', async ({ key, usb }) => {
    key.pressButton(2);
    const frame = await usb.next(CtapHidCommand.HideezEvent);
    expect(decodeEvent(frame.payload)).toEqual({ event: KeyEvent.ButtonPressed, presses: 2 });
  });
});
