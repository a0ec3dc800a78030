// The manager spends a GetInfo only where it can tell something new: a read asked with
// reuseCurrentInfo is answered from the last one while nothing was sent to the key since
// and no event left its state unknown; a read the key's events ask for waits while the
// server talks to the key. Counted on the USB cable itself (the key's requests).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { SERVER_SESSION_QUIET_MS } from '../../../device/manager/managed-key';
import { KeyOp } from '../../../device/key/key-operations';
import { Command, type Event, KeyEvent } from '../../../device/protocol/messages';
import { decodeEvent, encodeEvent } from '../../../device/protocol/event-codec';
import type { ProvisioningRecord } from '../../../emulator/key/provision';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { TestServer } from '../../emulator/key/key-hosts';
import { OPTS, connected, keyWhere, remoteHost, startManager } from './manager-harness';
import { TappedUsbBus, initCommand, virtualKeys } from './virtual-usb';

/** CTAPHID's HIDEEZ_MESSAGE and HIDEEZ_EVENT commands (docs/protocol.md §3). */
const HIDEEZ_MESSAGE = 0x40;
const HIDEEZ_EVENT = 0x41;

describe('GetInfo only when it can tell something new', () => {
  let keys: VirtualKey[];
  let records: ProvisioningRecord[];
  let bus: TappedUsbBus;
  let manager: DeviceManager;
  let cleanup: () => Promise<void>;
  let key: VirtualKey;
  /** The key's requests on the cable, by command byte. */
  let sent: number[];

  const reads = (): number => sent.filter((c) => c === Command.GetInfo).length;
  const readInfo = (reuseCurrentInfo: boolean) =>
    manager.request(key.serialNo, { op: KeyOp.ReadInfo }, { ...OPTS, reuseCurrentInfo });

  /** The channel the host's transport speaks on (the key sends its events there too). */
  let cid: Uint8Array;

  beforeEach(async () => {
    ({ keys, records, cleanup } = await virtualKeys(1));
    key = keys[0]!;
    bus = new TappedUsbBus(keys);
    manager = startManager([bus.discovery]);
    await connected(manager, key.serialNo);
    await bus.hotPlugReady();
    sent = [];
    cid = new Uint8Array(4);
    bus.cable(key).taps.write = (report) => {
      if (initCommand(report) !== HIDEEZ_MESSAGE) return;
      cid = report.slice(0, 4);
      sent.push(report[7] ?? -1);
    };
    // One plain read, so the test knows the channel; it is not counted.
    await readInfo(false);
    sent = [];
  });

  afterEach(async () => {
    await manager.stop();
    await cleanup();
  });

  /** The key's event as one HIDEEZ_EVENT report on the host's channel. */
  const eventReport = (event: Event, channel = cid): Uint8Array => {
    const message = encodeEvent(event);
    const report = new Uint8Array(64);
    report.set([...channel, 0x80 | HIDEEZ_EVENT, message.length >> 8, message.length & 0xff]);
    report.set(message, 7);
    return report;
  };

  it('a reusing read after a read is answered from it; a plain one asks the key', async () => {
    const answer = await readInfo(true);
    expect(answer).toMatchObject({ status: DeviceErrorCode.OK, info: key.info() });
    expect(reads()).toBe(0);
    await readInfo(false);
    expect(reads()).toBe(1);
    await readInfo(true);
    expect(reads()).toBe(1);
  });

  it('a reusing read asked behind a queued command waits for it, then reads the key', async () => {
    const order: string[] = [];
    await Promise.all([
      readInfo(false).then(() => order.push('plain read')),
      manager
        .request(key.serialNo, { op: KeyOp.WaitButton, timeoutMs: 50 }, OPTS)
        .then(() => order.push('command')),
      readInfo(true).then(() => order.push('reusing read')),
    ]);
    expect(order).toEqual(['plain read', 'command', 'reusing read']);
    expect(reads()).toBe(2);
  });

  it('after a command the key is read again', async () => {
    await manager.request(key.serialNo, { op: KeyOp.WaitButton, timeoutMs: 50 }, OPTS);
    await readInfo(true);
    expect(reads()).toBe(1);
  });

  it("after a code or PIN, the key's event with the whole lock state spares the re-read", async () => {
    const server = new TestServer(records[0]!);
    await server.link(remoteHost(manager, key.serialNo), '123456');
    await readInfo(false); // after the server's Link: a real read
    const before = reads();
    const wrong = await manager.request(
      key.serialNo,
      { op: KeyOp.UnlockWithCode, code: new TextEncoder().encode('000000') },
      OPTS,
    );
    expect(wrong.status).toBe(DeviceErrorCode.ERR_PIN_WRONG);
    const answer = await readInfo(true);
    expect(reads()).toBe(before);
    expect(answer).toMatchObject({ info: key.info() });
    // A read that was not current before the command is not made current by its event.
    await server.link(remoteHost(manager, key.serialNo), '654321').catch(() => undefined);
    await manager.request(
      key.serialNo,
      { op: KeyOp.UnlockWithCode, code: new TextEncoder().encode('000000') },
      OPTS,
    );
    await readInfo(true);
    expect(reads()).toBe(before + 1);
  });

  it('an event with the whole lock state costs no read; one with the flags alone does', async () => {
    const cable = bus.cable(key);
    const base = key.info();
    cable.inject(
      eventReport({
        event: KeyEvent.AccessChanged,
        accessBits: 0x18,
        lockedByCode: false,
        lockedByPin: false,
        lockDetail: {
          canUnlock: false,
          unlockAttemptsRemain: base.unlockAttemptsRemain,
          pinAttemptsRemain: 4,
          codeLockReason: base.codeLockReason,
        },
      }),
    );
    await keyWhere(manager, key.serialNo, (k) => k.info?.pinAttemptsRemain === 4);
    await readInfo(true);
    expect(reads()).toBe(0);
    // The first form of the event: the attempts are unknown, so the manager reads them.
    cable.inject(
      eventReport({
        event: KeyEvent.AccessChanged,
        accessBits: 0x18,
        lockedByCode: false,
        lockedByPin: true,
      }),
    );
    await keyWhere(manager, key.serialNo, () => reads() === 1);
    // ... and that read serves the next reusing one.
    await readInfo(true);
    expect(reads()).toBe(1);
  });

  it('a read an event asks for waits until the server has been quiet, then one read serves all', async () => {
    const server = new TestServer(records[0]!);
    const host = remoteHost(manager, key.serialNo);
    // A key that sends only the flags: every lock change asks for a read.
    bus.cable(key).taps.read = (report) => {
      if (initCommand(report) !== HIDEEZ_EVENT) return report;
      const length = (report[5]! << 8) | report[6]!;
      const event = decodeEvent(report.subarray(7, 7 + length));
      if (event.event !== KeyEvent.AccessChanged) return report;
      const { lockDetail: _dropped, ...flagsOnly } = event;
      return eventReport(flagsOnly, report.subarray(0, 4));
    };
    const started = performance.now();
    await server.link(host, '123456');
    // The Link's event came during the server's session: no read yet, the relay went alone.
    expect(reads()).toBe(0);
    await keyWhere(manager, key.serialNo, () => reads() === 1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(SERVER_SESSION_QUIET_MS - 50);
    await keyWhere(manager, key.serialNo, (k) => k.info?.lockedByCode === true);
    await readInfo(true);
    expect(reads()).toBe(1);
  });
});
