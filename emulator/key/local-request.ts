// What a local request's handler (code-unlock.ts, pin-ops.ts, license-slots.ts,
// sealed-channel.ts) needs of the firmware, and the answers it builds. The
// firmware (firmware.ts) owns the state, the power and the queue; a handler
// reads the state, decides, and writes through persist(), which throws once the
// key has lost power.
import type { Command, CommandWithBody, Response } from '../../device/protocol/messages';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeySession } from './key-session';
import type { KeyState } from './key-state';
import type { FailStatus } from './remote-ops';

export interface FirmwareContext {
  /** The state now: each persist() changes it. */
  readonly state: () => KeyState;
  /** What the key remembers while powered (a new object when a session ends). */
  readonly session: () => KeySession;
  /** scrypt cost for new code/PIN/master-key hashes. */
  readonly hashCost: number;
  /** The firmware clock in ms. */
  readonly now: () => number;
  /** Throws KeyStateError PowerLost once the key has lost power (hashing takes time). */
  readonly checkPower: () => void;
  /** Writes `next` to the state file; it is the state from then on. */
  readonly persist: (next: KeyState) => Promise<void>;
}

/** A command whose request has no body: its success is the bare status. */
export type PlainCommand = Exclude<Command, CommandWithBody>;

export const fail = (command: Command, status: FailStatus, attemptsRemain?: number): Response =>
  attemptsRemain === undefined ? { command, status } : { command, status, attemptsRemain };

export const ok = (command: PlainCommand): Response => ({ command, status: DeviceErrorCode.OK });
