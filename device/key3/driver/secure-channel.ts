// The companion's own secure session with a Key 3 (channel 1, reference §4.2–§4.3):
// RESET → VERIFY → VERIFYREPLY → GETROOTKEY (the first encrypted request) →
// ROOTKEY, then the root-key certificate is checked against the vendor key and the
// handshake signature against the certified root key. Only then is the channel
// used. A failed set-up is tried once more after a RESET (the SDK's rule), except
// a failed authenticity check: that key is refused and never used.
//
// Every later request is sealed with the session and every reply authenticated
// (AES-CMAC) before it is decrypted. A reply that fails its MAC, repeats, or
// decrypts to something other than an answer to the request means the session
// is no longer shared with the key: it is dropped (keys wiped) with a typed error,
// and the next request sets up a new one. The session keys never leave this object.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import { isProtocolError, ProtocolErrorCode } from '../../protocol/protocol-error';
import { startHostHandshake, verifyHandshake } from '../crypto/handshake';
import type { Key3Session } from '../crypto/session';
import { Key3Command, replyCodeFor } from '../protocol/command-codes';
import { getRootKey } from '../protocol/commands';
import { decodeReply, plainErrorReply, type Key3Reply } from '../protocol/message';
import { resetPacket } from '../protocol/packets';
import { Key3FirmwareError } from '../protocol/errors';
import type { Key3Trace } from '../trace/key3-trace';
import type { ExchangeLimits, Key3PacketLink } from '../link/packet-link';

/** The SDK's reply timeouts (reference §1.3): a command 5 s, VERIFY 10 s, GETROOTKEY 2 s. */
export const KEY3_TIMEOUTS = { commandMs: 5_000, verifyMs: 10_000, rootKeyMs: 2_000 } as const;

/** Firmware errors that say the key has no session with us (it lost it, or never had it). */
const NO_SESSION: ReadonlySet<number> = new Set([
  Key3FirmwareError.NotInitialized,
  Key3FirmwareError.EncryptionRequired,
  Key3FirmwareError.NoEncryption,
]);

export class Key3SecureChannel {
  #session: Key3Session | undefined;
  #certificate: Uint8Array | undefined;
  #opening: Promise<void> | undefined;

  constructor(
    private readonly link: Key3PacketLink,
    readonly channel: number,
    private readonly vendorPublicKey: Uint8Array,
    private readonly trace: Key3Trace,
  ) {}

  /** The key's root-key certificate, verified at the last set-up. */
  get certificate(): Uint8Array | undefined {
    return this.#certificate;
  }

  get isOpen(): boolean {
    return this.#session !== undefined;
  }

  /** Sets up the session (once more after a RESET if the first try fails). */
  open(signal?: AbortSignal): Promise<void> {
    this.#opening ??= this.#openTwice(signal).finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  /**
   * Seals `plain`, sends it, authenticates and decrypts the reply and checks its
   * header. A key that no longer knows our session (it answers in plain "not
   * initialised" / "encryption required") gets a new one and the request once more.
   */
  async call(plain: Uint8Array, limits: ExchangeLimits): Promise<Key3Reply> {
    const command = ((plain[0] ?? 0) << 8) | (plain[1] ?? 0);
    for (let attempt = 0; ; attempt++) {
      if (!this.#session) await this.open(limits.signal);
      const session = this.#session;
      if (!session) throw this.#notOpen();
      const sealed = session.sealRequest(plain);
      this.#traceMessage('host→key', plain, true);
      let reply: Uint8Array;
      try {
        reply = await this.link.exchange(this.channel, sealed, limits);
      } catch (error) {
        // Timed out or cancelled mid-exchange: where the key's counter stands is unknown.
        if (!(error instanceof DeviceError && error.code === DeviceErrorKind.Disconnected)) {
          this.drop('exchange failed');
        }
        throw error;
      }
      const plainError = plainErrorReply(reply);
      if (plainError && !plainError.ok && plainError.source === 'firmware') {
        this.#traceReply(reply, false);
        if (NO_SESSION.has(plainError.error) && attempt === 0) {
          this.drop('the key has no session with us');
          continue;
        }
      }
      try {
        const opened = session.openReply(reply);
        const answer = decodeReply(opened, replyCodeFor(command));
        this.#traceReply(opened, true);
        return answer;
      } catch (error) {
        this.drop(isProtocolError(error) ? error.code : 'bad reply');
        throw sessionFailure(error);
      }
    }
  }

  /** Forgets the session (keys wiped); the next call sets up a new one. */
  drop(reason: string): void {
    if (!this.#session) return;
    this.#session.destroy();
    this.#session = undefined;
    this.trace.record({
      kind: 'link',
      event: 'sessionDropped',
      details: { channel: this.channel, reason },
    });
  }

  async #openTwice(signal: AbortSignal | undefined): Promise<void> {
    let last: unknown;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await this.#handshake(signal);
        return;
      } catch (error) {
        last = error;
        this.trace.record({
          kind: 'link',
          event: 'handshakeFailed',
          details: { channel: this.channel, attempt, reason: codeOf(error) },
        });
        if (isNotGenuine(error) || isFinal(error) || signal?.aborted) break;
      }
    }
    if (isNotGenuine(last)) {
      throw new DeviceError(
        DeviceErrorKind.NotGenuine,
        'This key failed the Hideez authenticity check and is not used',
        { check: isProtocolError(last) ? last.code : 'unknown' },
        { cause: last },
      );
    }
    if (last instanceof DeviceError) throw last;
    throw new DeviceError(
      DeviceErrorKind.OpenFailed,
      'The secure channel to the key could not be set up',
      { channel: this.channel, reason: codeOf(last) },
      { cause: last },
    );
  }

  async #handshake(signal: AbortSignal | undefined): Promise<void> {
    this.drop('new handshake');
    const limits = (timeoutMs: number): ExchangeLimits => ({
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    await this.link.sendControl(resetPacket(this.channel));
    const handshake = startHostHandshake(this.channel);
    this.#traceMessage('host→key', handshake.verifyMessage, false);
    const verifyReply = await this.link.exchange(
      this.channel,
      handshake.verifyMessage,
      limits(KEY3_TIMEOUTS.verifyMs),
    );
    this.#traceReply(verifyReply, false);
    const verified = decodeReply(verifyReply, Key3Command.VERIFYREPLY);
    if (!verified.ok) {
      throw new DeviceError(DeviceErrorKind.OpenFailed, 'The key refused the secure channel', {
        channel: this.channel,
        keyError: `${verified.source}:${verified.error}`,
      });
    }
    const result = handshake.finish(verified.payload);
    const session = result.session;
    try {
      const request = getRootKey();
      this.#traceMessage('host→key', request, true);
      const rootKeyReply = await this.link.exchange(
        this.channel,
        session.sealRequest(request),
        limits(KEY3_TIMEOUTS.rootKeyMs),
      );
      const opened = session.openReply(rootKeyReply);
      this.#traceReply(opened, true);
      const rootKey = decodeReply(opened, Key3Command.ROOTKEY);
      if (!rootKey.ok) {
        throw new DeviceError(DeviceErrorKind.OpenFailed, 'The key refused its certificate', {
          channel: this.channel,
          keyError: `${rootKey.source}:${rootKey.error}`,
        });
      }
      verifyHandshake(result, rootKey.payload, this.vendorPublicKey);
      this.#certificate = rootKey.payload;
      this.#session = session;
      this.trace.record({
        kind: 'link',
        event: 'channelVerified',
        details: { channel: this.channel },
      });
    } catch (error) {
      session.destroy();
      throw error;
    }
  }

  #notOpen(): DeviceError {
    return new DeviceError(DeviceErrorKind.Protocol, 'The secure channel is not open', {
      channel: this.channel,
    });
  }

  #traceMessage(dir: 'host→key' | 'key→host', plain: Uint8Array, encrypted: boolean): void {
    this.trace.record({
      kind: 'message',
      dir,
      channel: this.channel,
      code: hexCode(plain),
      payloadBytes: ((plain[2] ?? 0) << 8) | (plain[3] ?? 0),
      encrypted,
    });
  }

  #traceReply(plain: Uint8Array, encrypted: boolean): void {
    const error = plain[0] === 0xe1 || plain[0] === 0xe2;
    this.trace.record({
      kind: 'message',
      dir: 'key→host',
      channel: this.channel,
      code: error
        ? `${(plain[0] ?? 0).toString(16)}${(plain[1] ?? 0).toString(16).padStart(2, '0')}`
        : hexCode(plain),
      payloadBytes: error ? 0 : ((plain[2] ?? 0) << 8) | (plain[3] ?? 0),
      encrypted,
    });
  }
}

const hexCode = (plain: Uint8Array): string =>
  `${(plain[0] ?? 0).toString(16).padStart(2, '0')}${(plain[1] ?? 0).toString(16).padStart(2, '0')}`;

const isNotGenuine = (error: unknown): boolean =>
  isProtocolError(error, ProtocolErrorCode.BadCertificate) ||
  isProtocolError(error, ProtocolErrorCode.BadSignature);

/** The link is gone or the caller gave up: no point in a second try. */
const isFinal = (error: unknown): boolean =>
  error instanceof DeviceError &&
  (error.code === DeviceErrorKind.Disconnected || error.code === DeviceErrorKind.Cancelled);

const codeOf = (error: unknown): string =>
  error instanceof DeviceError || isProtocolError(error)
    ? (error as { code: string }).code
    : 'error';

/** A reply the session refused, as the device layer's error (no bytes, no keys). */
function sessionFailure(error: unknown): DeviceError {
  return new DeviceError(
    DeviceErrorKind.Protocol,
    isProtocolError(error, ProtocolErrorCode.BadSeal)
      ? 'A reply from the key did not authenticate; the secure channel was dropped'
      : isProtocolError(error, ProtocolErrorCode.Replay)
        ? 'A reply from the key was a replay; the secure channel was dropped'
        : 'A reply from the key did not fit the secure channel; it was dropped',
    isProtocolError(error) ? { protocolError: error.code } : undefined,
    { cause: error },
  );
}
