// The server's sealed remote channel on an open-protocol key: VerifyChannel
// proves the seal secret, RemoteCommand opens a sealed op, refuses a replayed
// counter, and writes the op's effect (remote-ops.ts) together with the new
// counter in one write before it seals the reply. A Key 3 has no seal secret:
// its server ops come through the firmware's handleRemoteOp instead.
import { Command, type Response } from '../../device/protocol/messages';
import { isProtocolError, ProtocolErrorCode } from '../../device/protocol/protocol-error';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeyInfo } from '../../shared/key/key-info';
import { channelVerifyReply } from '../remote-channel/channel-proof';
import type { RemoteOp, RemoteReply } from '../remote-channel/ops';
import { openCommand, sealReply } from '../remote-channel/seal';
import type { KeyState } from './key-state';
import { fail, type FirmwareContext } from './local-request';
import type { FailStatus, RemoteOpOutcome } from './remote-ops';

/** The remote channel the server uses (HES DefaultDeviceChannel.HES). */
export const SERVER_CHANNEL = 4;

export interface SealedChannelContext extends FirmwareContext {
  /** The op's new state and its reply (remote-ops.ts with the firmware's session). */
  readonly executeOp: (op: RemoteOp) => Promise<RemoteOpOutcome>;
  /** The key's info once the op is written (the reply of an op that has none of its own). */
  readonly info: () => KeyInfo;
}

/**
 * Proves the provisioning secret to the server and tells it the last accepted counter.
 * Changes nothing, needs no authorisation and works locked or blank: the server
 * verifies its channel before any op, Link and LockDeviceCode included.
 */
export function verifyChannel(state: KeyState, channel: number, nonce: Uint8Array): Response {
  const cmd = Command.VerifyChannel;
  const secret = channelSecret(state, channel);
  if (typeof secret === 'number') return fail(cmd, secret);
  const lastCounter = BigInt(state.remoteCounter);
  const verifyReply = channelVerifyReply(secret, channel, nonce, lastCounter);
  return { command: cmd, status: DeviceErrorCode.OK, verifyReply };
}

export async function remoteCommand(
  ctx: SealedChannelContext,
  channel: number,
  sealed: Uint8Array,
): Promise<Response> {
  const cmd = Command.RemoteCommand;
  const secret = channelSecret(ctx.state(), channel);
  if (typeof secret === 'number') return fail(cmd, secret);
  let opened: { counter: bigint; op: RemoteOp };
  try {
    opened = openCommand(secret, sealed);
  } catch (e) {
    // Without an authentic counter there is nothing to seal a reply to: answer in plain.
    if (isProtocolError(e, ProtocolErrorCode.UnknownCommand))
      return fail(cmd, DeviceErrorCode.ERR_UNKNOWN_MESSAGE);
    if (
      isProtocolError(e, ProtocolErrorCode.BadField) ||
      isProtocolError(e, ProtocolErrorCode.BadCbor)
    ) {
      return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
    }
    return fail(cmd, DeviceErrorCode.ERR_BAD_SEAL);
  }
  const { counter, op } = opened;
  const last = BigInt(ctx.state().remoteCounter);
  if (counter <= last) {
    const reply: RemoteReply = { status: DeviceErrorCode.ERR_REPLAY, lastCounter: last };
    return {
      command: cmd,
      status: DeviceErrorCode.OK,
      sealed: sealReply(secret, counter, reply),
    };
  }
  const { state, reply } = await ctx.executeOp(op);
  // One atomic write: the counter advances together with the op's effect.
  await ctx.persist({ ...state, remoteCounter: counter.toString() });
  const finalReply: RemoteReply = reply ?? { status: DeviceErrorCode.OK, info: ctx.info() };
  return {
    command: cmd,
    status: DeviceErrorCode.OK,
    sealed: sealReply(secret, counter, finalReply),
  };
}

/** The seal secret for the server's channel, or the refusal of a command on `channel`. */
function channelSecret(state: KeyState, channel: number): Uint8Array | FailStatus {
  if (channel !== SERVER_CHANNEL) return DeviceErrorCode.ERR_INVALID_PARAMETER;
  // A Key 3 has no seal secret: its server channel is its own (handleRemoteOp).
  const secret = state.provisioning.secret;
  if (secret === undefined) return DeviceErrorCode.ERR_UNSUPPORTED;
  return new Uint8Array(Buffer.from(secret, 'base64'));
}
