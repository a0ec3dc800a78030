// Whatever a host sends, in whatever order, the key's report stays consistent
// and no secret ever gets more guesses than were set: a property test over
// random command sequences, straight against the firmware.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Command, type Request, type Response } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import type { KeyInfo } from '../../../shared/key/key-info';
import type { RemoteOp } from '../../../emulator/remote-channel/ops';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { ascii, DEFAULT_PROFILE, keyFolder, TEST_HASH_COST, TestServer } from './key-hosts';

type Step =
  | { kind: 'code'; right: boolean }
  | { kind: 'pin'; right: boolean }
  | { kind: 'setPin'; length: number }
  | { kind: 'remote'; op: 'link' | 'lock' | 'access' | 'wipe' | 'check' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('code' as const), right: fc.boolean() }),
  fc.record({ kind: fc.constant('pin' as const), right: fc.boolean() }),
  fc.record({ kind: fc.constant('setPin' as const), length: fc.integer({ min: 1, max: 10 }) }),
  fc.record({
    kind: fc.constant('remote' as const),
    op: fc.constantFrom(
      'link' as const,
      'lock' as const,
      'access' as const,
      'wipe' as const,
      'check' as const,
    ),
  }),
);

function checkInfo(info: KeyInfo): void {
  expect(info.canUnlock).toBe(info.lockedByCode && info.unlockAttemptsRemain > 0);
  expect(info.access.locked).toBe(info.lockedByCode || info.lockedByPin);
  if (info.access.linkRequired) expect(info.lockedByCode || info.lockedByPin).toBe(false);
  expect(info.unlockAttemptsRemain).toBeGreaterThanOrEqual(0);
  expect(info.pinAttemptsRemain).toBeGreaterThanOrEqual(0);
  if (info.lockedByPin) expect(info.pinAttemptsRemain).toBe(0);
  expect(info.maxMessageSize).toBe(7609);
}

const CODE = '123456';
const PIN = '1234';

describe('firmware invariants', () => {
  it('random command sequences keep KeyInfo consistent and never exceed the attempts set', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const folder = await keyFolder(1);
        const record = folder.records[0]!;
        const key = await VirtualKey.open(folder.pathOf(record), { hashCost: TEST_HASH_COST });
        const server = new TestServer(record);
        const handle = (request: Request): Promise<Response> => key.firmware.handle(request);
        const ops: Record<Extract<Step, { kind: 'remote' }>['op'], RemoteOp> = {
          link: { op: 2, masterKey: server.masterKey, code: ascii(CODE), attempts: 3 },
          lock: { op: 3, masterKey: server.masterKey, code: ascii(CODE), attempts: 3 },
          access: {
            op: 4,
            time: 1,
            masterKey: server.masterKey,
            profile: { ...DEFAULT_PROFILE, pinMaxTries: 3 },
          },
          wipe: { op: 5, masterKey: server.masterKey },
          check: { op: 6, masterKey: server.masterKey },
        };
        // Wrong guesses checked since the code / PIN was last set.
        let wrongCodes = 0;
        let wrongPins = 0;
        try {
          for (const s of steps) {
            const before = key.info();
            if (s.kind === 'code') {
              const r = await handle({
                command: Command.UnlockWithCode,
                code: ascii(s.right ? CODE : '000000'),
              });
              const after = key.info();
              if (before.canUnlock) {
                if (s.right) {
                  expect(r.status).toBe(DeviceErrorCode.OK);
                  expect(after.lockedByCode).toBe(false);
                } else {
                  wrongCodes += 1;
                  expect(after.unlockAttemptsRemain).toBe(before.unlockAttemptsRemain - 1);
                  expect(r.status).toBe(
                    after.unlockAttemptsRemain === 0
                      ? DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE
                      : DeviceErrorCode.ERR_PIN_WRONG,
                  );
                }
              } else {
                // Not locked, or exhausted: nothing is checked, nothing changes.
                expect(r.status).not.toBe(DeviceErrorCode.OK);
                expect(after.unlockAttemptsRemain).toBe(before.unlockAttemptsRemain);
              }
            } else if (s.kind === 'pin') {
              const r = await handle({
                command: Command.EnterPin,
                pin: ascii(s.right ? PIN : '0000'),
              });
              const after = key.info();
              if (r.status === DeviceErrorCode.OK) {
                expect(s.right).toBe(true);
                wrongPins = 0;
              } else if (
                r.status === DeviceErrorCode.ERR_PIN_WRONG ||
                after.pinAttemptsRemain < before.pinAttemptsRemain
              ) {
                wrongPins += 1;
                expect(after.pinAttemptsRemain).toBe(before.pinAttemptsRemain - 1);
              } else {
                expect(after.pinAttemptsRemain).toBe(before.pinAttemptsRemain);
              }
            } else if (s.kind === 'setPin') {
              const r = await handle({
                command: Command.SetPin,
                newPin: ascii(PIN.repeat(3).slice(0, s.length)),
              });
              if (r.status === DeviceErrorCode.OK) {
                expect(s.length).toBeGreaterThanOrEqual(before.minPinLength);
                expect(s.length).toBeLessThanOrEqual(8);
                wrongPins = 0;
              }
            } else {
              const reply = await server.run({ request: handle }, ops[s.op]);
              if (reply.status === DeviceErrorCode.OK && (s.op === 'link' || s.op === 'lock')) {
                wrongCodes = 0;
                wrongPins = 0;
              }
              if (reply.status === DeviceErrorCode.OK && s.op === 'access') wrongPins = 0;
            }
            checkInfo(key.info());
            // Link and LockDeviceCode set 3 code attempts; Access sets 3 PIN tries.
            expect(wrongCodes).toBeLessThanOrEqual(3);
            expect(wrongPins).toBeLessThanOrEqual(key.state.profile?.pinMaxTries ?? 10);
          }
        } finally {
          key.unplug();
          await folder.cleanup();
        }
      }),
      { numRuns: 40 },
    );
  });
});
