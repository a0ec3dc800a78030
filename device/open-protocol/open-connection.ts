// The open-protocol driver behind the key-family seam: each KeyOperation is one
// request of docs/protocol.md (command byte + CBOR map) over a Transport (USB
// CTAPHID or BLE GATT fragments), each answer and event mapped to the family-neutral
// forms. The server's channel steps map as server-channel.ts says (a sealed
// RemoteCommand, a VerifyChannel, a no-op reset; no root key or control).
import type { CodeLockReason, KeyInfo } from '../../shared/key/key-info';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { accessFlagsFromBits } from '../../shared/key/key-info';
import type { DeviceError } from '../errors/device-error';
import type { KeyConnection } from '../key/key-connection';
import type { KeyEvent } from '../key/key-events';
import { type KeyAnswer, KeyOp, type KeyOperation } from '../key/key-operations';
import { encodeRequest } from '../protocol/message-codec';
import {
  Command,
  type Event,
  KeyEvent as WireEvent,
  type Request,
  type Response,
} from '../protocol/messages';
import type { ExchangeOptions, Transport } from '../transport/transport';
import type { KeyClient } from './key-client';
import { serverChannelRequest, serverChannelWithoutExchange } from './server-channel';

export class OpenProtocolConnection implements KeyConnection {
  readonly family = 'open' as const;
  /** The last operation checked and its bytes: performing it next sends them as they are. */
  #checked: { readonly operation: KeyOperation; readonly message: Uint8Array } | undefined;

  constructor(
    readonly transport: Transport,
    readonly client: KeyClient,
    readonly info: KeyInfo,
  ) {}

  get descriptor(): Transport['descriptor'] {
    return this.transport.descriptor;
  }

  get isOpen(): boolean {
    return this.transport.isOpen;
  }

  check(operation: KeyOperation): void {
    const request = toRequest(operation);
    this.#takeChecked(undefined);
    this.#checked = request ? { operation, message: encodeRequest(request) } : undefined;
  }

  async perform(operation: KeyOperation, options: ExchangeOptions): Promise<KeyAnswer> {
    const checked = this.#takeChecked(operation);
    const request = toRequest(operation);
    if (!request) return withoutExchange(operation);
    return toAnswer(operation, await this.client.request(request, options, checked));
  }

  onEvent(listener: (event: KeyEvent) => void): () => void {
    return this.client.onEvent((event) => listener(toKeyEvent(event)));
  }

  onDisconnect(listener: (reason: DeviceError) => void): () => void {
    return this.transport.onDisconnect(listener);
  }

  close(): Promise<void> {
    this.#takeChecked(undefined);
    return this.transport.close();
  }

  /**
   * The checked bytes if they are `operation`'s. Bytes checked for another operation (one
   * checked since, cancelled while it waited, or sent over another link) are wiped: they may
   * hold a PIN or a code, and that operation is encoded again if it ever runs here.
   */
  #takeChecked(operation: KeyOperation | undefined): Uint8Array | undefined {
    const checked = this.#checked;
    this.#checked = undefined;
    if (!checked) return undefined;
    if (checked.operation === operation) return checked.message;
    checked.message.fill(0);
    return undefined;
  }
}

/** The open-protocol request for an operation; undefined when it needs no exchange. */
function toRequest(operation: KeyOperation): Request | undefined {
  switch (operation.op) {
    case KeyOp.ReadInfo:
      return { command: Command.GetInfo };
    case KeyOp.UnlockWithCode:
      return { command: Command.UnlockWithCode, code: operation.code };
    case KeyOp.EnterPin:
      return { command: Command.EnterPin, pin: operation.pin };
    case KeyOp.SetPin:
      return {
        command: Command.SetPin,
        newPin: operation.newPin,
        ...(operation.oldPin !== undefined ? { oldPin: operation.oldPin } : {}),
      };
    case KeyOp.WaitButton:
      return { command: Command.WaitButton, timeoutMs: operation.timeoutMs };
    case KeyOp.LoadLicense:
      return {
        command: Command.LoadLicense,
        data: operation.data,
        ...(operation.slot !== undefined ? { slot: operation.slot } : {}),
      };
    case KeyOp.ServerChannel:
      return serverChannelRequest(operation.channel, operation.request);
  }
}

/** An operation that needs no exchange: only server-channel steps our channel lacks. */
function withoutExchange(operation: KeyOperation): KeyAnswer {
  if (operation.op === KeyOp.ServerChannel) return serverChannelWithoutExchange(operation.request);
  return { op: operation.op, status: DeviceErrorCode.ERR_UNSUPPORTED };
}

function toAnswer(operation: KeyOperation, response: Response): KeyAnswer {
  if (response.status !== DeviceErrorCode.OK) {
    return {
      op: operation.op,
      status: response.status,
      ...('attemptsRemain' in response && response.attemptsRemain !== undefined
        ? { attemptsRemain: response.attemptsRemain }
        : {}),
    };
  }
  if ('info' in response)
    return { op: KeyOp.ReadInfo, status: DeviceErrorCode.OK, info: response.info };
  if ('sealed' in response) {
    return { op: KeyOp.ServerChannel, status: DeviceErrorCode.OK, reply: response.sealed };
  }
  if ('verifyReply' in response) {
    // The key's proof for the server: passed on untouched, the server checks it.
    return { op: KeyOp.ServerChannel, status: DeviceErrorCode.OK, reply: response.verifyReply };
  }
  if (operation.op === KeyOp.ReadInfo || operation.op === KeyOp.ServerChannel) {
    // The codec decodes by the request's command, so this cannot happen with a sane key.
    return { op: operation.op, status: DeviceErrorCode.ERR_UNKNOWN_MESSAGE };
  }
  return { op: operation.op, status: DeviceErrorCode.OK };
}

function toKeyEvent(event: Event): KeyEvent {
  switch (event.event) {
    case WireEvent.ButtonPressed:
      return { kind: 'button', presses: event.presses };
    case WireEvent.LongPress:
      return { kind: 'longPress' };
    case WireEvent.Battery:
      return { kind: 'state', update: { battery: event.battery } };
    case WireEvent.AccessChanged: {
      // With its lock detail the event is the whole lock state; a key that sends only the
      // flags leaves the attempts unknown: the manager reads the info again.
      const detail = event.lockDetail;
      return {
        kind: 'state',
        update: {
          access: accessFlagsFromBits(event.accessBits),
          lockedByCode: event.lockedByCode,
          lockedByPin: event.lockedByPin,
          ...(detail
            ? {
                canUnlock: detail.canUnlock,
                unlockAttemptsRemain: detail.unlockAttemptsRemain,
                pinAttemptsRemain: detail.pinAttemptsRemain,
                codeLockReason: detail.codeLockReason as CodeLockReason,
                ...(detail.pinSet !== undefined ? { pinSet: detail.pinSet } : {}),
              }
            : { refresh: true }),
        },
      };
    }
  }
}
