// When the Hideez Key 3's radio or the key misbehaves, through the REAL device manager,
// BLE discovery and noble over the virtual adapter: link loss during the set-up and
// during an operation (Disconnected at once, then the key reconnects), a power cut, a
// key that stops answering (Timeout, then a new session), notifications that break the
// packet protocol (out-of-order index, invalid channel, unknown control code, oversize
// message, garbage: typed errors, or recorded and dropped), a reply altered in the air
// (BadSeal) or replayed (Replay) — the session is dropped and the next request sets up a
// new one — and BUSY (re-sent after a back-off, DEVICE_BUSY past the limit).
import { afterEach, describe, expect, it } from 'vitest';
import { type DeviceError, DeviceErrorKind } from '../../../device/errors/device-error';
import type { KeyDiscovery } from '../../../device/key/key-connection';
import { KeyOp, type KeyAnswer, type KeyOperation } from '../../../device/key/key-operations';
import type { Key3Options } from '../../../device/key3/driver/open-key3';
import { encodeDataPacket } from '../../../device/key3/protocol/packets';
import type { Key3TraceRecord } from '../../../device/key3/trace/key3-trace';
import type { DeviceManager } from '../../../device/manager/device-manager';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { connected, gone, keyWhere, waitButton } from '../manager/manager-harness';
import { FAST_KEY3, idle, isMessage, key3Rig, OPTS, TraceRecorder, type Key3Rig } from './key3-rig';
import { BUTTON_ON_CONNECT, expectOk, Key3TestServer, relayThrough, ascii } from './test-server';

let rig: Key3Rig;
let key: VirtualKey;
let id: string;
let serial: string;
let trace: TraceRecorder;
let discovery: KeyDiscovery;
let manager: DeviceManager;

afterEach(async () => {
  await rig.cleanup();
});

/** One Key 3, the manager over it with these Key 3 options, connected and idle. */
async function start(key3: Partial<Key3Options> = {}): Promise<void> {
  rig = await key3Rig();
  key = rig.keys[0]!;
  id = rig.idOf(key);
  serial = key.serialNo;
  trace = new TraceRecorder();
  discovery = rig.discovery({ key3: { ...key3, trace } });
  manager = rig.manager(discovery);
  await connected(manager, serial);
  await idle(manager, serial, trace);
}

const readInfo = (timeoutMs = OPTS.timeoutMs): Promise<KeyAnswer> =>
  manager.request(serial, { op: KeyOp.ReadInfo }, { timeoutMs });
const request = (operation: KeyOperation): Promise<KeyAnswer> =>
  manager.request(serial, operation, OPTS);

const verified = (r: Key3TraceRecord): boolean =>
  r.kind === 'link' && r.event === 'channelVerified';
const handshakes = (): number => trace.records.filter(verified).length;

/** Runs `act` once, right after the first trace record `match` accepts from now on. */
function onceAt(match: (r: Key3TraceRecord) => boolean, act: () => void): void {
  let armed = true;
  trace.onRecord = (record) => {
    if (!armed || !match(record)) return;
    armed = false;
    // After the step's exchange was registered, before the key could answer it.
    queueMicrotask(act);
  };
}

const channelOf = (packet: Uint8Array): number =>
  (packet[1] ?? 0) >= 0x20 ? (packet[1] ?? 0) >> 5 : 0;
const isLast = (packet: Uint8Array): boolean => ((packet[1] ?? 0) & 0x08) !== 0;

/**
 * Holds back the key's data packets on channel 1 (the companion's replies) in the air,
 * so a test can put its own notifications in front of them, then let them go or not.
 */
function holdReplies(): {
  held: Uint8Array[];
  replyHeld: () => Promise<void>;
  release: () => void;
} {
  const held: Uint8Array[] = [];
  let onLast: (() => void) | undefined;
  let lastHeld = false;
  rig.adapter.tamperNotifications(id, (packet) => {
    if (channelOf(packet) !== 1) return packet;
    held.push(packet);
    if (isLast(packet)) {
      lastHeld = true;
      onLast?.();
    }
    return undefined;
  });
  return {
    held,
    replyHeld: () => (lastHeld ? Promise.resolve() : new Promise((resolve) => (onLast = resolve))),
    release: () => {
      rig.adapter.tamperNotifications(id, undefined);
      for (const packet of held.splice(0)) rig.adapter.injectNotification(id, packet);
    },
  };
}

/** A data packet on `channel` (1..6) with 16 body bytes of `fill`. */
const data = (channel: number, index: number, last: boolean, fill = 0xaa): Uint8Array =>
  encodeDataPacket({ channel, flag: false, last, index, body: new Uint8Array(16).fill(fill) });
const hex = (text: string): Uint8Array =>
  Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));

describe('link loss', () => {
  it.each([
    ['VERIFY', 'a000'],
    ['GETROOTKEY', 'a012'],
    ['GETINFO', 'a004'],
  ])(
    'during the set-up (%s): the open fails with Disconnected at once; the key is found again and opens',
    async (_step, code) => {
      rig = await key3Rig();
      key = rig.keys[0]!;
      id = rig.idOf(key);
      trace = new TraceRecorder();
      discovery = rig.discovery({ key3: { trace } });
      const log = rig.watch(discovery);
      onceAt(isMessage('host→key', code), () => rig.adapter.loseLink(id));
      await expect(rig.open(discovery, log, key)).rejects.toMatchObject({
        code: DeviceErrorKind.Disconnected,
      });
      expect(rig.adapter.isConnected(id)).toBe(false);
      // Still seen (no new arrival): opened again as it is.
      expect(log.events.some((e) => e.type === 'removed')).toBe(false);
      const connection = await rig.reopen(discovery, log, key);
      expect(connection.info.serialNo).toBe(key.serialNo);
      await connection.close();
    },
  );

  it('during the GATT set-up (after the info read): the second connect attempt opens the key', async () => {
    rig = await key3Rig();
    key = rig.keys[0]!;
    id = rig.idOf(key);
    trace = new TraceRecorder();
    discovery = rig.discovery({ key3: { trace } });
    onceAt(
      (r) => r.kind === 'link' && r.event === 'info',
      () => rig.adapter.loseLink(id),
    );
    const connection = await rig.open(discovery, rig.watch(discovery), key);
    expect(connection.info.serialNo).toBe(key.serialNo);
    expect(rig.adapter.connectAttempts(id)).toBe(2);
    expect(trace.records).toContainEqual(
      expect.objectContaining({ kind: 'link', event: 'connectFailed' }),
    );
    await connection.close();
  });

  it('during the set-up under the device manager: the key connects on its own', async () => {
    rig = await key3Rig();
    key = rig.keys[0]!;
    id = rig.idOf(key);
    trace = new TraceRecorder();
    onceAt(isMessage('host→key', 'a012'), () => rig.adapter.loseLink(id));
    manager = rig.manager(rig.discovery({ key3: { trace } }));
    await connected(manager, key.serialNo);
    expect(rig.adapter.connectAttempts(id)).toBeGreaterThanOrEqual(2);
    await expect(
      manager.request(key.serialNo, { op: KeyOp.ReadInfo }, OPTS),
    ).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('during an operation: it fails with Disconnected at once; the key reconnects and works', async () => {
    await start();
    const before = handshakes();
    const from = trace.length;
    onceAt(isMessage('host→key', 'a004'), () => rig.adapter.loseLink(id));
    await expect(readInfo()).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await trace.next(verified, from);
    await connected(manager, serial);
    expect(handshakes()).toBe(before + 1);
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('while the key waits for its button: the wait fails with Disconnected; a wait after reconnecting sees the press', async () => {
    await start();
    const server = new Key3TestServer(relayThrough(manager, serial));
    expectOk(await server.link('135790'));
    await expect(
      request({ op: KeyOp.UnlockWithCode, code: ascii('135790') }),
    ).resolves.toMatchObject({ status: 0 });
    expectOk(await server.access(BUTTON_ON_CONNECT));
    server.close();
    await keyWhere(manager, serial, (k) => k.info?.access.buttonRequired === true);
    const job = waitButton(manager, serial);
    await job.waiting;
    const from = trace.length;
    rig.adapter.loseLink(id);
    await expect(job.answer).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await trace.next(verified, from);
    await connected(manager, serial);
    const again = waitButton(manager, serial);
    await again.waiting;
    key.pressButton();
    await expect(again.answer).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('a power cut during an operation: Disconnected, the key is gone; powered again it is found and works', async () => {
    await start();
    onceAt(isMessage('host→key', 'a004'), () => key.unplug());
    await expect(readInfo()).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    await gone(manager, serial);
    await key.plug();
    await connected(manager, serial);
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });
});

describe('a key that stops answering', () => {
  it('times the operation out; once it answers again the next operation sets up a new session and works', async () => {
    await start();
    const before = handshakes();
    rig.adapter.setUnresponsive(id, true);
    await expect(readInfo(150)).rejects.toMatchObject({ code: DeviceErrorKind.Timeout });
    expect(trace.records).toContainEqual(
      expect.objectContaining({ kind: 'link', event: 'sessionDropped' }),
    );
    rig.adapter.setUnresponsive(id, false);
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(handshakes()).toBe(before + 1);
    expect(manager.key(serial)?.state).toBe('connected');
  });
});

describe('writes that never leave the adapter', () => {
  it('the operation still ends at its time limit; when the link then drops, the key reconnects and works', async () => {
    await start();
    rig.adapter.stallWrites(id, true);
    await expect(readInfo(150)).rejects.toMatchObject({ code: DeviceErrorKind.Timeout });
    rig.adapter.stallWrites(id, false);
    const from = trace.length;
    rig.adapter.loseLink(id);
    await trace.next(verified, from);
    await connected(manager, serial);
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });
});

describe('notifications that break the packet protocol', () => {
  const refused = (error: string) => (r: Key3TraceRecord) =>
    r.kind === 'refused' && r.error === error;

  it.each([
    ['an out-of-order index', () => data(1, 3, false), 'PROTOCOL_BAD_SEQUENCE'],
    ['an invalid channel (7)', () => hex('00e000' + 'ab'.repeat(17)), 'PROTOCOL_BAD_CHANNEL'],
    ['an unknown control code', () => hex('001e' + '00'.repeat(18)), 'PROTOCOL_UNKNOWN_COMMAND'],
    ['a truncated STATUS', () => hex('001664'), 'PROTOCOL_TRUNCATED'],
    ['a packet longer than 20 bytes', () => new Uint8Array(25).fill(0x41), 'PROTOCOL_OVERLONG'],
    ['a whole message nobody asked for', () => data(3, 0, true), 'KEY3_UNSOLICITED_MESSAGE'],
  ])(
    'while idle, %s is recorded as a typed refusal and dropped; the session goes on',
    async (_what, packet, error) => {
      await start();
      const before = handshakes();
      const from = trace.length;
      rig.adapter.injectNotification(id, packet());
      await trace.next(refused(error), from);
      await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
      expect(handshakes()).toBe(before);
    },
  );

  it.each([
    ['an out-of-order index', () => [data(1, 1, false)], 'PROTOCOL_BAD_SEQUENCE'],
    ['an unknown control code', () => [hex('001e' + '00'.repeat(18))], 'PROTOCOL_UNKNOWN_COMMAND'],
    [
      'a message past the largest reply accepted',
      () => Array.from({ length: 17 }, (_, i) => data(1, i, false)),
      'PROTOCOL_OVERLONG',
    ],
  ])(
    'during an exchange, %s fails it with a typed DEVICE_PROTOCOL_ERROR; the next request sets up a new session',
    async (_what, packets, error) => {
      await start({ link: { ...FAST_KEY3.link, maxMessageBytes: 256 } });
      const before = handshakes();
      const hold = holdReplies();
      const answer = readInfo();
      await hold.replyHeld();
      for (const packet of packets()) rig.adapter.injectNotification(id, packet);
      await expect(answer).rejects.toMatchObject({
        code: DeviceErrorKind.Protocol,
        details: { protocolError: error },
      });
      rig.adapter.tamperNotifications(id, undefined);
      await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
      expect(handshakes()).toBe(before + 1);
    },
  );

  it('during an exchange, packets on an invalid or another channel are dropped; the reply still arrives', async () => {
    await start();
    const before = handshakes();
    const hold = holdReplies();
    const answer = readInfo();
    await hold.replyHeld();
    const from = trace.length;
    rig.adapter.injectNotification(id, hex('00e000' + 'ab'.repeat(17)));
    rig.adapter.injectNotification(id, data(5, 0, true));
    rig.adapter.injectNotification(id, Uint8Array.of(0x00));
    await trace.next(refused('KEY3_UNSOLICITED_MESSAGE'), from);
    expect(trace.records.slice(from)).toContainEqual(
      expect.objectContaining({ kind: 'refused', error: 'PROTOCOL_BAD_CHANNEL' }),
    );
    hold.release();
    await expect(answer).resolves.toMatchObject({
      status: DeviceErrorCode.OK,
      info: { serialNo: serial },
    });
    expect(handshakes()).toBe(before);
  });

  it('random garbage in the air never breaks the companion', async () => {
    await start();
    const before = handshakes();
    const from = trace.length;
    for (const packet of [
      new Uint8Array(0),
      Uint8Array.of(0xff),
      new Uint8Array(20).fill(0xff),
      new Uint8Array(20),
      hex('0010e0ff'),
      hex('0013ff'),
      hex('0018'),
    ]) {
      rig.adapter.injectNotification(id, packet);
    }
    // Five are refused (0 and 1 byte are dropped as the vendor host does), none breaks anything.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (trace.records.slice(from).filter((r) => r.kind === 'refused').length >= 5) resolve();
      };
      trace.onRecord = check;
      check();
    });
    expect(
      trace.records.slice(from).flatMap((r) => (r.kind === 'refused' ? [r.error] : [])),
    ).toEqual([
      'PROTOCOL_BAD_CHANNEL',
      'PROTOCOL_UNKNOWN_COMMAND',
      'PROTOCOL_BAD_CHANNEL',
      'PROTOCOL_BAD_CHANNEL',
      'PROTOCOL_TRUNCATED',
    ]);
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(manager.key(serial)?.state).toBe('connected');
    expect(handshakes()).toBe(before);
  });
});

describe('replies the secure channel refuses', () => {
  it('a reply altered in the air: DEVICE_PROTOCOL_ERROR (BadSeal), the session is dropped, the next request re-handshakes', async () => {
    await start();
    const before = handshakes();
    let altered = false;
    rig.adapter.tamperNotifications(id, (packet) => {
      if (altered || channelOf(packet) !== 1) return packet;
      altered = true;
      const copy = Uint8Array.from(packet);
      copy[10] = (copy[10] ?? 0) ^ 0x01;
      return copy;
    });
    const from = trace.length;
    await expect(readInfo()).rejects.toMatchObject({
      code: DeviceErrorKind.Protocol,
      details: { protocolError: 'PROTOCOL_BAD_SEAL' },
    });
    expect(trace.records.slice(from)).toContainEqual({
      kind: 'link',
      event: 'sessionDropped',
      details: { channel: 1, reason: 'PROTOCOL_BAD_SEAL' },
    });
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(handshakes()).toBe(before + 1);
  });

  it('an earlier reply played again: DEVICE_PROTOCOL_ERROR (Replay), the session is dropped, the next request re-handshakes', async () => {
    await start();
    const before = handshakes();
    // A GETINFO reply as it went through the air.
    const earlier: Uint8Array[] = [];
    rig.adapter.tamperNotifications(id, (packet) => {
      if (channelOf(packet) === 1) earlier.push(packet);
      return packet;
    });
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(earlier.length).toBeGreaterThan(0);
    // The next GETINFO's own reply is held back; the earlier one is played instead.
    const hold = holdReplies();
    const answer = readInfo();
    await hold.replyHeld();
    for (const packet of earlier) rig.adapter.injectNotification(id, packet);
    await expect(answer).rejects.toMatchObject({
      code: DeviceErrorKind.Protocol,
      details: { protocolError: 'PROTOCOL_REPLAY' },
    });
    rig.adapter.tamperNotifications(id, undefined);
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(handshakes()).toBe(before + 1);
  });
});

describe('BUSY', () => {
  it('the request is sent again after each back-off until the key takes it', async () => {
    const waits: number[] = [];
    await start({
      link: {
        busyLimitMs: 2_000,
        busyWaitMs: (attempt) => {
          waits.push(attempt);
          return 5 * attempt;
        },
      },
    });
    const before = handshakes();
    key.key3.busyNext(2);
    const from = trace.length;
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(waits).toEqual([1, 2]);
    const after = trace.records.slice(from);
    expect(after.filter((r) => r.kind === 'control' && r.code === 'BUSY')).toHaveLength(2);
    // GETINFO went out three times: the same request, each time from its first packet.
    const firstPackets = after.filter(
      (r) => r.kind === 'data' && r.dir === 'host→key' && r.channel === 1 && r.index === 0,
    );
    expect(firstPackets).toHaveLength(3);
    expect(after.filter(isMessage('host→key', 'a004'))).toHaveLength(1);
    expect(handshakes()).toBe(before);
  });

  it('past the busy limit the operation fails with DEVICE_BUSY; the next one works', async () => {
    await start({ link: { busyLimitMs: 60, busyWaitMs: () => 10 } });
    key.key3.busyNext(1_000);
    const failure = await readInfo().catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: DeviceErrorKind.Busy });
    // Sent again after BUSY (more than once) before the limit ended it.
    expect((failure as DeviceError).details?.['attempts']).toBeGreaterThan(1);
    key.key3.busyNext(0);
    await expect(readInfo()).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });
});
