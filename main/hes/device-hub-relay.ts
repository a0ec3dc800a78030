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
//
// A second EstablishRemoteHwVaultConnection for a vault (HES asks again when a set-up
// failed) opens another device hub beside the first, and never closes the first: HES
// keeps the first hub's caller for the vault (DeviceRemoteConnections.OnDeviceHubConnected,
// GetOrAdd), and a device hub closing makes HES forget that the key is connected here
// (OnDeviceHubDisconnected), so every later operation would fail until the key came back.
// Each step is answered on the hub it came on. A vault's hubs close together, when the key
// goes, the AppHub drops or the client stops; past MAX_HUBS_PER_VAULT a further one is
// refused, so a runaway server cannot grow them without bound.
import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import type { ServerChannelRequest } from '../../device/key/key-operations';
import {
  DEVICE_ID_HEADER,
  WORKSTATION_ID_HEADER,
  type MessageBufferDto,
} from '../../shared/hes/dto';
import { encodeBase64 } from './base64';
import {
  bytesOf,
  DeviceHubMethod,
  problemOf,
  requestSize,
  type RelayEvent,
  type RelayFunction,
  type RelayStep,
} from './device-hub-contract';
import { byteArray, byteValue, controlRequest, encryptedRequest } from './dto-validators';
import { readOk } from './envelope';
import { isHesError } from './hes-error';
import { buildHubConnection, type HubLog } from './hub-connection-factory';
import { invokeWithLimits } from './invoke';
import type { ServerUrl } from './server-url';
import { ShapeError } from './shape';

export {
  DeviceHubMethod,
  type RelayEvent,
  type RelayFunction,
  type RelayStep,
} from './device-hub-contract';

/** HES's limit for a remote channel's set-up (DeviceRemoteConnections: 20 s, then 512). */
export const DEVICE_HUB_SETUP_MS = 20_000;

/** Device hubs one vault may hold open at once (HES uses the first; the rest are its retries). */
export const MAX_HUBS_PER_VAULT = 4;

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

export class DeviceHubRelay {
  /** Each vault's open device hubs, oldest first. */
  private readonly channels = new Map<string, VaultChannel[]>();
  private closed = false;

  constructor(private readonly options: DeviceHubRelayOptions) {}

  /** Serials with an open channel. */
  openChannels(): readonly string[] {
    return [...this.channels.keys()];
  }

  /** How many device hubs a vault holds open. */
  hubCount(serialNo: string): number {
    return this.channels.get(serialNo)?.length ?? 0;
  }

  /**
   * The server's EstablishRemoteHwVaultConnection(serial, channel): opens a device hub for the
   * vault, beside any it already has (see the note at the top of this file).
   */
  async open(serialNo: string, channelNo: number): Promise<void> {
    if (this.closed) return;
    const hubs = this.channels.get(serialNo) ?? [];
    if (hubs.length >= MAX_HUBS_PER_VAULT) {
      this.options.onEvent({
        type: 'channelFailed',
        serialNo,
        problem: `the vault already holds ${hubs.length} device hubs`,
      });
      return;
    }
    const abort = new AbortController();
    const connection = this.build(serialNo);
    const channel: VaultChannel = {
      connection,
      abort,
      queue: Promise.resolve(),
      serverChannel: channelNo,
    };
    this.channels.set(serialNo, [...hubs, channel]);
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
    if (!this.holds(serialNo, channel)) {
      await connection.stop();
      return;
    }
    this.options.onEvent({ type: 'channelOpened', serialNo });
  }

  /** Tears down a vault's device hubs (its key disconnected, or the server is done). */
  async close(serialNo: string): Promise<void> {
    const hubs = this.channels.get(serialNo);
    if (hubs === undefined) return;
    for (const channel of hubs) this.forget(serialNo, channel);
    await Promise.all(hubs.map((channel) => channel.connection.stop()));
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

  private holds(serialNo: string, channel: VaultChannel): boolean {
    return this.channels.get(serialNo)?.includes(channel) ?? false;
  }

  private forget(serialNo: string, channel: VaultChannel, announce = true): void {
    channel.abort.abort();
    const hubs = this.channels.get(serialNo);
    if (hubs === undefined || !hubs.includes(channel)) return;
    const rest = hubs.filter((hub) => hub !== channel);
    if (rest.length === 0) this.channels.delete(serialNo);
    else this.channels.set(serialNo, rest);
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
