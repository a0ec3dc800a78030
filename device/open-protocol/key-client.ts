// Typed messages over one Transport: the application speaks Request/Response/
// Event (device/protocol/messages.ts), the transport moves bytes. Whatever the
// key sends that the codec refuses becomes DeviceError Protocol, so callers of
// the device layer see one error family. Requests carry secrets (codes, PINs):
// neither the request nor the raw bytes ever go into an error.
import type { KeyInfo } from '../../shared/key/key-info';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { DeviceError, DeviceErrorKind } from '../errors/device-error';
import { decodeEvent, decodeResponse, encodeRequest } from '../protocol/message-codec';
import { Command, type Event, type Request, type Response } from '../protocol/messages';
import { type ProtocolError, isProtocolError } from '../protocol/protocol-error';
import type { ExchangeOptions, Transport } from '../transport/transport';

export interface KeyClientOptions {
  /**
   * Told about an event the key sent that could not be decoded (it is dropped).
   * Gets the codec's error (code and non-secret details) for logs.
   */
  readonly onMalformedEvent?: (error: ProtocolError) => void;
}

export class KeyClient {
  constructor(
    readonly transport: Transport,
    private readonly options: KeyClientOptions = {},
  ) {}

  /**
   * Sends one request and decodes the key's answer. A request the codec refuses
   * (e.g. a PIN longer than 64 bytes) rejects with the codec's ProtocolError
   * before anything is sent: that is the caller's input, not the key's. `encoded`: the
   * request's bytes, when the caller has encoded it already (checking it).
   */
  async request(
    request: Request,
    options: ExchangeOptions,
    encoded?: Uint8Array,
  ): Promise<Response> {
    const message = encoded ?? encodeRequest(request);
    const answer = await this.transport.exchange(message, options);
    try {
      return decodeResponse(request.command, answer);
    } catch (error) {
      throw malformed(error, 'The key sent a malformed answer', request.command);
    }
  }

  /** Reads the key's KeyInfo; a refusal (GetInfo never fails on a sane key) is a protocol error. */
  async getInfo(options: ExchangeOptions): Promise<KeyInfo> {
    const response = await this.request({ command: Command.GetInfo }, options);
    if (response.status === DeviceErrorCode.OK && 'info' in response) return response.info;
    throw new DeviceError(DeviceErrorKind.Protocol, 'The key refused GetInfo', {
      command: Command.GetInfo,
      status: response.status,
    });
  }

  /** Decoded events from the key; malformed ones are dropped, never thrown into the transport. */
  onEvent(listener: (event: Event) => void): () => void {
    return this.transport.onEvent((message) => {
      let event: Event;
      try {
        event = decodeEvent(message);
      } catch (error) {
        if (isProtocolError(error)) this.options.onMalformedEvent?.(error);
        return;
      }
      listener(event);
    });
  }
}

function malformed(error: unknown, message: string, command: number): DeviceError {
  const details: Record<string, string | number | boolean> = { command };
  if (isProtocolError(error)) {
    details['protocolCode'] = error.code;
    // The codec's details are plain, non-secret data (lengths, field names).
    for (const [key, value] of Object.entries(error.details ?? {})) details[key] ??= value;
  }
  return new DeviceError(DeviceErrorKind.Protocol, message, details, { cause: error });
}
