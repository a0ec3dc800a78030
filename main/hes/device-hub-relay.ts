// The remote vault channel (hes-contract.md §4.7, §5.2). On the server's
// EstablishRemoteHwVaultConnection(serial, channel) we open `<server>/deviceHub`
// with the DeviceId and WorkstationId headers and carry the server's own channel to
// the key, step by step, in the order the server sends them: SendResetChannel →
// the key's RESET; SendVerifyCommand → the key's VERIFY, answered with
// VerifyCommandResponse; SendGetRootKeyCommand → the key's root-key certificate,
// answered with GetRootKeyCommandResponse; each SendRemoteCommand buffer → one
// message on the server's channel, answered with RemoteCommandResponse;
// SendControlRemoteCommand → a control packet. The channel number is the server's (from
// EstablishRemoteHwVaultConnection, then from each reset or verify); whether the key takes
// it is the key driver's call. HES gives up a set-up after 20 s, so the device hub must
// connect within that time. The bytes are protected between the server and the key: this
// module passes them through unread, and reports only each step's sizes and time, or
// which step failed and why.
import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import type { ServerChannelRequest } from '../../device/key/key-operations';
import {
  DEVICE_ID_HEADER,
  WORKSTATION_ID_HEADER,
  type MessageBufferDto,
} from '../../shared/hes/dto';
import { decodeBase64, encodeBase64 } from './base64';
import { byteArray, byteValue, controlRequest, encryptedRequest } from './dto-validators';
import { readOk } from './envelope';
import { isHesError } from './hes-error';
import { buildHubConnection, type HubLog } from './hub-connection-factory';
import { invokeWithLimits } from './invoke';
import type { ServerUrl } from './server-url';
import { ShapeError } from './shape';

/** One step of the server's channel to a key: the key's reply, untouched (empty for a reset). */
export type RelayFunction = (
  serialNo: string,
  channel: number,
  request: ServerChannelRequest,
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
  /** A step the key answered: its size each way and how long the key took (never the bytes). */
  | {
      readonly type: 'relayed';
      readonly serialNo: string;
      readonly step: RelayStep;
      readonly requestBytes: number;
      readonly replyBytes: number;
      readonly ms: number;
    }
  /** A step the key did not answer; `problem` names the error, never the bytes. */
  | {
      readonly type: 'relayFailed';
      readonly serialNo: string;
      readonly problem: string;
      /** Which step of the server's channel failed. */
      readonly step?: RelayStep;
    };

/** The steps of the server's channel, as the relay names them in its events. */
export type RelayStep = 'message' | 'verify' | 'rootKey' | 'reset' | 'control';

/** HES's limit for a remote channel's set-up (DeviceRemoteConnections: 20 s, then 512). */
export const DEVICE_HUB_SETUP_MS = 20_000;

export interface DeviceHubRelayOptions {
  readonly url: ServerUrl;
  readonly workstationId: string;
  readonly callTimeoutMs: number;
  readonly relay: RelayFunction;
  readonly onEvent: (event: RelayEvent) => void;
  /** How long the device hub may take to connect (default DEVICE_HUB_SETUP_MS). */
  readonly setupTimeoutMs?: number;
  readonly serverTimeoutMs?: number;
  readonly keepAliveMs?: number;
  readonly log?: HubLog;
}

interface VaultChannel {
  readonly connection: HubConnection;
  readonly abort: AbortController;
  /** Steps run one after another, in the order the server sent them, as the key handles them. */
  queue: Promise<void>;
  /** The channel the server named: in EstablishRemoteHwVaultConnection, then its last reset or verify. */
  serverChannel: number;
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

  /** The server's EstablishRemoteHwVaultConnection(serial, channel): (re)opens the vault's channel. */
  async open(serialNo: string, channelNo: number): Promise<void> {
    if (this.closed) return;
    await this.close(serialNo);
    const abort = new AbortController();
    const connection = this.build(serialNo);
    const channel: VaultChannel = {
      connection,
      abort,
      queue: Promise.resolve(),
      serverChannel: channelNo,
    };
    this.channels.set(serialNo, channel);
    const inOrder = (step: () => Promise<void>): void => {
      channel.queue = channel.queue.then(step, step);
    };
    connection.on(DeviceHubMethod.SendRemoteCommand, (request: unknown) => {
      inOrder(() => this.command(serialNo, channel, request));
    });
    connection.on(
      DeviceHubMethod.SendVerifyCommand,
      (publicKey: unknown, nonce: unknown, channelNo: unknown) => {
        inOrder(() => this.verify(serialNo, channel, publicKey, nonce, channelNo));
      },
    );
    connection.on(DeviceHubMethod.SendGetRootKeyCommand, () => {
      inOrder(() => this.rootKey(serialNo, channel));
    });
    connection.on(DeviceHubMethod.SendResetChannel, (channelNo: unknown) => {
      inOrder(() => this.reset(serialNo, channel, channelNo));
    });
    connection.on(DeviceHubMethod.SendControlRemoteCommand, (request: unknown) => {
      inOrder(() => this.control(serialNo, channel, request));
    });
    connection.onclose(() => this.forget(serialNo, channel));
    const limitMs = this.options.setupTimeoutMs ?? DEVICE_HUB_SETUP_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.start(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the device hub did not connect within ${limitMs} ms`)),
            limitMs,
          );
        }),
      ]);
    } catch (e) {
      this.forget(serialNo, channel, false);
      // The server has given up on this set-up: a late connection must not linger.
      void connection.stop().catch(() => undefined);
      this.options.onEvent({ type: 'channelFailed', serialNo, problem: problemOf(e) });
      return;
    } finally {
      clearTimeout(timer);
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
    let channelNo = channel.serverChannel;
    let reply: MessageBufferDto;
    let error = '';
    try {
      const request = encryptedRequest(raw);
      channelNo = request.buffer.channelNo;
      const data = bytesOf(request.buffer.data, 'request.buffer.data');
      const answer = await this.step(serialNo, channel, channelNo, { kind: 'message', data });
      reply = { data: encodeBase64(answer), channelNo };
    } catch (e) {
      error = this.failed(serialNo, 'message', e);
      reply = { data: '', channelNo };
    }
    await this.respond(channel, DeviceHubMethod.RemoteCommandResponse, reply, error, serialNo);
  }

  /** SendVerifyCommand: the key's VERIFY on the server's channel; its reply in VerifyCommandResponse. */
  private async verify(
    serialNo: string,
    channel: VaultChannel,
    rawKey: unknown,
    rawNonce: unknown,
    rawChannel: unknown,
  ): Promise<void> {
    if (channel.abort.signal.aborted) return;
    let replyResult = '';
    let error = '';
    try {
      const channelNo = byteValue(rawChannel, 'verifyChannelNo');
      const publicKey = bytesOf(byteArray(rawKey, 'pubKeyH'), 'pubKeyH');
      const nonce = bytesOf(byteArray(rawNonce, 'nonceH'), 'nonceH');
      channel.serverChannel = channelNo;
      const answer = await this.step(serialNo, channel, channelNo, {
        kind: 'verify',
        publicKey,
        nonce,
      });
      replyResult = encodeBase64(answer);
    } catch (e) {
      error = this.failed(serialNo, 'verify', e);
    }
    await this.respond(
      channel,
      DeviceHubMethod.VerifyCommandResponse,
      { replyResult },
      error,
      serialNo,
    );
  }

  /** SendGetRootKeyCommand: the key's root-key certificate, in GetRootKeyCommandResponse. */
  private async rootKey(serialNo: string, channel: VaultChannel): Promise<void> {
    if (channel.abort.signal.aborted) return;
    let replyResult = '';
    let error = '';
    try {
      const answer = await this.step(serialNo, channel, channel.serverChannel, {
        kind: 'rootKey',
      });
      replyResult = encodeBase64(answer);
    } catch (e) {
      error = this.failed(serialNo, 'rootKey', e);
    }
    await this.respond(
      channel,
      DeviceHubMethod.GetRootKeyCommandResponse,
      { replyResult },
      error,
      serialNo,
    );
  }

  /** SendResetChannel: the key drops the server channel's session. The server expects no answer. */
  private async reset(serialNo: string, channel: VaultChannel, raw: unknown): Promise<void> {
    if (channel.abort.signal.aborted) return;
    try {
      const channelNo = byteValue(raw, 'verifyNo');
      channel.serverChannel = channelNo;
      await this.step(serialNo, channel, channelNo, { kind: 'reset' });
    } catch (e) {
      this.failed(serialNo, 'reset', e);
    }
  }

  /** SendControlRemoteCommand: a control packet for the key. The server expects no answer. */
  private async control(serialNo: string, channel: VaultChannel, raw: unknown): Promise<void> {
    if (channel.abort.signal.aborted) return;
    try {
      const data = bytesOf(controlRequest(raw).data, 'request.data');
      await this.step(serialNo, channel, channel.serverChannel, { kind: 'control', data });
    } catch (e) {
      this.failed(serialNo, 'control', e);
    }
  }

  /** One step to the key, reported with its sizes and time only. */
  private async step(
    serialNo: string,
    channel: VaultChannel,
    channelNo: number,
    request: ServerChannelRequest,
  ): Promise<Uint8Array> {
    const started = performance.now();
    const reply = await this.options.relay(serialNo, channelNo, request, channel.abort.signal);
    this.options.onEvent({
      type: 'relayed',
      serialNo,
      step: request.kind,
      requestBytes: requestSize(request),
      replyBytes: reply.length,
      ms: Math.round(performance.now() - started),
    });
    return reply;
  }

  /** Reports a failed step (its name and the error's code, never bytes); the text for the server. */
  private failed(serialNo: string, step: RelayStep, e: unknown): string {
    const problem = e instanceof ShapeError ? `malformed request: ${e.message}` : problemOf(e);
    this.options.onEvent({ type: 'relayFailed', serialNo, problem, step });
    return problem;
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
        const empty =
          target === DeviceHubMethod.RemoteCommandResponse
            ? { data: '', channelNo: channel.serverChannel }
            : { replyResult: '' };
        await this.respond(channel, target, empty, e.message, serialNo);
        return;
      }
      if (serialNo !== undefined) {
        this.options.onEvent({ type: 'relayFailed', serialNo, problem: problemOf(e) });
      }
    }
  }
}

function bytesOf(base64: string, path: string): Uint8Array {
  const bytes = decodeBase64(base64);
  if (bytes === undefined) throw new ShapeError(`${path} is not base64`);
  return bytes;
}

/** The bytes a step carries to the key. */
function requestSize(request: ServerChannelRequest): number {
  switch (request.kind) {
    case 'message':
    case 'control':
      return request.data.length;
    case 'verify':
      return request.publicKey.length + request.nonce.length;
    case 'reset':
    case 'rootKey':
      return 0;
  }
}
