// The field trace of a whole Hideez Key 3 session — open, activation by the server and
// the user's code (a wrong one first), the access profile, the first PIN, a wrong PIN, a
// PIN change, a licence — holds no secret: not the codes or PINs typed (as text or
// bytes), not the master key, not the licence, and not one 16-byte body of any data
// packet that crossed the air either way (so no ciphertext, nothing derived from a
// session key); data packets are recorded by header only, messages by code and length.
import { afterEach, expect, it, vi } from 'vitest';
import { KeyOp, type KeyOperation } from '../../../device/key/key-operations';
import type { Key3TraceRecord } from '../../../device/key3/trace/key3-trace';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { connected } from '../manager/manager-harness';
import { key3Rig, OPTS, TraceRecorder, type Key3Rig } from './key3-rig';
import { ascii, expectOk, Key3TestServer, PIN_ON_CONNECT, relayThrough } from './test-server';

let rig: Key3Rig;
afterEach(async () => {
  await rig.cleanup();
});

const CODE = '90817263';
const WRONG_CODE = '11223344';
const PIN = 'q7Zp';
const WRONG_PIN = 'x0Rb';
const NEW_PIN = 'Wv9k';
const LICENCE = Uint8Array.from({ length: 40 }, (_, i) => 0xc0 ^ (i * 7));

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The fields each kind of record may have: nothing that could carry bytes of a message. */
const FIELDS: Record<Key3TraceRecord['kind'], readonly string[]> = {
  link: ['kind', 'event', 'details'],
  control: ['kind', 'dir', 'code', 'packet'],
  data: ['kind', 'dir', 'channel', 'index', 'last', 'flag'],
  message: ['kind', 'dir', 'channel', 'code', 'payloadBytes', 'encrypted', 'details'],
  choice: ['kind', 'unknown', 'chosen'],
  refused: ['kind', 'error', 'details'],
};

it('a whole session (open, activation, PIN, licence) leaves no secret in the trace', async () => {
  rig = await key3Rig();
  const key = rig.keys[0]!;
  const id = rig.idOf(key);
  const serial = key.serialNo;
  // Every 16-byte body on the air, both ways.
  const bodies = new Set<string>();
  const write = vi.spyOn(rig.adapter, 'write');
  rig.adapter.tamperNotifications(id, (packet) => {
    if ((packet[1] ?? 0) >= 0x20) bodies.add(hex(packet.subarray(3, 19)));
    return packet;
  });
  const trace = new TraceRecorder();
  const manager = rig.manager(rig.discovery({ key3: { trace } }));
  await connected(manager, serial);
  const server = new Key3TestServer(relayThrough(manager, serial));
  const run = (operation: KeyOperation) => manager.request(serial, operation, OPTS);

  expectOk(await server.link(CODE, 5));
  await expect(run({ op: KeyOp.UnlockWithCode, code: ascii(WRONG_CODE) })).resolves.toMatchObject({
    status: DeviceErrorCode.ERR_PIN_WRONG,
  });
  await expect(run({ op: KeyOp.UnlockWithCode, code: ascii(CODE) })).resolves.toMatchObject({
    status: DeviceErrorCode.OK,
  });
  expectOk(await server.access({ ...PIN_ON_CONNECT, pinMaxTries: 5 }));
  await expect(run({ op: KeyOp.SetPin, newPin: ascii(PIN) })).resolves.toMatchObject({
    status: DeviceErrorCode.OK,
  });
  await expect(run({ op: KeyOp.EnterPin, pin: ascii(WRONG_PIN) })).resolves.toMatchObject({
    status: DeviceErrorCode.ERR_PIN_WRONG,
  });
  await expect(run({ op: KeyOp.EnterPin, pin: ascii(PIN) })).resolves.toMatchObject({
    status: DeviceErrorCode.OK,
  });
  await expect(
    run({ op: KeyOp.SetPin, newPin: ascii(NEW_PIN), oldPin: ascii(PIN) }),
  ).resolves.toMatchObject({ status: DeviceErrorCode.OK });
  await expect(run({ op: KeyOp.LoadLicense, data: LICENCE })).resolves.toMatchObject({
    status: DeviceErrorCode.OK,
  });
  server.close();
  await manager.stop();

  for (const call of write.mock.calls) {
    const packet = call[3];
    if (packet.length === 20 && (packet[1] ?? 0) >= 0x20) bodies.add(hex(packet.subarray(3, 19)));
  }
  const json = JSON.stringify(trace.records).toLowerCase();

  // The session really happened, and the trace tells its story.
  expect(bodies.size).toBeGreaterThan(50);
  const sent = trace.messages(1).filter((m) => m.startsWith('>'));
  for (const code of ['a022', 'a00a', 'a00b', 'a01b', 'a01a']) expect(sent).toContain(`> ${code}`);

  const secrets = [CODE, WRONG_CODE, PIN, WRONG_PIN, NEW_PIN].flatMap((s) => [
    s.toLowerCase(),
    hex(ascii(s)),
    b64(ascii(s)).toLowerCase(),
  ]);
  const masterKey = server.masterKey;
  secrets.push(hex(masterKey), hex(masterKey.subarray(0, 8)), b64(masterKey).toLowerCase());
  secrets.push(hex(LICENCE), hex(LICENCE.subarray(0, 8)), b64(LICENCE).toLowerCase());
  for (const secret of secrets) expect(json).not.toContain(secret);
  for (const body of bodies) {
    if (/^0+$/.test(body)) continue; // all zeros: padding, the same as any unused field
    expect(json).not.toContain(body);
  }

  for (const record of trace.records) {
    expect(FIELDS[record.kind]).toEqual(expect.arrayContaining(Object.keys(record)));
    // A control record is a control packet (byte 1 below 0x20), never a data packet.
    if (record.kind === 'control') {
      expect(record.packet).toMatch(/^00[01][0-9a-f]/);
      expect(record.packet.length).toBeLessThanOrEqual(40);
    }
    if (record.kind === 'message') expect(typeof record.payloadBytes).toBe('number');
  }
});
