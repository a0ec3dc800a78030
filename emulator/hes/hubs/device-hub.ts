// /deviceHub (hes-contract.md §4.7): the workstation's side of a remote-vault session. A
// connection carries the DeviceId and WorkstationId headers; the relay offers it to the domain.
// Replies answer as HES's DeviceHub does: Ok once delivered to the pair's channel (a
// RemoteCommandResponse's error text is ignored; a set-up reply's non-empty error fails the
// set-up), 1001 "DeviceHub does not contain DeviceId!" on a connection without ids, 1001
// "Cannot find remote device in the DeviceHub" when the pair has no channel.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { RemoteReplyOutcome, ReplyKind } from '../relay/device-hub-channel';
import type { DeviceHubRelay } from '../relay/device-hub-relay';
import type { HubCaller, HubDefinition, HubMethodDefinition } from '../signalr/hub-definition';
import { errorResponse, okResponse, responseForError } from './envelope';
import { messageBufferArgument, replyErrorArgument, replyResultArgument } from './hub-arguments';

export interface DeviceHubOptions {
  readonly relay: DeviceHubRelay;
}

export function createDeviceHub({ relay }: DeviceHubOptions): HubDefinition {
  /** A reply method: its arguments read into the outcome, then handed to the relay. */
  const reply = (
    kind: ReplyKind,
    read: (args: readonly unknown[]) => RemoteReplyOutcome,
  ): HubMethodDefinition => ({
    arity: 2,
    handler: (caller: HubCaller, args) => {
      try {
        const refusal = relay.response(caller.connectionId, read(args), kind);
        return refusal === undefined
          ? okResponse()
          : errorResponse(HesErrorCode.NonHideezException, refusal);
      } catch (e) {
        return responseForError(e);
      }
    },
  });

  const setUpReply = (args: readonly unknown[]): RemoteReplyOutcome => ({
    bytes: replyResultArgument(args[0]),
    error: replyErrorArgument(args[1]),
  });

  return {
    methods: {
      RemoteCommandResponse: reply('remoteCommand', (args) => ({
        bytes: messageBufferArgument(args[0]).bytes,
        error: replyErrorArgument(args[1]),
      })),
      VerifyCommandResponse: reply('verify', setUpReply),
      GetRootKeyCommandResponse: reply('rootKey', setUpReply),
    },
    onConnected(caller) {
      relay.deviceHubConnected(caller);
    },
    onDisconnected(caller) {
      relay.deviceHubDisconnected(caller.connectionId);
    },
  };
}
