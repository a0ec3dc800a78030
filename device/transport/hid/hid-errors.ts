// How CTAPHID's link-level failures become DeviceErrors the device layer
// understands (device/errors/device-error.ts). Details carry codes only.
import { CtapHidError } from '../../protocol/ctaphid';
import type { ProtocolError } from '../../protocol/protocol-error';
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';

const ERROR_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(CtapHidError).map(([name, code]) => [code, name]),
);

/** An ERROR frame from the key. CHANNEL_BUSY is Busy (another client holds the key; retry is the caller's). */
export function ctapHidErrorToDeviceError(code: number | undefined): DeviceError {
  const ctapHidError = code ?? -1;
  const name = ERROR_NAMES[ctapHidError] ?? 'Unknown';
  if (ctapHidError === CtapHidError.ChannelBusy) {
    return new DeviceError(DeviceErrorKind.Busy, 'The key is busy with another application', {
      ctapHidError,
      name,
    });
  }
  return new DeviceError(DeviceErrorKind.LinkError, `The key answered CTAPHID error ${name}`, {
    ctapHidError,
    name,
  });
}

/** Bytes from the key that break CTAPHID framing. */
export function framingError(error: ProtocolError): DeviceError {
  return new DeviceError(
    DeviceErrorKind.Protocol,
    `The key sent a malformed HID report: ${error.message}`,
    { protocolCode: error.code },
    { cause: error },
  );
}

export const disconnected = (message: string, cause?: unknown): DeviceError =>
  new DeviceError(
    DeviceErrorKind.Disconnected,
    message,
    undefined,
    cause === undefined ? undefined : { cause },
  );
