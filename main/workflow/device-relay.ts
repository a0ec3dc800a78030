// The HES client's relay wired to the device manager: each step of the server's
// channel (on the channel the server names) goes to the key's serverChannel
// operation and the key's reply goes back untouched, through the key's job queue
// like every other exchange. The key's family decides what each step is on the wire.
import { KeyOp } from '../../device/key/key-operations';
import type { DeviceManager } from '../../device/manager/device-manager';
import type { RelayFunction } from '../hes/device-hub-relay';
import { WorkflowError, WorkflowErrorCode } from './workflow-error';

/** The SDK's DefaultRemoteCommandTimeout (hideez-client-behaviour.md §1.8). */
export const REMOTE_COMMAND_TIMEOUT_MS = 10_000;

export function deviceRelay(
  devices: DeviceManager,
  timeoutMs = REMOTE_COMMAND_TIMEOUT_MS,
): RelayFunction {
  return async (serialNo, channel, request, signal) => {
    const response = await devices.request(
      serialNo,
      { op: KeyOp.ServerChannel, channel, request },
      { timeoutMs, signal },
    );
    if ('reply' in response) return response.reply;
    throw new WorkflowError(
      WorkflowErrorCode.KeyError,
      `the key refused the server's ${request.kind} (status ${response.status})`,
    );
  };
}
