// The server's channel to an open-protocol key (docs/protocol.md §7), one relay step
// at a time, untouched: a `message` is the server's sealed buffer in a RemoteCommand,
// a `verify` is the server's challenge in a VerifyChannel. The sealed channel has no
// session and no key exchange, so a reset has nothing to drop (a no-op), a verify
// carries no public key, and there is no root-key certificate or control packet.
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { type KeyAnswer, KeyOp, type ServerChannelRequest } from '../key/key-operations';
import { Command, type Request } from '../protocol/messages';
import { ProtocolErrorCode, protocolError } from '../protocol/protocol-error';

/**
 * The request for one server-channel step; undefined for a step with no exchange.
 * Throws ProtocolError BadField for a verify with a public key: the server mistook
 * the key for a Key 3, and nothing of it should reach the key.
 */
export function serverChannelRequest(
  channel: number,
  request: ServerChannelRequest,
): Request | undefined {
  switch (request.kind) {
    case 'message':
      return { command: Command.RemoteCommand, channel, sealed: request.data };
    case 'verify':
      if (request.publicKey.length !== 0) {
        throw protocolError(
          ProtocolErrorCode.BadField,
          'VerifyChannel: an open-protocol key has no key exchange, so publicKey must be empty',
          { field: 'publicKey', length: request.publicKey.length },
        );
      }
      return { command: Command.VerifyChannel, channel, nonce: request.nonce };
    default:
      return undefined;
  }
}

/** The answer to a step with no exchange: OK for a reset, ERR_UNSUPPORTED otherwise. */
export function serverChannelWithoutExchange(request: ServerChannelRequest): KeyAnswer {
  // Each sealed command authenticates itself: there is no channel session to drop.
  if (request.kind === 'reset') {
    return { op: KeyOp.ServerChannel, status: DeviceErrorCode.OK, reply: new Uint8Array(0) };
  }
  return { op: KeyOp.ServerChannel, status: DeviceErrorCode.ERR_UNSUPPORTED };
}
