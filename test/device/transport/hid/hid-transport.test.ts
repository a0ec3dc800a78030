// The USB HID transport against the virtual key: the real transport code, the
// real CTAPHID key, through the emulator's node-hid look-alike. The whole
// protocol runs over it: channel allocation, requests, sealed server commands,
// keepalives while the user is asked for the button, the largest message, cancel.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CTAPHID_BROADCAST_CID,
  CtapHidCommand,
  MAX_MESSAGE_SIZE,
} from '../../../../device/protocol/ctaphid';
import {
  decodeEvent,
  decodeResponse,
  encodeRequest,
} from '../../../../device/protocol/message-codec';
import { Command, KeyEvent, type Event } from '../../../../device/protocol/messages';
import { DeviceErrorKind, isDeviceError } from '../../../../device/errors/device-error';
import type { KeepaliveStatus } from '../../../../device/transport/transport';
import { FULL_SPEED_HID_LINK } from '../../../../emulator/link/hid-link';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import { ascii, attemptsOf, infoOf, statusOf } from '../../../emulator/key/key-hosts';
import { EXCHANGE_MS, keyOverHid, type KeyOverHid } from './hid-fixtures';

const request = async (k: KeyOverHid, command: Parameters<typeof encodeRequest>[0]) =>
  k.host.request(command);

/** Resolves once the key has sent `count` init reports of `cmd` on a channel (ours by default). */
const reportsSeen = (k: KeyOverHid, cmd: number, count: number, cid = k.transport.channel) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    const onData = (report: Buffer): void => {
      if (report.readUInt32BE(0) !== cid || report[4] !== (cmd | 0x80)) return;
      if (++seen < count) return;
      k.key.hid.off('data', onData);
      resolve();
    };
    k.key.hid.on('data', onData);
  });

const nextEvent = (k: KeyOverHid, match: (e: Event) => boolean): Promise<Event> =>
  new Promise((resolve) => {
    const off = k.transport.onEvent((bytes) => {
      const event = decodeEvent(bytes);
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });

describe('HID transport over the virtual key', () => {
  let k: KeyOverHid;

  beforeEach(async () => {
    k = await keyOverHid();
  });
  afterEach(() => k.cleanup());

  it('opening allocates a channel of its own with INIT; a second application gets another', async () => {
    expect(k.transport.isOpen).toBe(true);
    expect(k.transport.channel).not.toBe(CTAPHID_BROADCAST_CID);
    expect(k.key.hid.allocatedChannels).toContain(k.transport.channel);
    const other = await k.openAnother();
    expect(other.transport.channel).not.toBe(k.transport.channel);
    // Both work, one after the other (the key serves one request at a time).
    const mine = await request(k, { command: Command.GetInfo });
    const theirs = await other.transport.exchange(encodeRequest({ command: Command.GetInfo }), {
      timeoutMs: EXCHANGE_MS,
    });
    expect('info' in mine && mine.info.serialNo).toBe(k.key.serialNo);
    const decoded = decodeResponse(Command.GetInfo, theirs);
    expect('info' in decoded && decoded.info.serialNo).toBe(k.key.serialNo);
  });

  it('GetInfo comes back through the message codec', async () => {
    const response = await request(k, { command: Command.GetInfo });
    expect(response.status).toBe(DeviceErrorCode.OK);
    expect('info' in response && response.info).toMatchObject({
      serialNo: k.key.serialNo,
      maxMessageSize: MAX_MESSAGE_SIZE,
    });
  });

  it('the full protocol: a sealed Link, the activation code, then setting and entering the PIN', async () => {
    const linked = infoOf(await k.server.link(k.host, '123456', 3));
    expect(linked.lockedByCode).toBe(true);
    const wrong = await request(k, { command: Command.UnlockWithCode, code: ascii('111111') });
    expect([statusOf(wrong), attemptsOf(wrong)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 2]);
    const unlocked = nextEvent(k, (e) => e.event === KeyEvent.AccessChanged && !e.lockedByCode);
    const right = await request(k, { command: Command.UnlockWithCode, code: ascii('123456') });
    expect(statusOf(right)).toBe(DeviceErrorCode.OK);
    await unlocked;
    infoOf(await k.server.access(k.host));
    expect(statusOf(await request(k, { command: Command.SetPin, newPin: ascii('2468') }))).toBe(
      DeviceErrorCode.OK,
    );
    const badPin = await request(k, { command: Command.EnterPin, pin: ascii('0000') });
    expect(statusOf(badPin)).toBe(DeviceErrorCode.ERR_PIN_WRONG);
    expect(statusOf(await request(k, { command: Command.EnterPin, pin: ascii('2468') }))).toBe(
      DeviceErrorCode.OK,
    );
  });

  it('keepalives hold the exchange open while the key waits for its button', async () => {
    const statuses: KeepaliveStatus[] = [];
    const answer = k.transport.exchange(
      encodeRequest({ command: Command.WaitButton, timeoutMs: 60_000 }),
      {
        // Far shorter than the wait: only the keepalives keep it alive.
        timeoutMs: 300,
        onKeepalive: (status) => statuses.push(status),
      },
    );
    // Press only after many keepalives, i.e. several of those 300 ms limits later.
    await reportsSeen(k, CtapHidCommand.Keepalive, 8);
    k.key.pressButton();
    const response = decodeResponse(Command.WaitButton, await answer);
    expect(response.status).toBe(DeviceErrorCode.OK);
    expect(statuses).toEqual(['upNeeded']);
  });

  it('PING echoes the largest CTAPHID message, 7609 bytes', async () => {
    const data = Uint8Array.from({ length: MAX_MESSAGE_SIZE }, (_, i) => (i * 7) & 0xff);
    const echo = await k.transport.ping(data, { timeoutMs: EXCHANGE_MS });
    expect(echo).toEqual(data);
  });

  it('a message past 7609 bytes is refused before anything is sent', async () => {
    await expect(
      k.transport.ping(new Uint8Array(MAX_MESSAGE_SIZE + 1), { timeoutMs: EXCHANGE_MS }),
    ).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.Protocol));
    expect((await k.transport.ping(Uint8Array.of(1), { timeoutMs: EXCHANGE_MS }))[0]).toBe(1);
  });

  it('aborting a button wait sends CANCEL: the exchange is Cancelled and the link stays usable', async () => {
    const controller = new AbortController();
    const waiting = k.transport.exchange(
      encodeRequest({ command: Command.WaitButton, timeoutMs: 60_000 }),
      {
        timeoutMs: EXCHANGE_MS,
        signal: controller.signal,
        onKeepalive: () => controller.abort(),
      },
    );
    await expect(waiting).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.Cancelled));
    expect(k.key.firmware.waitingForButton).toBe(false);
    const info = await request(k, { command: Command.GetInfo });
    expect(info.status).toBe(DeviceErrorCode.OK);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      k.transport.exchange(encodeRequest({ command: Command.GetInfo }), {
        timeoutMs: EXCHANGE_MS,
        signal: controller.signal,
      }),
    ).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.Cancelled));
  });

  it('a second concurrent exchange is refused with Busy; the first completes', async () => {
    const first = k.transport.exchange(
      encodeRequest({ command: Command.WaitButton, timeoutMs: 60_000 }),
      { timeoutMs: EXCHANGE_MS, onKeepalive: () => k.key.pressButton() },
    );
    await expect(
      k.transport.exchange(encodeRequest({ command: Command.GetInfo }), { timeoutMs: EXCHANGE_MS }),
    ).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.Busy));
    expect(decodeResponse(Command.WaitButton, await first).status).toBe(DeviceErrorCode.OK);
  });

  it("another application's request in flight makes the key answer CHANNEL_BUSY: Busy", async () => {
    const other = await k.openAnother();
    const theirs = other.transport.exchange(
      encodeRequest({ command: Command.WaitButton, timeoutMs: 60_000 }),
      { timeoutMs: EXCHANGE_MS },
    );
    await reportsSeen(k, CtapHidCommand.Keepalive, 1, other.transport.channel);
    await expect(request(k, { command: Command.GetInfo })).rejects.toSatisfy(
      (e) => isDeviceError(e, DeviceErrorKind.Busy) && e.details?.['name'] === 'ChannelBusy',
    );
    k.key.pressButton();
    expect(decodeResponse(Command.WaitButton, await theirs).status).toBe(DeviceErrorCode.OK);
    expect((await request(k, { command: Command.GetInfo })).status).toBe(DeviceErrorCode.OK);
  });

  it('unsolicited key events reach onEvent', async () => {
    const battery = nextEvent(k, (e) => e.event === KeyEvent.Battery);
    await k.key.setBattery(37);
    expect(await battery).toEqual({ event: KeyEvent.Battery, battery: 37 });
    const press = nextEvent(k, (e) => e.event === KeyEvent.ButtonPressed);
    k.key.pressButton(2);
    expect(await press).toEqual({ event: KeyEvent.ButtonPressed, presses: 2 });
  });

  it('close() is clean and idempotent; later exchanges fail with Disconnected', async () => {
    const reasons: string[] = [];
    k.transport.onDisconnect((reason) => reasons.push(reason.code));
    await k.transport.close();
    await k.transport.close();
    expect(k.transport.isOpen).toBe(false);
    expect(reasons).toEqual([DeviceErrorKind.Disconnected]);
    await expect(request(k, { command: Command.GetInfo })).rejects.toSatisfy((e) =>
      isDeviceError(e, DeviceErrorKind.Disconnected),
    );
  });
});

describe('HID transport over a full-speed link model (1 ms per report)', () => {
  it('carries the 7609-byte PING and the sealed protocol the same way', async () => {
    const k = await keyOverHid(FULL_SPEED_HID_LINK);
    try {
      const data = Uint8Array.from({ length: MAX_MESSAGE_SIZE }, (_, i) => i & 0xff);
      expect(await k.transport.ping(data, { timeoutMs: EXCHANGE_MS })).toEqual(data);
      expect(infoOf(await k.server.getState(k.host)).serialNo).toBe(k.key.serialNo);
    } finally {
      await k.cleanup();
    }
  });
});
