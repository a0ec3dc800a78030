// The server's channel to a Hideez Key 3 (HES: channel 4), one step at a time, untouched:
// its VERIFY and messages go to the key as the server built them; the root-key certificate
// comes from our own verified channel (the server cannot ask the key in its own name before
// its channel is verified, and the certificate is public and vendor-signed); a reset or a
// control packet is passed on only when it leaves our channel 1 alone (docs/key3.md).
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { type KeyAnswer, KeyOp, type ServerChannelRequest } from '../../key/key-operations';
import { Key3Command } from '../protocol/command-codes';
import { verify } from '../protocol/commands';
import { PACKET_SIZE } from '../protocol/gatt';
import { encodeMessage } from '../protocol/message';
import { ControlCode, resetPacket } from '../protocol/packets';
import type { Key3PacketLink } from '../link/packet-link';
import { COMPANION_CHANNEL } from './channels';
import { KEY3_TIMEOUTS, type Key3SecureChannel } from './secure-channel';

type Failure = Exclude<DeviceErrorCode, typeof DeviceErrorCode.OK>;

export async function relayServerChannelStep(
  link: Key3PacketLink,
  secure: Key3SecureChannel,
  channel: number,
  request: ServerChannelRequest,
  limits: { timeoutMs: number; signal?: AbortSignal },
): Promise<KeyAnswer> {
  const op = KeyOp.ServerChannel;
  const ok = (reply: Uint8Array): KeyAnswer => ({ op, status: DeviceErrorCode.OK, reply });
  const refuse = (status: Failure): KeyAnswer => ({ op, status });
  // The server's channel is never ours, and a valid Key 3 channel (reference §1.6).
  if (!Number.isInteger(channel) || channel === COMPANION_CHANNEL || channel < 2 || channel > 6) {
    return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
  }
  switch (request.kind) {
    case 'reset':
      await link.sendControl(resetPacket(channel));
      return ok(new Uint8Array(0));
    case 'verify': {
      let message: Uint8Array;
      try {
        message = verify(channel, request.publicKey, request.nonce);
      } catch {
        return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
      }
      return ok(
        await link.exchange(channel, message, {
          ...limits,
          timeoutMs: Math.max(limits.timeoutMs, KEY3_TIMEOUTS.verifyMs),
        }),
      );
    }
    case 'rootKey': {
      // The certificate is public and vendor-signed: our verified channel's copy serves.
      if (!secure.certificate) await secure.open(limits.signal);
      const certificate = secure.certificate;
      if (!certificate) return refuse(DeviceErrorCode.ERR_NOT_INITIALIZED);
      return ok(encodeMessage(Key3Command.ROOTKEY, certificate));
    }
    case 'message':
      if (request.data.length === 0 || request.data.length % 16 !== 0) {
        return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
      }
      return ok(await link.exchange(channel, request.data, limits));
    case 'control': {
      const packet = safeControlPacket(request.data);
      if (!packet) return refuse(DeviceErrorCode.ERR_INVALID_PARAMETER);
      await link.sendControl(packet);
      return ok(new Uint8Array(0));
    }
  }
}

/**
 * A control packet the server may have passed on: 20 bytes at most, byte 0 zero,
 * a known control code the host sends (RESET or CANCEL), and a RESET that leaves
 * our channel 1 alone. Anything else could disturb our own session: refused.
 */
function safeControlPacket(data: Uint8Array): Uint8Array | undefined {
  if (data.length < 2 || data.length > PACKET_SIZE || data[0] !== 0) return undefined;
  const code = data[1];
  if (code === ControlCode.RESET) {
    const channels = data[2] ?? 0;
    if (channels === 0 || (channels & 0x01) !== 0 || channels > 0x3f) return undefined;
  } else if (code !== ControlCode.CANCEL) {
    return undefined;
  }
  const packet = new Uint8Array(PACKET_SIZE);
  packet.set(data);
  return packet;
}
