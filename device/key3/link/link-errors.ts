// The packet link's errors and names: typed DeviceErrors for the layers above (never a
// byte of a message in them), and control codes by name for the trace.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import { isProtocolError, type ProtocolError } from '../../protocol/protocol-error';
import { ControlCode } from '../protocol/packets';

export const keyCancelled = (): DeviceError =>
  new DeviceError(DeviceErrorKind.Cancelled, 'The user cancelled on the key (long press)', {
    by: 'key',
  });

export const cancelled = (): DeviceError =>
  new DeviceError(DeviceErrorKind.Cancelled, 'The request was cancelled');

export function protocolFailure(error: unknown, message: string): DeviceError {
  return new DeviceError(
    DeviceErrorKind.Protocol,
    message,
    isProtocolError(error) ? { protocolError: error.code, ...flatten(error) } : undefined,
    { cause: error },
  );
}

export const flatten = (error: ProtocolError): Record<string, string | number | boolean> => ({
  ...(error.details ?? {}),
});

const CONTROL_NAMES = new Map<number, string>(
  Object.entries(ControlCode).map(([name, code]) => [code, name]),
);
export const controlName = (code: number): string =>
  CONTROL_NAMES.get(code) ?? `0x${code.toString(16).padStart(2, '0')}`;
