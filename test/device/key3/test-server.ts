// The test as HES on a Hideez Key 3's server channel (4): it sets up its own session
// with the key through the companion's serverChannel operation — RESET, VERIFY (its
// ephemeral key and nonce) → VERIFYREPLY, the root-key certificate (ROOTKEY) and both
// authenticity checks against the test vendor key — and then sends sealed commands
// (LINK, ACCESS, LOCKDEVICECODE, WIPE) as 'message' steps. The companion only moves
// the bytes, so every command that works proves the relay left them untouched.
import type { KeyConnection } from '../../../device/key/key-connection';
import {
  type KeyAnswer,
  KeyOp,
  type ServerChannelRequest,
} from '../../../device/key/key-operations';
import { startHostHandshake, verifyHandshake } from '../../../device/key3/crypto/handshake';
import type { Key3Session } from '../../../device/key3/crypto/session';
import { TEST_VENDOR_PUBLIC_KEY } from '../../../device/key3/crypto/vendor-keys';
import { sealedCall } from '../../../device/key3/driver/sealed-call';
import { Key3Command } from '../../../device/key3/protocol/command-codes';
import {
  access,
  link,
  lockDeviceCode,
  wipe,
  type Key3AccessParams,
} from '../../../device/key3/protocol/commands';
import { decodeReply, type Key3Reply } from '../../../device/key3/protocol/message';
import { requirementByte, type Requirement } from '../../../device/key3/protocol/requirements';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';

/** One step of the server channel on a given channel, as the companion answers it. */
export type ServerRelay = (channel: number, request: ServerChannelRequest) => Promise<KeyAnswer>;

export const HES_CHANNEL = 4;

/** The relay through the device manager (the app's path). */
export const relayThrough =
  (manager: DeviceManager, serialNo: string, timeoutMs = 3_000): ServerRelay =>
  (channel, request) =>
    manager.request(serialNo, { op: KeyOp.ServerChannel, channel, request }, { timeoutMs });

/** The relay straight through one opened key. */
export const relayOver =
  (connection: KeyConnection, timeoutMs = 3_000): ServerRelay =>
  (channel, request) =>
    connection.perform({ op: KeyOp.ServerChannel, channel, request }, { timeoutMs });

export class ServerChannelRefused extends Error {
  override readonly name = 'ServerChannelRefused';
  constructor(
    readonly status: DeviceErrorCode,
    step: string,
  ) {
    super(`the companion refused the server channel step ${step}: ${status}`);
  }
}

const NONE: Requirement = { bond: false, connect: false, channel: false };
const ON_CONNECT: Requirement = { bond: false, connect: true, channel: false };

export interface AccessProfile {
  readonly masterKey?: Requirement;
  readonly pin?: Requirement;
  readonly button?: Requirement;
  readonly pinMinLength?: number;
  readonly pinMaxTries?: number;
}

export class Key3TestServer {
  readonly masterKey = new Uint8Array(32).fill(0x5a);
  #session: Key3Session | undefined;

  constructor(
    private readonly relay: ServerRelay,
    readonly channel = HES_CHANNEL,
    private readonly vendorPublicKey: Uint8Array = TEST_VENDOR_PUBLIC_KEY,
  ) {}

  get isOpen(): boolean {
    return this.#session !== undefined;
  }

  /** The key's reply bytes for one step, or ServerChannelRefused. */
  async step(request: ServerChannelRequest): Promise<Uint8Array> {
    const answer = await this.relay(this.channel, request);
    if (answer.status !== DeviceErrorCode.OK)
      throw new ServerChannelRefused(answer.status, request.kind);
    if (!('reply' in answer)) throw new Error('a server channel answer without reply');
    return answer.reply;
  }

  /** RESET → VERIFY → ROOTKEY → certificate and signature checks (the SDK's VerifyAndInitialize). */
  async open(): Promise<void> {
    this.close();
    await this.step({ kind: 'reset' });
    const handshake = startHostHandshake(this.channel);
    const verified = decodeReply(
      await this.step({
        kind: 'verify',
        publicKey: handshake.hostPublicKey65,
        nonce: handshake.hostNonce,
      }),
      Key3Command.VERIFYREPLY,
    );
    if (!verified.ok) throw new Error(`VERIFY refused: ${verified.source}:${verified.error}`);
    const result = handshake.finish(verified.payload);
    try {
      const rootKey = decodeReply(await this.step({ kind: 'rootKey' }), Key3Command.ROOTKEY);
      if (!rootKey.ok) throw new Error('no root key');
      verifyHandshake(result, rootKey.payload, this.vendorPublicKey);
    } catch (error) {
      result.session.destroy();
      throw error;
    }
    this.#session = result.session;
  }

  /** One sealed command on the server's own session (opened first if needed). */
  async call(plain: Uint8Array): Promise<Key3Reply> {
    if (!this.#session) await this.open();
    const session = this.#session;
    if (!session) throw new Error('no session');
    return sealedCall(session, plain, (sealed) => this.step({ kind: 'message', data: sealed }));
  }

  /** LINK: the key becomes locked by this activation code (first activation). */
  link(code: string, attempts = 3): Promise<Key3Reply> {
    return this.call(link(this.masterKey, ascii(code), attempts));
  }

  /** LOCKDEVICECODE: a new activation code (suspension). */
  lockDeviceCode(code: string, attempts = 3): Promise<Key3Reply> {
    return this.call(lockDeviceCode(this.masterKey, ascii(code), attempts));
  }

  /** ACCESS: the requirements (default: none) and PIN rules. */
  access(profile: AccessProfile = {}): Promise<Key3Reply> {
    const params: Key3AccessParams = {
      masterKeyReq: requirementByte(profile.masterKey ?? NONE),
      pinReq: requirementByte(profile.pin ?? NONE),
      buttonReq: requirementByte(profile.button ?? NONE),
      pinMinLength: profile.pinMinLength ?? 4,
      pinMaxTries: profile.pinMaxTries ?? 5,
      unixTime: 1_700_000_000,
      masterKeyExpiry: 0,
      pinExpiry: 0,
      buttonExpiry: 0,
      masterKey: this.masterKey,
    };
    return this.call(access(params));
  }

  wipe(): Promise<Key3Reply> {
    return this.call(wipe(this.masterKey));
  }

  close(): void {
    this.#session?.destroy();
    this.#session = undefined;
  }
}

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The button asked for once per connection. */
export const BUTTON_ON_CONNECT: AccessProfile = { button: ON_CONNECT };
/** The PIN asked for once per connection (a first PIN must be set). */
export const PIN_ON_CONNECT: AccessProfile = { pin: ON_CONNECT };

/** An OK reply or a thrown error naming the key's refusal. */
export function expectOk(reply: Key3Reply): void {
  if (!reply.ok) throw new Error(`the key refused: ${reply.source}:${reply.error}`);
}
