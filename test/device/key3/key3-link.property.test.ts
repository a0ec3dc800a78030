// Property: whatever arrives on a Hideez Key 3's main characteristic — random bytes,
// real packets (STATUS, COMMIT, data, every control code) with bytes flipped, crafted
// headers — injected at random moments of a running operation, the operation settles
// (an answer, or a DeviceError: never anything else, never a hang), and afterwards the
// link still works (the next request succeeds, setting up a new session if needed) or
// reports Disconnected. The REAL discovery, noble classes, link and driver over the
// virtual adapter and the virtual Key 3; the moments are counted in trace records.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceError, DeviceErrorKind } from '../../../device/errors/device-error';
import type { KeyConnection, KeyDiscovery } from '../../../device/key/key-connection';
import { KeyOp, type KeyOperation } from '../../../device/key/key-operations';
import { KEY3_TIMEOUTS } from '../../../device/key3/driver/secure-channel';
import { ControlCode } from '../../../device/key3/protocol/packets';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { key3Rig, TraceRecorder, type Key3Rig } from './key3-rig';
import type { WatchLog } from '../transport/ble/ble-bench';

const OP_TIMEOUT_MS = 300;
/** A hang guard, not a timing assertion: the longest a re-handshake may take, and then some. */
const HANG_GUARD_MS = OP_TIMEOUT_MS + KEY3_TIMEOUTS.verifyMs + KEY3_TIMEOUTS.rootKeyMs + 2_000;

let rig: Key3Rig;
let key: VirtualKey;
let id: string;
let trace: TraceRecorder;
let discovery: KeyDiscovery;
let log: WatchLog;
let connection: KeyConnection;
/** Notifications the key really sent while opening (the material the mutations start from). */
const seen: Uint8Array[] = [];

beforeAll(async () => {
  rig = await key3Rig();
  key = rig.keys[0]!;
  id = rig.idOf(key);
  trace = new TraceRecorder();
  discovery = rig.discovery({ key3: { trace } });
  log = rig.watch(discovery);
  rig.adapter.tamperNotifications(id, (packet) => {
    if (seen.length < 64) seen.push(Uint8Array.from(packet));
    return packet;
  });
  connection = await rig.open(discovery, log, key);
  rig.adapter.tamperNotifications(id, undefined);
});

afterAll(async () => {
  await connection.close();
  await rig.cleanup();
});

const control = (code: number, ...rest: number[]): Uint8Array => {
  const packet = new Uint8Array(20);
  packet[1] = code;
  packet.set(rest, 2);
  return packet;
};

/** One notification: random, a real one mutated, or a crafted header over random bytes. */
const notification = (): fc.Arbitrary<Uint8Array> => {
  const real = [...seen, ...Object.values(ControlCode).map((code) => control(code, 0x21, 0x01))];
  return fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 24 }),
    fc
      .record({
        base: fc.constantFrom(...real),
        flips: fc.array(
          fc.record({ at: fc.nat({ max: 19 }), xor: fc.integer({ min: 1, max: 255 }) }),
          { minLength: 1, maxLength: 3 },
        ),
        cut: fc.option(fc.nat({ max: 21 }), { nil: undefined }),
      })
      .map(({ base, flips, cut }) => {
        const packet = Uint8Array.from(base);
        for (const { at, xor } of flips) packet[at] = (packet[at] ?? 0) ^ xor;
        return cut === undefined ? packet : packet.slice(0, cut);
      }),
    fc
      .tuple(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ minLength: 17, maxLength: 17 }),
      )
      .map(([header, index, body]) => Uint8Array.of(0, header, index, ...body)),
  );
};

/** Operations that never change the key's state for good (it stays blank). */
const operation = (): fc.Arbitrary<KeyOperation> =>
  fc.constantFrom<KeyOperation>(
    { op: KeyOp.ReadInfo },
    { op: KeyOp.UnlockWithCode, code: new TextEncoder().encode('123456') },
    {
      op: KeyOp.ServerChannel,
      channel: 4,
      request: { kind: 'message', data: new Uint8Array(48).fill(0x33) },
    },
  );

/** A COMMIT nobody waits for (recorded, otherwise ignored), unlike any the key sends. */
const MARKER = control(ControlCode.COMMIT, 0x3f, 0x7f, ...new Array<number>(15).fill(0), 0xee);

const hung = Symbol('hung');

function within<T>(work: Promise<T>, ms: number): Promise<T | typeof hung> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<typeof hung>((resolve) => {
    timer = setTimeout(() => resolve(hung), ms);
  });
  return Promise.race([work, guard]).finally(() => clearTimeout(timer));
}

const SETTLE_KINDS: ReadonlySet<string> = new Set([
  DeviceErrorKind.Protocol,
  DeviceErrorKind.Timeout,
  DeviceErrorKind.Cancelled,
  DeviceErrorKind.Busy,
  DeviceErrorKind.Disconnected,
  DeviceErrorKind.LinkError,
]);

describe('the Key 3 link under injected notifications', () => {
  it('every operation settles with an answer or a DeviceError, and the link stays usable', async () => {
    await fc.assert(
      fc.asyncProperty(
        operation(),
        fc.array(fc.record({ after: fc.nat({ max: 14 }), bytes: notification() }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (op, injections) => {
          if (!connection.isOpen) connection = await rig.reopen(discovery, log, key);
          const pending = [...injections].sort((a, b) => a.after - b.after);
          let records = 0;
          trace.onRecord = () => {
            records += 1;
            while (pending[0] && pending[0].after <= records) {
              rig.adapter.injectNotification(id, pending.shift()!.bytes);
            }
          };
          const outcome = await within(
            connection.perform(op, { timeoutMs: OP_TIMEOUT_MS }).then(
              (answer) => ({ answer }),
              (error: unknown) => ({ error }),
            ),
            HANG_GUARD_MS,
          );
          trace.onRecord = undefined;
          // What the operation did not reach lands while the link is idle; a marker behind it
          // (the air keeps order) says when all of it has been handled.
          for (const rest of pending) rig.adapter.injectNotification(id, rest.bytes);
          const from = trace.length;
          rig.adapter.injectNotification(id, MARKER);
          await trace.next(
            (r) => r.kind === 'control' && r.packet === Buffer.from(MARKER).toString('hex'),
            from,
          );

          expect(outcome).not.toBe(hung);
          if (outcome !== hung && 'error' in outcome) {
            expect(outcome.error).toBeInstanceOf(DeviceError);
            expect(SETTLE_KINDS.has((outcome.error as DeviceError).code)).toBe(true);
          }
          // Afterwards: usable (a new session if the old one was dropped), or Disconnected.
          if (!connection.isOpen) {
            await expect(
              connection.perform({ op: KeyOp.ReadInfo }, { timeoutMs: OP_TIMEOUT_MS }),
            ).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
            return;
          }
          const next = await within(
            connection.perform({ op: KeyOp.ReadInfo }, { timeoutMs: 2_000 }),
            HANG_GUARD_MS,
          );
          expect(next).toMatchObject({
            status: DeviceErrorCode.OK,
            info: { serialNo: key.serialNo },
          });
        },
      ),
      { numRuns: Number(process.env.K3_RUNS ?? 60) },
    );
  });
});
