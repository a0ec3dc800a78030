// The message layer as the key sees it, shared by both links: request bytes in,
// response bytes out. Bytes the codec refuses still get a status answer (the
// firmware never sees them), so a malformed request can never hang a host.
import { decodeRequest, encodeResponse } from '../../device/protocol/message-codec';
import { Command, type Response } from '../../device/protocol/messages';
import { isProtocolError, ProtocolErrorCode } from '../../device/protocol/protocol-error';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeyFirmware } from './firmware';

const COMMANDS: ReadonlySet<number> = new Set(Object.values(Command));

/** The response to bytes that are not a valid request. */
export function refusal(bytes: Uint8Array, error: unknown): Response {
  const first = bytes[0];
  // The wire response has no command byte; this only types the decoded form.
  const command = first !== undefined && COMMANDS.has(first) ? (first as Command) : Command.GetInfo;
  const status =
    isProtocolError(error, ProtocolErrorCode.UnknownCommand) || bytes.length === 0
      ? DeviceErrorCode.ERR_UNKNOWN_MESSAGE
      : isProtocolError(error, ProtocolErrorCode.Overlong)
        ? DeviceErrorCode.ERR_MESSAGE_TOO_LONG
        : DeviceErrorCode.ERR_INVALID_PARAMETER;
  return { command, status };
}

/** Decodes, executes and encodes one request. Rejects only when the key lost power. */
export async function exchangeMessage(
  firmware: KeyFirmware,
  bytes: Uint8Array,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  let response: Response;
  try {
    const request = decodeRequest(bytes);
    response = await firmware.handle(request, signal);
  } catch (e) {
    if (!firmware.isPowered) throw e;
    response = refusal(bytes, e);
  }
  return encodeResponse(response);
}

/** A busy answer for a request that arrives while another is in progress on the same link. */
export function busyAnswer(bytes: Uint8Array): Uint8Array {
  const refused = refusal(bytes, undefined);
  return encodeResponse({ command: refused.command, status: DeviceErrorCode.ERR_DEVICE_BUSY });
}
