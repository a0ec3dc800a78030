// The remote vault channel (hes-contract.md §4.7, §5.2). On the server's
// EstablishRemoteHwVaultConnection(serial, 4) we open `<server>/deviceHub` with the
// DeviceId and WorkstationId headers; each SendRemoteCommand buffer goes to the
// key's RemoteCommand on channel 4 and the key's reply goes back in
// RemoteCommandResponse. The bytes are sealed between the server and the key: this
// module passes them through unread, and never logs or reports them.
import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import {
  DEVICE_ID_HEADER,
  HES_REMOTE_CHANNEL,
  WORKSTATION_ID_HEADER,
  type MessageBufferDto,
} from '../../shared/hes/dto';
import { decodeBase64, encodeBase64 } from './base64';
import { encryptedRequest } from './dto-validators';
import { readOk } from './envelope';
import { isHesError } from './hes-error';
import { buildHubConnection, type HubLog } from './hub-connection-factory';
import { invokeWithLimits } from './invoke';
import type { ServerUrl } from './server-url';
import { ShapeError } from './shape';

/** The key's remote-channel command: sealed bytes in, sealed bytes out. */
export type RelayFunction = (
  serialNo: string,
  sealed: Uint8Array,
  signal: AbortSignal,
) => Promise<Uint8Array>;

export const DeviceHubMethod = {
  SendRemoteCommand: 'SendRemoteCommand',
  RemoteCommandResponse: 'RemoteCommandResponse',
  SendVerifyCommand: 'SendVerifyCommand',
  VerifyCommandResponse: 'VerifyCommandResponse',
  SendGetRootKeyCommand: 'SendGetRootKeyCommand',
  GetRootKeyCommandResponse: 'GetRootKeyCommandResponse',
  SendResetChannel: 'SendResetChannel',
  SendControlRemoteCommand: 'SendControlRemoteCommand',
} as const;

export type RelayEvent =
  | { readonly type: 'channelOpened'; readonly serialNo: string }
  | { readonly type: 'channelClosed'; readonly serialNo: string }
  | { readonly type: 'channelFailed'; readonly serialNo: string; readonly problem: string }
  /** A command the key did not answer; `problem` names the error, never the bytes. */
  | { readonly type: 'relayFailed'; readonly serialNo: string; readonly problem: string };

export interface DeviceHubRelayOptions {
  readonly url: ServerUrl;
  readonly workstationId: string;
  readonly callTimeoutMs: number;
  readonly relay: RelayFunction;
  readonly onEvent: (event: RelayEvent) => void;
  readonly serverTimeoutMs?: number;
  readonly keepAliveMs?: number;
  readonly log?: HubLog;
}

interface VaultChannel {
  readonly connection: HubConnection;
  readonly abort: AbortController;
  /** Commands run one after another, as the key handles them. */
  queue: Promise<void>;
}

const MAX_PROBLEM_CHARS = 200;

/** The error's stable code and message, cut short: what the server's log may see. */
function problemOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = typeof code === 'string' || typeof code === 'number' ? `${code}: ` : '';
    return `${text}${error.message}`.slice(0, MAX_PROBLEM_CHARS);
  }
  return 'relay failed';
}

export class DeviceHubRelay {
  private readonly channels = new Map<string, VaultChannel>();
  private closed = false;

  constructor(private readonly options: DeviceHubRelayOptions) {}

  /** Serials with an open channel. */
  openChannels(): readonly string[] {
    return [...this.channels.keys()];
  }

  /** The server's EstablishRemoteHwVaultConnection: (re)opens the vault's channel. */
  async open(serialNo: string): Promise<void> {
    if (this.closed) return;
    await this.close(serialNo);
    const abort = new AbortController();
    const connection = this.build(serialNo);
    const channel: VaultChannel = { connection, abort, queue: Promise.resolve() };
    this.channels.set(serialNo, channel);
    connection.on(DeviceHubMethod.SendRemoteCommand, (request: unknown) => {
      channel.queue = channel.queue.then(() => this.command(serialNo, channel, request));
    });
    // Our sealed channel needs no cryptolib verification: refuse at once rather than
    // let the server wait out its 20 s set-up limit.
    connection.on(DeviceHubMethod.SendVerifyCommand, () => {
      this.answerUnsupported(channel, DeviceHubMethod.VerifyCommandResponse);
    });
    connection.on(DeviceHubMethod.SendGetRootKeyCommand, () => {
      this.answerUnsupported(channel, DeviceHubMethod.GetRootKeyCommandResponse);
    });
    connection.on(DeviceHubMethod.SendResetChannel, () => undefined);
    connection.on(DeviceHubMethod.SendControlRemoteCommand, () => undefined);
    connection.onclose(() => this.forget(serialNo, channel));
    try {
      await connection.start();
    } catch (e) {
      this.forget(serialNo, channel, false);
      this.options.onEvent({ type: 'channelFailed', serialNo, problem: problemOf(e) });
      return;
    }
    if (this.channels.get(serialNo) !== channel) {
      await connection.stop();
      return;
    }
    this.options.onEvent({ type: 'channelOpened', serialNo });
  }

  /** Tears down one vault's channel (key disconnected, or the server is done). */
  async close(serialNo: string): Promise<void> {
    const channel = this.channels.get(serialNo);
    if (channel === undefined) return;
    this.forget(serialNo, channel);
    await channel.connection.stop();
  }

  /** Tears down every channel (the AppHub dropped, or the client stops). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.channels.keys()].map((serial) => this.close(serial)));
  }

  /** Closes every channel and refuses new ones. */
  async dispose(): Promise<void> {
    this.closed = true;
    await this.closeAll();
  }

  private build(serialNo: string): HubConnection {
    const o = this.options;
    return buildHubConnection({
      url: o.url.deviceHub,
      headers: { [DEVICE_ID_HEADER]: serialNo, [WORKSTATION_ID_HEADER]: o.workstationId },
      negotiateTimeoutMs: o.callTimeoutMs,
      ...(o.serverTimeoutMs !== undefined ? { serverTimeoutMs: o.serverTimeoutMs } : {}),
      ...(o.keepAliveMs !== undefined ? { keepAliveMs: o.keepAliveMs } : {}),
      ...(o.log !== undefined ? { log: o.log } : {}),
    });
  }

  private forget(serialNo: string, channel: VaultChannel, announce = true): void {
    channel.abort.abort();
    if (this.channels.get(serialNo) !== channel) return;
    this.channels.delete(serialNo);
    if (announce) this.options.onEvent({ type: 'channelClosed', serialNo });
  }

  private async command(serialNo: string, channel: VaultChannel, raw: unknown): Promise<void> {
    if (channel.abort.signal.aborted) return;
    let channelNo = HES_REMOTE_CHANNEL;
    let reply: MessageBufferDto;
    let error = '';
    try {
      const request = encryptedRequest(raw);
      channelNo = request.buffer.channelNo;
      const sealed = decodeBase64(request.buffer.data);
      if (sealed === undefined) throw new ShapeError('request.buffer.data is not base64');
      const answer = await this.options.relay(serialNo, sealed, channel.abort.signal);
      reply = { data: encodeBase64(answer), channelNo };
    } catch (e) {
      error = e instanceof ShapeError ? `malformed request: ${e.message}` : problemOf(e);
      reply = { data: '', channelNo };
      this.options.onEvent({ type: 'relayFailed', serialNo, problem: error });
    }
    await this.respond(channel, DeviceHubMethod.RemoteCommandResponse, reply, error, serialNo);
  }

  private async respond(
    channel: VaultChannel,
    target: string,
    reply: unknown,
    error: string,
    serialNo?: string,
  ): Promise<void> {
    if (channel.connection.state !== HubConnectionState.Connected) return;
    try {
      readOk(
        target,
        await invokeWithLimits(
          channel.connection,
          target,
          [reply, error],
          this.options.callTimeoutMs,
        ),
      );
    } catch (e) {
      // An oversized reply is still answered, with an error, so the server does not wait.
      if (isHesError(e) && e.reason === 'messageTooLarge' && error === '') {
        await this.respond(
          channel,
          target,
          { data: '', channelNo: HES_REMOTE_CHANNEL },
          e.message,
          serialNo,
        );
        return;
      }
      if (serialNo !== undefined) {
        this.options.onEvent({ type: 'relayFailed', serialNo, problem: problemOf(e) });
      }
    }
  }

  private answerUnsupported(channel: VaultChannel, target: string): void {
    void this.respond(
      channel,
      target,
      { replyResult: '' },
      'unsupported: this companion relays the sealed remote channel only',
    );
  }
}
