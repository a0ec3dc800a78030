// The Hideez Key 3 driver behind the key-family seam, through the REAL device manager
// over the REAL BLE discovery and noble on the virtual adapter, with the test acting as
// the server on channel 4 (test-server.ts) to link the key and set its access profile:
// activation codes (right, wrong, the last), PINs (wrong, first, change, wrong old),
// the button (press, long press, timeout, abort, a press just before the wait, the
// first press after a reconnect), licences (probe for a free slot, a named slot, a
// locked key), the key's STATUS as state and button events, and the server channel
// relayed untouched (and refused where it would touch the companion's own channel).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceErrorKind } from '../../../device/errors/device-error';
import type { KeyConnection, KeyDiscovery } from '../../../device/key/key-connection';
import type { KeyEvent } from '../../../device/key/key-events';
import { KeyOp, type KeyAnswer, type KeyOperation } from '../../../device/key/key-operations';
import { Key3Command } from '../../../device/key3/protocol/command-codes';
import { decodeReply } from '../../../device/key3/protocol/message';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { connected, keyWhere, waitButton } from '../manager/manager-harness';
import { idle, isMessage, key3Rig, OPTS, TraceRecorder, type Key3Rig } from './key3-rig';
import {
  ascii,
  BUTTON_ON_CONNECT,
  expectOk,
  HES_CHANNEL,
  Key3TestServer,
  PIN_ON_CONNECT,
  relayOver,
  relayThrough,
} from './test-server';

const CODE = '246810';

let rig: Key3Rig;
let key: VirtualKey;
let serial: string;
let trace: TraceRecorder;
let discovery: KeyDiscovery;
let manager: DeviceManager;
let server: Key3TestServer;

const request = (operation: KeyOperation, timeoutMs = OPTS.timeoutMs): Promise<KeyAnswer> =>
  manager.request(serial, operation, { timeoutMs });
const unlock = (code: string): Promise<KeyAnswer> =>
  request({ op: KeyOp.UnlockWithCode, code: ascii(code) });
const enterPin = (pin: string): Promise<KeyAnswer> =>
  request({ op: KeyOp.EnterPin, pin: ascii(pin) });
const setPin = (newPin: string, oldPin?: string): Promise<KeyAnswer> =>
  request({
    op: KeyOp.SetPin,
    newPin: ascii(newPin),
    ...(oldPin !== undefined ? { oldPin: ascii(oldPin) } : {}),
  });

/** Events the manager passes on for the key, waitable. */
function events(): { list: KeyEvent[]; next: (kind: KeyEvent['kind']) => Promise<KeyEvent> } {
  const list: KeyEvent[] = [];
  const waiters: { kind: KeyEvent['kind']; resolve: (e: KeyEvent) => void }[] = [];
  manager.on('event', (serialNo, event) => {
    if (serialNo !== serial) return;
    list.push(event);
    for (const w of waiters.filter((w) => w.kind === event.kind)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(event);
    }
  });
  return {
    list,
    next: (kind) => new Promise((resolve) => waiters.push({ kind, resolve })),
  };
}

/** Linked by the server and unlocked with the right code. */
async function activate(): Promise<void> {
  expectOk(await server.link(CODE));
  await expect(unlock(CODE)).resolves.toEqual({ op: KeyOp.UnlockWithCode, status: 0 });
}

/** Active, and the key asks for its button once per connection. */
async function buttonRequired(): Promise<void> {
  await activate();
  expectOk(await server.access(BUTTON_ON_CONNECT));
  await keyWhere(manager, serial, (k) => k.info?.access.buttonRequired === true);
  await idle(manager, serial, trace);
}

beforeEach(async () => {
  rig = await key3Rig();
  key = rig.keys[0]!;
  serial = key.serialNo;
  trace = new TraceRecorder();
  discovery = rig.discovery({ key3: { trace } });
  manager = rig.manager(discovery);
  await connected(manager, serial);
  server = new Key3TestServer(relayThrough(manager, serial));
});

afterEach(async () => {
  server.close();
  await rig.cleanup();
});

describe('activation code', () => {
  it('a wrong code answers the attempts left (read back from the key); the right one unlocks', async () => {
    expectOk(await server.link(CODE, 3));
    await keyWhere(manager, serial, (k) => k.info?.lockedByCode === true);
    await expect(unlock('111111')).resolves.toEqual({
      op: KeyOp.UnlockWithCode,
      status: DeviceErrorCode.ERR_PIN_WRONG,
      attemptsRemain: 2,
    });
    await expect(unlock('222222')).resolves.toMatchObject({ attemptsRemain: 1 });
    expect(key.info().unlockAttemptsRemain).toBe(1);
    await expect(unlock(CODE)).resolves.toEqual({
      op: KeyOp.UnlockWithCode,
      status: DeviceErrorCode.OK,
    });
    await keyWhere(manager, serial, (k) => k.info?.lockedByCode === false);
    expect(key.info().lockedByCode).toBe(false);
  });

  it('the last wrong code locks the key: ERR_DEVICE_LOCKED_BY_CODE, and the right code no longer helps', async () => {
    expectOk(await server.link(CODE, 3));
    await unlock('111111');
    await expect(unlock('222222')).resolves.toMatchObject({ attemptsRemain: 1 });
    await expect(unlock('333333')).resolves.toEqual({
      op: KeyOp.UnlockWithCode,
      status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
      attemptsRemain: 0,
    });
    await expect(unlock(CODE)).resolves.toMatchObject({
      status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
    });
    expect(key.info()).toMatchObject({ lockedByCode: true, canUnlock: false });
  });

  it('a code the key could never take is refused before it is queued', async () => {
    expectOk(await server.link(CODE));
    const sent = trace.messages().length;
    await expect(unlock('12ab56')).rejects.toMatchObject({ code: 'PROTOCOL_BAD_FIELD' });
    expect(trace.messages()).toHaveLength(sent);
  });
});

describe('PIN', () => {
  beforeEach(async () => {
    await activate();
    expectOk(await server.access({ ...PIN_ON_CONNECT, pinMaxTries: 5, pinMinLength: 4 }));
  });

  it('sets the first PIN; a second "first" PIN is refused; a too short one too', async () => {
    await expect(setPin('12')).resolves.toMatchObject({
      status: DeviceErrorCode.ERR_PIN_TOO_SHORT,
    });
    await expect(setPin('4321')).resolves.toEqual({ op: KeyOp.SetPin, status: DeviceErrorCode.OK });
    await expect(setPin('5678')).resolves.toMatchObject({
      status: DeviceErrorCode.ERR_ALREADY_INITIALIZED,
    });
    await expect(enterPin('4321')).resolves.toEqual({ op: KeyOp.EnterPin, status: 0 });
  });

  it('a wrong PIN answers the attempts left; the right one is accepted', async () => {
    await setPin('4321');
    await expect(enterPin('0000')).resolves.toEqual({
      op: KeyOp.EnterPin,
      status: DeviceErrorCode.ERR_PIN_WRONG,
      attemptsRemain: 4,
    });
    await expect(enterPin('9999')).resolves.toMatchObject({ attemptsRemain: 3 });
    await expect(enterPin('4321')).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(key.info().pinAttemptsRemain).toBe(5);
  });

  it('the last wrong PIN locks the key by PIN', async () => {
    await setPin('4321');
    for (const remain of [4, 3, 2, 1]) {
      await expect(enterPin('0000')).resolves.toMatchObject({ attemptsRemain: remain });
    }
    await expect(enterPin('0000')).resolves.toEqual({
      op: KeyOp.EnterPin,
      status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN,
      attemptsRemain: 0,
    });
    await keyWhere(manager, serial, (k) => k.info?.lockedByPin === true);
  });

  it('changes the PIN with the old one; a wrong old PIN costs an attempt and changes nothing', async () => {
    await setPin('4321');
    await expect(setPin('8765', '0000')).resolves.toEqual({
      op: KeyOp.SetPin,
      status: DeviceErrorCode.ERR_PIN_WRONG,
      attemptsRemain: 4,
    });
    await expect(enterPin('8765')).resolves.toMatchObject({
      status: DeviceErrorCode.ERR_PIN_WRONG,
    });
    await expect(setPin('8765', '4321')).resolves.toEqual({ op: KeyOp.SetPin, status: 0 });
    await expect(enterPin('4321')).resolves.toMatchObject({
      status: DeviceErrorCode.ERR_PIN_WRONG,
    });
    await expect(enterPin('8765')).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });
});

describe('button', () => {
  beforeEach(buttonRequired);

  it('a press answers OK and is a button event', async () => {
    const seen = events();
    const job = waitButton(manager, serial);
    await job.waiting;
    const pressed = seen.next('button');
    key.pressButton();
    await expect(job.answer).resolves.toEqual({ op: KeyOp.WaitButton, status: 0 });
    await expect(pressed).resolves.toEqual({ kind: 'button', presses: 1 });
    await keyWhere(manager, serial, (k) => k.info?.access.buttonRequired === false);
  });

  it('a long press answers ERR_OPERATION_CANCELED and is a longPress event', async () => {
    const seen = events();
    const job = waitButton(manager, serial);
    await job.waiting;
    const long = seen.next('longPress');
    key.longPress();
    await expect(job.answer).resolves.toEqual({
      op: KeyOp.WaitButton,
      status: DeviceErrorCode.ERR_OPERATION_CANCELED,
    });
    await expect(long).resolves.toEqual({ kind: 'longPress' });
    expect(key.info().access.buttonRequired).toBe(true);
  });

  it('no press within the wait answers ERR_TIMEOUT; the key works on', async () => {
    await expect(request({ op: KeyOp.WaitButton, timeoutMs: 30 })).resolves.toEqual({
      op: KeyOp.WaitButton,
      status: DeviceErrorCode.ERR_TIMEOUT,
    });
    await expect(request({ op: KeyOp.ReadInfo })).resolves.toMatchObject({ status: 0 });
  });

  it('an aborted wait rejects with Cancelled; the next wait still sees a press', async () => {
    const controller = new AbortController();
    const job = waitButton(manager, serial, { signal: controller.signal });
    await job.waiting;
    controller.abort();
    await expect(job.answer).rejects.toMatchObject({ code: DeviceErrorKind.Cancelled });
    const again = waitButton(manager, serial);
    await again.waiting;
    key.pressButton();
    await expect(again.answer).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  });

  it('a press that landed just before the wait started is not lost', async () => {
    key.pressButton();
    await keyWhere(manager, serial, (k) => k.info?.access.buttonRequired === false);
    // The key has nothing more to confirm: the wait answers at once, not at its timeout.
    await expect(request({ op: KeyOp.WaitButton, timeoutMs: 2_000 })).resolves.toEqual({
      op: KeyOp.WaitButton,
      status: DeviceErrorCode.OK,
    });
  });

  it('the first press after a reconnect, before any other request, answers the wait', async () => {
    const from = trace.length;
    rig.adapter.loseLink(rig.idOf(key));
    await trace.next((r) => r.kind === 'link' && r.event === 'channelVerified', from);
    await connected(manager, serial);
    // The new connection has been asked nothing yet: it has seen no STATUS of its own.
    expect(trace.records.slice(from).filter(isMessage('host→key', 'a004'))).toHaveLength(1);
    const job = waitButton(manager, serial, { timeoutMs: 2_000 });
    await job.waiting;
    key.pressButton();
    await expect(job.answer).resolves.toEqual({ op: KeyOp.WaitButton, status: 0 });
  });
});

describe('licences', () => {
  const licence = (n: number): Uint8Array => Uint8Array.from({ length: 48 }, (_, i) => n + i);
  const held = (slot: number): string | null | undefined => key.state.licenses[slot];
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

  it('without a slot, on an unlocked key, the probe finds the first free slot', async () => {
    await activate();
    await idle(manager, serial, trace);
    const from = trace.length;
    await expect(request({ op: KeyOp.LoadLicense, data: licence(1) })).resolves.toEqual({
      op: KeyOp.LoadLicense,
      status: 0,
    });
    expect(held(0)).toBe(b64(licence(1)));
    await expect(request({ op: KeyOp.LoadLicense, data: licence(2) })).resolves.toMatchObject({
      status: 0,
    });
    expect(held(1)).toBe(b64(licence(2)));
    // QUERYLICENSE slot 0 (free) → LOADLICENSE; then slot 0 (held), slot 1 (free) → LOADLICENSE.
    const sent = trace.records
      .slice(from)
      .flatMap((r) => (r.kind === 'message' && r.dir === 'host→key' ? [r.code] : []));
    expect(sent.filter((c) => c !== 'a004')).toEqual(['a01b', 'a01a', 'a01b', 'a01b', 'a01a']);
    expect(trace.records).toContainEqual(expect.objectContaining({ kind: 'choice' }));
  });

  it('with a slot, that slot, without probing', async () => {
    await activate();
    await idle(manager, serial, trace);
    const from = trace.length;
    await expect(
      request({ op: KeyOp.LoadLicense, data: licence(7), slot: 5 }),
    ).resolves.toMatchObject({ status: 0 });
    expect(held(5)).toBe(b64(licence(7)));
    expect(trace.records.slice(from).some(isMessage('host→key', 'a01b'))).toBe(false);
  });

  it('without a slot, a key locked by code refuses: ERR_DEVICE_LOCKED_BY_CODE, nothing loaded', async () => {
    expectOk(await server.link(CODE));
    const from = trace.length;
    await expect(request({ op: KeyOp.LoadLicense, data: licence(1) })).resolves.toEqual({
      op: KeyOp.LoadLicense,
      status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
    });
    expect(key.state.licenses.every((l) => l === null)).toBe(true);
    expect(trace.records.slice(from).some(isMessage('host→key', 'a01a'))).toBe(false);
  });
});

describe('the key tells its state (STATUS)', () => {
  it('a battery change updates the key record', async () => {
    await key.setBattery(42);
    await keyWhere(manager, serial, (k) => k.info?.battery === 42);
    await key.setBattery(7);
    await keyWhere(manager, serial, (k) => k.info?.battery === 7);
  });

  it('a press is a button event, with its count', async () => {
    const seen = events();
    const first = seen.next('button');
    key.pressButton();
    await expect(first).resolves.toEqual({ kind: 'button', presses: 1 });
    const second = seen.next('button');
    key.pressButton(2);
    await expect(second).resolves.toEqual({ kind: 'button', presses: 2 });
  });

  it('a lock the server sets shows in the record (STATUS, then the info read again)', async () => {
    expectOk(await server.link(CODE));
    await keyWhere(
      manager,
      serial,
      (k) => k.info?.lockedByCode === true && k.info.access.locked && k.info.canUnlock,
    );
  });
});

describe('the server channel', () => {
  it('is relayed untouched: the key gets the bytes the server sealed, the server its reply', async () => {
    const write = vi.spyOn(rig.adapter, 'write');
    const sent: Uint8Array[] = [];
    const relay = relayThrough(manager, serial);
    const tapped = new Key3TestServer(async (channel, step) => {
      if (step.kind === 'message') sent.push(step.data);
      return relay(channel, step);
    });
    await tapped.open();
    // The certificate handed to the server is the key's own.
    const rootKey = await tapped.step({ kind: 'rootKey' });
    const certificate = decodeReply(rootKey, Key3Command.ROOTKEY);
    expect(certificate.ok && Buffer.from(certificate.payload).toString('base64')).toBe(
      key.state.provisioning.key3?.certificate,
    );
    write.mockClear();
    expectOk(await tapped.link(CODE));
    // What went out on channel 4 is exactly the sealed LINK, packet bodies in order.
    const bodies = write.mock.calls
      .map((c) => c[3])
      .filter((p) => p.length === 20 && (p[1] ?? 0) >> 5 === HES_CHANNEL)
      .map((p) => p.subarray(3, 19));
    expect(Buffer.concat(bodies)).toEqual(Buffer.from(sent[0]!));
    expect(key.info().lockedByCode).toBe(true);
    tapped.close();
  });

  it('never touches the companion channel: channel 1, bad channels, a RESET of channel 1, other control packets are refused', async () => {
    await idle(manager, serial, trace);
    const handshakes = trace.messages().filter((m) => m === '> a000').length;
    const refused = async (channel: number, step: Parameters<Key3TestServer['step']>[0]) => {
      await expect(
        manager.request(serial, { op: KeyOp.ServerChannel, channel, request: step }, OPTS),
      ).resolves.toEqual({
        op: KeyOp.ServerChannel,
        status: DeviceErrorCode.ERR_INVALID_PARAMETER,
      });
    };
    for (const channel of [1, 0, 7, 2.5]) {
      await refused(channel, { kind: 'reset' });
      await refused(channel, { kind: 'rootKey' });
      await refused(channel, { kind: 'message', data: new Uint8Array(32) });
    }
    const control = (...bytes: number[]) => ({
      kind: 'control' as const,
      data: Uint8Array.from(bytes),
    });
    await refused(HES_CHANNEL, control(0x00, 0x13, 0x01)); // RESET channel 1
    await refused(HES_CHANNEL, control(0x00, 0x13, 0x09)); // RESET channels 1 and 4
    await refused(HES_CHANNEL, control(0x00, 0x13, 0x00)); // RESET of nothing
    await refused(HES_CHANNEL, control(0x00, 0x13, 0x48)); // RESET past channel 6
    await refused(HES_CHANNEL, control(0x00, 0x16, 0x64)); // a STATUS
    await refused(HES_CHANNEL, control(0x00, 0x10, 0x38, 0x02)); // a COMMIT
    await refused(HES_CHANNEL, control(0x01, 0x12)); // not a control packet
    await refused(HES_CHANNEL, control(0x00)); // too short
    await refused(HES_CHANNEL, { kind: 'message', data: new Uint8Array(15) });
    await refused(HES_CHANNEL, {
      kind: 'verify',
      publicKey: new Uint8Array(64),
      nonce: new Uint8Array(8),
    });
    // What leaves channel 1 alone is passed on.
    await expect(
      manager.request(
        serial,
        { op: KeyOp.ServerChannel, channel: HES_CHANNEL, request: control(0x00, 0x13, 0x08) },
        OPTS,
      ),
    ).resolves.toMatchObject({ status: DeviceErrorCode.OK, reply: new Uint8Array(0) });
    expectOk(await server.link(CODE));
    // Our own session was never reset: no new handshake on channel 1.
    await expect(unlock(CODE)).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(trace.messages().filter((m) => m === '> a000')).toHaveLength(handshakes);
  });
});

describe('a connection used without the manager (nothing reads the info in between)', () => {
  let connection: KeyConnection;
  let direct: Key3TestServer;
  const perform = (operation: KeyOperation): Promise<KeyAnswer> =>
    connection.perform(operation, OPTS);

  beforeEach(async () => {
    await manager.stop();
    connection = await rig.open(discovery, rig.watch(discovery), key);
    direct = new Key3TestServer(relayOver(connection));
  });

  afterEach(async () => {
    direct.close();
    await connection.close();
  });

  it('the server channel and the operations work on it', async () => {
    expectOk(await direct.link(CODE));
    await expect(perform({ op: KeyOp.UnlockWithCode, code: ascii(CODE) })).resolves.toEqual({
      op: KeyOp.UnlockWithCode,
      status: 0,
    });
  });

  it('a licence load without a slot right after the server locked the key is refused', async () => {
    expectOk(await direct.link(CODE));
    await expect(perform({ op: KeyOp.LoadLicense, data: Uint8Array.of(1, 2, 3) })).resolves.toEqual(
      { op: KeyOp.LoadLicense, status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE },
    );
    expect(key.state.licenses.every((l) => l === null)).toBe(true);
  });

  it('a licence load without a slot right after the key was unlocked takes the first free slot', async () => {
    expectOk(await direct.link(CODE));
    await expect(perform({ op: KeyOp.ReadInfo })).resolves.toMatchObject({
      info: { lockedByCode: true },
    });
    await expect(perform({ op: KeyOp.UnlockWithCode, code: ascii(CODE) })).resolves.toMatchObject({
      status: 0,
    });
    await expect(perform({ op: KeyOp.LoadLicense, data: Uint8Array.of(1, 2, 3) })).resolves.toEqual(
      { op: KeyOp.LoadLicense, status: DeviceErrorCode.OK },
    );
    expect(key.state.licenses[0]).toBe(Buffer.from([1, 2, 3]).toString('base64'));
  });
});
