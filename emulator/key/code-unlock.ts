// UnlockWithCode: the activation code the server set (Link, LockDeviceCode)
// against the key's code lock. The attempt and its outcome reach the file in one
// write before the key answers: power or the link lost before it spends nothing
// (and the host learns nothing); after it the outcome stands. So a right code in
// flight never costs an attempt without unlocking, and a host learns each wrong
// code's verdict only by paying for it.
import { Command, type Response } from '../../device/protocol/messages';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { CODE_MAX_LENGTH, CODE_MIN_LENGTH } from './key-state';
import { fail, ok, type FirmwareContext } from './local-request';
import { verifySecret } from './secret-hash';

export async function unlockWithCode(ctx: FirmwareContext, code: Uint8Array): Promise<Response> {
  const cmd = Command.UnlockWithCode;
  const s = ctx.state();
  if (s.link === null) return fail(cmd, DeviceErrorCode.ERR_NOT_INITIALIZED);
  const lock = s.codeLock;
  if (lock === null) return fail(cmd, DeviceErrorCode.ERR_NOT_LOCKED);
  // Exhausted: refused without looking at the code, so even the right one fails.
  if (lock.attemptsRemain === 0) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE, 0);
  if (code.length < CODE_MIN_LENGTH || code.length > CODE_MAX_LENGTH) {
    return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
  }
  const right = await verifySecret(code, lock.code);
  ctx.checkPower();
  // One write holds the attempt and its outcome: power lost before it spends nothing
  // (and the host got no answer), after it the code counted, unlocking or not.
  const remain = lock.attemptsRemain - 1;
  await ctx.persist({ ...s, codeLock: right ? null : { ...lock, attemptsRemain: remain } });
  if (right) return ok(cmd);
  if (remain === 0) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE, 0);
  return fail(cmd, DeviceErrorCode.ERR_PIN_WRONG, remain);
}
