// The virtual Key 3's command set over the shared firmware model: each decrypted
// Key 3 request becomes the firmware's own request or remote op (the same rules
// for every family: codes applied in one write, PINs paid before they are checked,
// master-key checks, lockouts), and the firmware's answer becomes the Key 3 reply: a SUCCESS or a
// reply code with its payload, or `E1 xx` mapped from the status catalogue.
import { Key3Command } from '../../device/key3/protocol/command-codes';
import { decodeRequest, type Key3Request } from '../../device/key3/protocol/commands';
import { fromDeviceErrorCode, Key3FirmwareError } from '../../device/key3/protocol/errors';
import { encodeInfoBlock } from '../../device/key3/protocol/info-block';
import { encodeErrorReply, encodeMessage } from '../../device/key3/protocol/message';
import { requirementOf } from '../../device/key3/protocol/requirements';
import { LICENSE_SLOTS } from '../../device/key/key-operations';
import { Command, type Request } from '../../device/protocol/messages';
import { isProtocolError, ProtocolErrorCode } from '../../device/protocol/protocol-error';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { accessFlagsToBits, type KeyInfo } from '../../shared/key/key-info';
import type { KeyFirmware } from '../key/firmware';
import { checkAccessParams } from '../key/key-state';
import { RemoteOpCode, type RemoteOp } from '../remote-channel/ops';

/** What a command did beyond its reply (the peripheral sends a WIPE packet after a wipe). */
export interface CommandOutcome {
  readonly reply: Uint8Array;
  readonly wiped?: boolean;
}

const SOFT_DEVICE_VERSION = '7.0';
const DEVICE_TYPE_KEY3 = 3;
/** The largest message the virtual Key 3 takes, as a real one reports (vector: 1024). */
export const KEY3_MAX_MESSAGE_BYTES = 1024;
const NIBBLE = 0x0f;

const success = (): Uint8Array => encodeMessage(Key3Command.SUCCESS);
const firmwareError = (error: number): Uint8Array => encodeErrorReply('firmware', error);
const statusReply = (status: DeviceErrorCode): Uint8Array => {
  if (status === DeviceErrorCode.OK) return success();
  const { source, error } = fromDeviceErrorCode(status);
  return encodeErrorReply(source, error);
};

/** GETINFO's block from the firmware's KeyInfo (nibble fields capped at 15). */
export function infoBlockOf(info: KeyInfo, firmware: KeyFirmware, nowSeconds: number): Uint8Array {
  const licences = firmware.state.licenses;
  return encodeInfoBlock({
    layoutVersion: 1,
    sizeOfInfoStructure: 64,
    firmwareDeviceType: DEVICE_TYPE_KEY3,
    firmwareVersion: info.firmwareVersion,
    bootloaderDeviceType: DEVICE_TYPE_KEY3,
    bootloaderVersion: info.bootloaderVersion,
    softDeviceVersion: SOFT_DEVICE_VERSION,
    serialNumber: info.serialNo,
    storageTotalSize: info.storageTotalSize,
    storageFreeSize: info.storageFreeSize,
    accessLevel: accessFlagsToBits(info.access),
    isLockedByCode: info.lockedByCode,
    isLockedByPin: info.lockedByPin,
    isCanUnlock: info.canUnlock,
    unlockAttemptsRemain: Math.min(NIBBLE, info.unlockAttemptsRemain),
    minPinLength: Math.min(NIBBLE, info.minPinLength),
    pinAttemptsRemain: Math.min(NIBBLE, info.pinAttemptsRemain),
    battery: info.battery,
    deviceTimeUnix: nowSeconds,
    maxMessageSize: KEY3_MAX_MESSAGE_BYTES,
    // One bit per loaded licence slot (the vendor host only tests it for zero).
    licenseInfo: licences.reduce(
      (bits, held, slot) => (held === null ? bits : bits | (1 << slot)),
      0,
    ),
    storageTimestamp: info.storageTimestamp,
  });
}

/** QUERYLICENSE's 128-byte record for a held slot; what the key keeps beyond that is not modelled. */
function licenceRecord(blob: string, serialNo: string): Uint8Array {
  const out = new Uint8Array(128);
  out[0] = 1;
  out[2] = 1;
  const text = new TextEncoder().encode('virtual licence');
  out.set(text.subarray(0, 36), 12);
  out.set(new TextEncoder().encode(serialNo).subarray(0, 16), 48);
  out.set(Buffer.from(blob, 'base64').subarray(0, 64), 64);
  return out;
}

async function local(firmware: KeyFirmware, request: Request): Promise<Uint8Array> {
  const response = await firmware.handle(request);
  return statusReply(response.status);
}

async function remote(firmware: KeyFirmware, op: RemoteOp): Promise<CommandOutcome> {
  const reply = await firmware.handleRemoteOp(op);
  return {
    reply: statusReply(reply.status),
    ...(op.op === RemoteOpCode.Wipe && reply.status === DeviceErrorCode.OK ? { wiped: true } : {}),
  };
}

/** The reply to one decrypted request (GETROOTKEY and VERIFY are the channel's, not these). */
export async function runKey3Command(
  firmware: KeyFirmware,
  plain: Uint8Array,
  nowMs: number,
): Promise<CommandOutcome> {
  let request: Key3Request;
  try {
    request = decodeRequest(plain);
  } catch (error) {
    const unknown = isProtocolError(error, ProtocolErrorCode.UnknownCommand);
    return {
      reply: firmwareError(
        unknown ? Key3FirmwareError.UnknownMessage : Key3FirmwareError.InvalidParameter,
      ),
    };
  }
  switch (request.command) {
    case Key3Command.GETINFO:
      return {
        reply: encodeMessage(
          Key3Command.INFO,
          infoBlockOf(firmware.info(), firmware, Math.floor(nowMs / 1000)),
        ),
      };
    case Key3Command.UNLOCKDEVICECODE:
      return {
        reply: await local(firmware, { command: Command.UnlockWithCode, code: request.code }),
      };
    case Key3Command.ENTERPIN:
      return { reply: await local(firmware, { command: Command.EnterPin, pin: request.pin }) };
    case Key3Command.SETPIN:
      if (!('oldPin' in request)) return { reply: firmwareError(Key3FirmwareError.Unsupported) };
      return {
        reply: await local(firmware, {
          command: Command.SetPin,
          newPin: request.newPin,
          ...(request.oldPin.length > 0 ? { oldPin: request.oldPin } : {}),
        }),
      };
    case Key3Command.LOADLICENSE:
      if (request.slot >= LICENSE_SLOTS)
        return { reply: firmwareError(Key3FirmwareError.InvalidParameter) };
      return {
        reply: await local(firmware, {
          command: Command.LoadLicense,
          data: request.data,
          slot: request.slot,
        }),
      };
    case Key3Command.QUERYLICENSE: {
      const held = firmware.state.licenses[request.slot];
      if (held === undefined || held === null)
        return { reply: firmwareError(Key3FirmwareError.NoData) };
      return {
        reply: encodeMessage(
          Key3Command.LICENSEREPLY,
          licenceRecord(held, firmware.info().serialNo),
        ),
      };
    }
    case Key3Command.PING:
      return { reply: encodeMessage(Key3Command.PONG, request.data) };
    case Key3Command.LINK:
    case Key3Command.LOCKDEVICECODE:
      return remote(firmware, {
        op: request.command === Key3Command.LINK ? RemoteOpCode.Link : RemoteOpCode.LockDeviceCode,
        masterKey: request.masterKey,
        code: request.code,
        attempts: request.maxAttempts,
      });
    case Key3Command.ACCESS: {
      const a = request.access;
      const masterKey = requirementOf(a.masterKeyReq);
      const pin = requirementOf(a.pinReq);
      const button = requirementOf(a.buttonReq);
      let profile;
      try {
        profile = checkAccessParams({
          masterKeyBond: masterKey.bond,
          masterKeyConnect: masterKey.connect,
          masterKeyChannel: masterKey.channel,
          buttonBond: button.bond,
          buttonConnect: button.connect,
          buttonChannel: button.channel,
          pinBond: pin.bond,
          pinConnect: pin.connect,
          pinChannel: pin.channel,
          pinMinLength: a.pinMinLength,
          pinMaxTries: a.pinMaxTries,
          pinExpirationSeconds: a.pinExpiry,
          buttonExpirationSeconds: a.buttonExpiry,
          masterKeyExpirationSeconds: a.masterKeyExpiry,
        });
      } catch {
        return { reply: firmwareError(Key3FirmwareError.InvalidParameter) };
      }
      return remote(firmware, {
        op: RemoteOpCode.Access,
        time: a.unixTime,
        masterKey: a.masterKey,
        profile,
      });
    }
    case Key3Command.WIPE:
      return remote(firmware, { op: RemoteOpCode.Wipe, masterKey: request.data });
    case Key3Command.CHECKPASSPHRASE:
      return remote(firmware, { op: RemoteOpCode.CheckPassphrase, masterKey: request.data });
    default:
      return { reply: firmwareError(Key3FirmwareError.Unsupported) };
  }
}
