// LoadLicense: the licence blobs the server has the key keep, in a fixed number
// of slots (device/key/key-operations.ts LICENSE_SLOTS).
import { Command, type Response } from '../../device/protocol/messages';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { fail, ok, type FirmwareContext } from './local-request';

/**
 * Stores a licence blob. Without a slot it takes the first free one, refused while
 * the key is locked, as the Hideez firmware does (hideez-client-behaviour.md §1.4);
 * with a slot it overwrites that one. The same blob twice is stored once, so a host
 * that loads again after losing the answer does not fill the slots.
 */
export async function loadLicense(
  ctx: FirmwareContext,
  data: Uint8Array,
  slot: number | undefined,
): Promise<Response> {
  const cmd = Command.LoadLicense;
  const s = ctx.state();
  const blob = Buffer.from(data).toString('base64');
  let target = slot;
  if (target === undefined) {
    if (s.codeLock !== null) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
    if (s.pin.lockedByPin) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN);
    if (s.licenses.includes(blob)) return ok(cmd);
    target = s.licenses.indexOf(null);
    if (target < 0) return fail(cmd, DeviceErrorCode.ERR_STORAGE_FULL);
  }
  const licenses = s.licenses.map((held, i) => (i === target ? blob : held));
  await ctx.persist({ ...s, licenses });
  return ok(cmd);
}
