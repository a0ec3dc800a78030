// The HES client's relay wired to the device manager: the server's sealed
// commands go to the key's RemoteCommand on channel 4 and the sealed reply goes
// back, through the key's job queue like every other exchange.
import type { DeviceManager } from '../../device/manager/device-manager';
import { Command } from '../../device/protocol/messages';
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
      { command: Command.RemoteCommand, channel: HES_REMOTE_CHANNEL, sealed },
      { timeoutMs, signal, label: 'RemoteCommand' },
    );
    if ('sealed' in response) return response.sealed;
    throw new WorkflowError(
      WorkflowErrorCode.KeyError,
      `the key refused the remote command (status ${response.status})`,
    );
  };
}
