// EnterPin and SetPin: the user's PIN, checked and set by the key itself. Every
// check of a PIN is paid for before it is made: the decremented counter reaches
// the file, then the PIN is compared, then (if right) the counter is restored, so
// cutting power or the link after sending a PIN costs the try. A right PIN, or a
// new one, counts as entered for the rest of the session.
import { Command, type Response } from '../../device/protocol/messages';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import {
  DEFAULT_PIN_MAX_TRIES,
  DEFAULT_PIN_MIN_LENGTH,
  PIN_MAX_LENGTH,
  type KeyState,
} from './key-state';
import { fail, ok, type FirmwareContext } from './local-request';
import { hashSecret, verifySecret } from './secret-hash';

export async function enterPin(ctx: FirmwareContext, pin: Uint8Array): Promise<Response> {
  const cmd = Command.EnterPin;
  return pinPrecheck(ctx, cmd) ?? (await consumePinAttempt(ctx, cmd, pin)) ?? ok(cmd);
}

export async function setPin(
  ctx: FirmwareContext,
  newPin: Uint8Array,
  oldPin: Uint8Array | undefined,
): Promise<Response> {
  const cmd = Command.SetPin;
  const refused = pinPrecheck(ctx, cmd);
  if (refused) return refused;
  const minLength = ctx.state().profile?.pinMinLength ?? DEFAULT_PIN_MIN_LENGTH;
  if (newPin.length < minLength) return fail(cmd, DeviceErrorCode.ERR_PIN_TOO_SHORT);
  if (newPin.length > PIN_MAX_LENGTH) return fail(cmd, DeviceErrorCode.ERR_PIN_TOO_LONG);
  if (oldPin === undefined) {
    // Without the old PIN only the first PIN may be set.
    if (ctx.state().pin.hash !== null) return fail(cmd, DeviceErrorCode.ERR_ALREADY_INITIALIZED);
  } else {
    // Changing the PIN proves the old one, and that costs an attempt like EnterPin.
    const wrong = await consumePinAttempt(ctx, cmd, oldPin);
    if (wrong) return wrong;
  }
  const hash = await hashSecret(newPin, ctx.hashCost);
  ctx.checkPower();
  const state = ctx.state();
  await ctx.persist({
    ...state,
    pin: { hash, attemptsRemain: pinMaxTries(state), lockedByPin: false },
  });
  ctx.session().pinVerifiedAt = ctx.now();
  return ok(cmd);
}

/** Common refusals for PIN commands; undefined when the PIN may be used. */
function pinPrecheck(ctx: FirmwareContext, cmd: Command): Response | undefined {
  const s = ctx.state();
  if (s.link === null) return fail(cmd, DeviceErrorCode.ERR_NOT_INITIALIZED);
  if (s.codeLock !== null) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
  if (s.pin.lockedByPin) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN, 0);
  return undefined;
}

/** Checks a PIN, counting the attempt first; undefined when right. */
async function consumePinAttempt(
  ctx: FirmwareContext,
  cmd: Command,
  pin: Uint8Array,
): Promise<Response | undefined> {
  const s = ctx.state();
  const hash = s.pin.hash;
  if (hash === null) return fail(cmd, DeviceErrorCode.ERR_PIN_NOT_SET);
  if (pin.length === 0 || pin.length > PIN_MAX_LENGTH)
    return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
  const remain = s.pin.attemptsRemain - 1;
  await ctx.persist({ ...s, pin: { hash, attemptsRemain: remain, lockedByPin: remain === 0 } });
  const right = await verifySecret(pin, hash);
  ctx.checkPower();
  if (right) {
    const state = ctx.state();
    await ctx.persist({
      ...state,
      pin: { hash, attemptsRemain: pinMaxTries(state), lockedByPin: false },
    });
    ctx.session().pinVerifiedAt = ctx.now();
    return undefined;
  }
  if (remain === 0) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN, 0);
  return fail(cmd, DeviceErrorCode.ERR_PIN_WRONG, remain);
}

/** The tries a right or new PIN restores: the profile's, or the firmware's default. */
const pinMaxTries = (state: KeyState): number =>
  state.profile?.pinMaxTries ?? DEFAULT_PIN_MAX_TRIES;
