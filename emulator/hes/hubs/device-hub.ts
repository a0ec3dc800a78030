// /deviceHub (hes-contract.md §4.7): the workstation's side of a remote-vault session. A
// connection carries the DeviceId and WorkstationId headers; the relay pairs it with the set-up
// that asked for it. Replies without a session answer 1001 "Cannot find remote device in the
// DeviceHub", as on HES. VerifyCommandResponse and GetRootKeyCommandResponse answer the
// set-up of a Hideez Key 3's channel; a non-empty error fails it, as on HES.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { HesResponse } from '../../../shared/hes/dto';
import type { DeviceHubRelay } from '../relay/device-hub-relay';
import type { HubCaller, HubDefinition, HubMethodDefinition } from '../signalr/hub-definition';
import { errorResponse, NO_REMOTE_DEVICE, okResponse, responseForError } from './envelope';
import { messageBufferArgument, replyErrorArgument, replyResultArgument } from './hub-arguments';

export interface DeviceHubOptions {
  readonly relay: DeviceHubRelay;
}

const noSession = (): HesResponse =>
  errorResponse(HesErrorCode.NonHideezException, NO_REMOTE_DEVICE);

export function createDeviceHub({ relay }: DeviceHubOptions): HubDefinition {
  const method = (run: (caller: HubCaller, args: readonly unknown[]) => HesResponse) =>
    ({
      arity: 2,
      handler: (caller, args) => {
        try {
          return run(caller, args);
        } catch (e) {
          return responseForError(e);
        }
      },
    }) satisfies HubMethodDefinition;

  /** A set-up reply: the key's bytes, or the workstation's error (which fails the set-up). */
  const setUpReply = (kind: 'verify' | 'rootKey') =>
    method((caller, args) => {
      const bytes = replyResultArgument(args[0]);
      const error = replyErrorArgument(args[1]);
      const outcome =
        error !== null && error !== ''
          ? ({ kind: 'error', error } as const)
          : ({ kind: 'reply', bytes } as const);
      return relay.remoteCommandResponse(caller.connectionId, outcome, kind)
        ? okResponse()
        : noSession();
    });

  return {
    methods: {
      RemoteCommandResponse: method((caller, args) => {
        const buffer = messageBufferArgument(args[0]);
        const error = replyErrorArgument(args[1]);
        // HES ignores the error text and uses the data; with no data the text is all there is,
        // and failing the command at once beats waiting out the timeout.
        const outcome =
          buffer.bytes.length === 0 && error !== null && error !== ''
            ? ({ kind: 'error', error } as const)
            : ({ kind: 'reply', bytes: buffer.bytes } as const);
        return relay.remoteCommandResponse(caller.connectionId, outcome)
          ? okResponse()
          : noSession();
      }),
      VerifyCommandResponse: setUpReply('verify'),
      GetRootKeyCommandResponse: setUpReply('rootKey'),
    },
    onConnected(caller) {
      relay.deviceHubConnected(caller);
    },
    onDisconnected(caller) {
      relay.deviceHubDisconnected(caller.connectionId);
    },
  };
}
