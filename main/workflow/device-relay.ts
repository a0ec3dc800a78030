// The HES client's relay wired to the device manager: each of the server's channel
// messages goes to the key's server channel (channel 4) and the key's reply goes
// back untouched, through the key's job queue like every other exchange.
import { KeyOp } from '../../device/key/key-operations';
import type { DeviceManager } from '../../device/manager/device-manager';
import { HES_REMOTE_CHANNEL } from '../../shared/hes/dto';
import type { RelayFunction } from '../hes/device-hub-relay';
import { WorkflowError, WorkflowErrorCode } from './workflow-error';

/** The SDK's DefaultRemoteCommandTimeout (hideez-client-behaviour.md §1.8). */
export const REMOTE_COMMAND_TIMEOUT_MS = 10_000;

export function deviceRelay(
  devices: DeviceManager,
  timeoutMs = REMOTE_COMMAND_TIMEOUT_MS,
): RelayFunction {
  return async (serialNo, sealed, signal) => {
    const response = await devices.request(
      serialNo,
      {
        op: KeyOp.ServerChannel,
        channel: HES_REMOTE_CHANNEL,
        request: { kind: 'message', data: sealed },
      },
      { timeoutMs, signal },
    );
    if ('reply' in response) return response.reply;
    throw new WorkflowError(
      WorkflowErrorCode.KeyError,
      `the key refused the remote command (status ${response.status})`,
    );
  };
}
