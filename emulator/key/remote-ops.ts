// The sealed remote channel's operations on the key's state (the server's Link,
// LockDeviceCode, Access, Wipe, CheckPassphrase, GetState): what each makes of the state and
// what it answers. The firmware opens the seal, checks the counter and writes the op's state
// together with the counter in one write (sealed-channel.ts); this module decides the op itself.
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { CodeLockReason } from '../../shared/key/key-info';
import { MASTER_KEY_BYTES } from '../remote-channel/op-codec';
import { RemoteOpCode, type RemoteOp, type RemoteReply } from '../remote-channel/ops';
import {
  blankKeyState,
  blankPinState,
  checkAccessParams,
  CODE_ATTEMPTS_MAX,
  CODE_ATTEMPTS_MIN,
  CODE_MAX_LENGTH,
  CODE_MIN_LENGTH,
  type KeyState,
} from './key-state';
import { hashSecret, verifySecret } from './secret-hash';

/** A device status other than OK: a refusal. */
export type FailStatus = Exclude<DeviceErrorCode, typeof DeviceErrorCode.OK>;

const failReply = (status: FailStatus): RemoteReply => ({ status });

/** What an op needs of the firmware besides the state. */
export interface RemoteOpContext {
  readonly state: KeyState;
  readonly hashCost: number;
  readonly now: () => number;
  /** Throws when the key lost power meanwhile (hashing takes time). */
  checkPower(): void;
  /** The host's session ends (a new code, a wipe): PIN and master key are asked again. */
  endSession(): void;
  /** The server proved the master key (CheckPassphrase). */
  masterKeyChecked(): void;
}

export interface RemoteOpOutcome {
  readonly state: KeyState;
  /** Undefined: OK with the key's info after the op. */
  readonly reply?: RemoteReply;
}

/** The op's new state and its reply (undefined reply: OK with the key's info after the op). */
export async function executeRemoteOp(
  op: RemoteOp,
  ctx: RemoteOpContext,
): Promise<RemoteOpOutcome> {
  const s = ctx.state;
  const refuse = (status: FailStatus): { state: KeyState; reply: RemoteReply } => ({
    state: s,
    reply: failReply(status),
  });
  if (op.op === RemoteOpCode.GetState) return { state: s };

  if (op.op === RemoteOpCode.Link) {
    if (s.link !== null) return refuse(DeviceErrorCode.ERR_ALREADY_INITIALIZED);
    if (!validCodeLock(op.masterKey, op.code, op.attempts)) {
      return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
    }
    const [masterKey, code] = await Promise.all([
      hashSecret(op.masterKey, ctx.hashCost),
      hashSecret(op.code, ctx.hashCost),
    ]);
    ctx.endSession();
    return {
      state: {
        ...s,
        link: { masterKey },
        codeLock: {
          code,
          attemptsSet: op.attempts,
          attemptsRemain: op.attempts,
          reason: CodeLockReason.FirstActivation,
        },
        pin: blankPinState(null),
        profile: null,
      },
    };
  }

  // Every other op needs a linked key and the right master key.
  if (s.link === null) return refuse(DeviceErrorCode.ERR_NOT_INITIALIZED);
  const rightKey =
    op.masterKey.length === MASTER_KEY_BYTES &&
    (await verifySecret(op.masterKey, s.link.masterKey));
  ctx.checkPower();
  if (!rightKey) return refuse(DeviceErrorCode.ERR_KEY_WRONG);

  switch (op.op) {
    case RemoteOpCode.LockDeviceCode: {
      if (!validCodeLock(op.masterKey, op.code, op.attempts)) {
        return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
      }
      const code = await hashSecret(op.code, ctx.hashCost);
      ctx.endSession();
      return {
        state: {
          ...s,
          codeLock: {
            code,
            attemptsSet: op.attempts,
            attemptsRemain: op.attempts,
            reason: CodeLockReason.Suspension,
          },
          pin: blankPinState(s.profile),
        },
      };
    }
    case RemoteOpCode.Access: {
      const locked = lockedStatusOf(s);
      if (locked) return refuse(locked);
      let profile;
      try {
        profile = checkAccessParams(op.profile);
      } catch {
        return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
      }
      if (!Number.isSafeInteger(op.time) || op.time < 0)
        return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
      return { state: { ...s, profile, pin: { ...s.pin, attemptsRemain: profile.pinMaxTries } } };
    }
    case RemoteOpCode.Wipe: {
      ctx.endSession();
      const blank = blankKeyState(s.provisioning, {
        totalSize: s.storage.totalSize,
        freeSize: s.storage.totalSize,
        timestamp: Math.floor(ctx.now() / 1000),
      });
      return { state: { ...blank, battery: s.battery } };
    }
    case RemoteOpCode.CheckPassphrase: {
      const locked = lockedStatusOf(s);
      if (locked) return refuse(locked);
      ctx.masterKeyChecked();
      return { state: s };
    }
    default:
      return refuse(DeviceErrorCode.ERR_UNKNOWN_MESSAGE);
  }
}

function validCodeLock(masterKey: Uint8Array, code: Uint8Array, attempts: number): boolean {
  return (
    masterKey.length === MASTER_KEY_BYTES &&
    code.length >= CODE_MIN_LENGTH &&
    code.length <= CODE_MAX_LENGTH &&
    Number.isInteger(attempts) &&
    attempts >= CODE_ATTEMPTS_MIN &&
    attempts <= CODE_ATTEMPTS_MAX
  );
}

/** Why a locked key refuses an op that needs it unlocked, or undefined. */
export function lockedStatusOf(state: KeyState): FailStatus | undefined {
  if (state.codeLock !== null) return DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE;
  if (state.pin.lockedByPin) return DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN;
  return undefined;
}
