// A Hideez Key 3 behind the key-family seam. Each operation becomes the Key 3's own
// commands over the companion's secure channel (channel 1); the key's refusals
// (`E1 xx`) map into the one status catalogue; STATUS packets keep the key-state
// model current and carry the button; the key's CANCEL is a long press. The
// server's channel (HES: 4) is relayed untouched: its VERIFY and messages go to
// the key as the server built them, the root-key certificate comes from our own
// verified channel (the server cannot ask for it in its name), and a reset or a
// control packet is passed on only when it leaves our channel 1 alone.
//
// Where the reference leaves behaviour unknown the conservative choice is made and
// recorded in the trace: attempts after a wrong code or PIN are read back with
// GETINFO (the `E1 13` reply carries none); the first free licence slot is found by
// asking each slot (QUERYLICENSE), never guessed; a button wait sends nothing and
// waits for a STATUS whose button byte changes (or answers at once when the latest
// STATUS already says the key needs no button).
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { AccessFlagBit, type KeyInfo } from '../../../shared/key/key-info';
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type { KeyConnection, KeyFamily } from '../../key/key-connection';
import type { KeyEvent } from '../../key/key-events';
import {
  type KeyAnswer,
  KeyOp,
  type KeyOperation,
  LICENSE_MAX_BYTES,
} from '../../key/key-operations';
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import type { ExchangeOptions, TransportDescriptor } from '../../transport/transport';
import { enterPin, loadLicense, setPin, unlockDeviceCode } from '../protocol/commands';
import { Key3FirmwareError, toDeviceErrorCode } from '../protocol/errors';
import { checkCode, checkPin } from '../protocol/fields';
import type { Key3Reply } from '../protocol/message';
import type { Key3StatusPacket } from '../protocol/status';
import type { Key3PacketLink } from '../link/packet-link';
import { freeLicenseSlot } from './licence-slot';
import { readKey3Info } from './read-info';
import { KEY3_TIMEOUTS, type Key3SecureChannel } from './secure-channel';
import { relayServerChannelStep } from './server-channel';
import { accessOf, pressOf, stateUpdateOf } from './status-state';

interface ButtonWait {
  readonly resolve: (outcome: 'pressed' | 'cancelled') => void;
}

export class Key3Connection implements KeyConnection {
  readonly family: KeyFamily = 'key3';
  #info: KeyInfo;
  readonly #listeners = new Set<(event: KeyEvent) => void>();
  #lastStatus: Key3StatusPacket | undefined;
  #buttonWait: ButtonWait | undefined;
  /** The read-back after the server's messages is asked for and has not run yet (trace once). */
  #readBackAsked = false;

  constructor(
    readonly descriptor: TransportDescriptor,
    readonly info: KeyInfo,
    private readonly link: Key3PacketLink,
    /** Undefined in bootloader mode: nothing but the info is asked of such a key. */
    private readonly secure: Key3SecureChannel | undefined,
  ) {
    this.#info = info;
    // The STATUS that followed the set-up's GETINFO reached the link before this connection
    // listened: without it the first press after connecting would not count as a change.
    this.#lastStatus = link.lastStatus;
    link.onStatus((status) => this.#onStatus(status));
    link.onCancel(() => this.#onCancel());
  }

  get isOpen(): boolean {
    return this.link.isOpen;
  }

  check(operation: KeyOperation): void {
    switch (operation.op) {
      case KeyOp.UnlockWithCode:
        return checkCode(operation.code);
      case KeyOp.EnterPin:
        return checkPin('pin', operation.pin);
      case KeyOp.SetPin:
        checkPin('newPin', operation.newPin);
        if (operation.oldPin !== undefined) checkPin('oldPin', operation.oldPin);
        return;
      case KeyOp.LoadLicense:
        if (operation.data.length === 0 || operation.data.length > LICENSE_MAX_BYTES) {
          throw protocolError(ProtocolErrorCode.BadField, 'a licence is 1..1024 bytes', {
            field: 'data',
            length: operation.data.length,
          });
        }
        return;
      default:
        return;
    }
  }

  async perform(operation: KeyOperation, options: ExchangeOptions): Promise<KeyAnswer> {
    if (!this.secure) {
      if (operation.op === KeyOp.ReadInfo)
        return { op: operation.op, status: DeviceErrorCode.OK, info: this.#info };
      return { op: operation.op, status: DeviceErrorCode.ERR_BOOTLOADER_MODE };
    }
    const secure = this.secure;
    const signal = options.signal ? { signal: options.signal } : {};
    // Each of our own commands gets the reference's reply time (5 s), within the caller's;
    // the server's messages keep the caller's (the relay passes the SDK's 10 s for them).
    const limits = {
      timeoutMs: Math.min(options.timeoutMs, KEY3_TIMEOUTS.commandMs),
      ...signal,
    };
    switch (operation.op) {
      case KeyOp.ReadInfo:
        return {
          op: operation.op,
          status: DeviceErrorCode.OK,
          info: await this.#readInfo(secure, limits),
        };
      case KeyOp.UnlockWithCode: {
        const reply = await secure.call(unlockDeviceCode(operation.code), limits);
        if (reply.ok) return { op: operation.op, status: DeviceErrorCode.OK };
        return this.#wrongGuess(operation.op, reply, 'code', secure, limits);
      }
      case KeyOp.EnterPin: {
        const reply = await secure.call(enterPin(operation.pin), limits);
        if (reply.ok) return { op: operation.op, status: DeviceErrorCode.OK };
        return this.#wrongGuess(operation.op, reply, 'pin', secure, limits);
      }
      case KeyOp.SetPin: {
        const reply = await secure.call(setPin(operation.newPin, operation.oldPin), limits);
        if (reply.ok) return { op: operation.op, status: DeviceErrorCode.OK };
        return this.#wrongGuess(operation.op, reply, 'pin', secure, limits);
      }
      case KeyOp.WaitButton:
        return this.#waitButton(operation.timeoutMs, options);
      case KeyOp.LoadLicense:
        return this.#loadLicense(operation, secure, limits);
      case KeyOp.ServerChannel:
        if (operation.request.kind === 'message') this.#readBackAfterServer();
        return relayServerChannelStep(this.link, secure, operation.channel, operation.request, {
          timeoutMs: options.timeoutMs,
          ...signal,
        });
    }
  }

  onEvent(listener: (event: KeyEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onDisconnect(listener: (reason: DeviceError) => void): () => void {
    return this.link.onDisconnect(listener);
  }

  close(): Promise<void> {
    this.secure?.drop('closed');
    return this.link.close();
  }

  /**
   * A STATUS shows our channel's access bits only: the server's LockDeviceCode on a key already
   * locked by code (the administrator's Activate) changes its attempts and nothing STATUS
   * carries. So a server message asks for the key to be read back; the device manager runs
   * that read once the server's channel has gone quiet (one GETINFO per server session, none
   * when the workflow has read the key since: managed-key.ts).
   */
  #readBackAfterServer(): void {
    if (!this.#readBackAsked) {
      this.#readBackAsked = true;
      this.link.trace.record({
        kind: 'choice',
        unknown: 'whether STATUS shows what the server changed on the key',
        chosen: 'read the key back once the server channel is quiet',
      });
    }
    this.#emit({ kind: 'state', update: { refresh: true } });
  }

  async #readInfo(
    secure: Key3SecureChannel,
    limits: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<KeyInfo> {
    const info = await readKey3Info(secure, this.#info.mac, limits);
    this.#readBackAsked = false;
    if (info.serialNo !== this.info.serialNo) {
      throw new DeviceError(DeviceErrorKind.Protocol, 'The key reported another serial number');
    }
    this.#info = info;
    return info;
  }

  /**
   * A refused code or PIN. `E1 13` carries no attempts: they are read back (GETINFO)
   * so the user hears how many are left; the last one is reported as the lock.
   */
  async #wrongGuess(
    op: KeyOperation['op'],
    reply: Extract<Key3Reply, { ok: false }>,
    what: 'code' | 'pin',
    secure: Key3SecureChannel,
    limits: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<KeyAnswer> {
    const status = toDeviceErrorCode(reply.source, reply.error);
    const wrong = reply.source === 'firmware' && reply.error === Key3FirmwareError.WrongPinOrCode;
    const locked =
      reply.source === 'firmware' &&
      (reply.error === Key3FirmwareError.LockedByCode ||
        reply.error === Key3FirmwareError.LockedByPin);
    if (!wrong && !locked) return { op, status };
    this.link.trace.record({
      kind: 'choice',
      unknown: 'attempts left after a wrong code or PIN',
      chosen: 'read back with GETINFO',
    });
    const info = await this.#readInfo(secure, limits);
    this.#emit({
      kind: 'state',
      // The whole lock state the read gave: the host needs no read of its own after it.
      update: {
        access: info.access,
        lockedByCode: info.lockedByCode,
        lockedByPin: info.lockedByPin,
        pinAttemptsRemain: info.pinAttemptsRemain,
        canUnlock: info.canUnlock,
        unlockAttemptsRemain: info.unlockAttemptsRemain,
        codeLockReason: info.codeLockReason,
      },
    });
    if (what === 'code') {
      if (info.lockedByCode && info.canUnlock && info.unlockAttemptsRemain > 0 && wrong) {
        return {
          op,
          status: DeviceErrorCode.ERR_PIN_WRONG,
          attemptsRemain: info.unlockAttemptsRemain,
        };
      }
      return { op, status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE, attemptsRemain: 0 };
    }
    if (!info.lockedByPin && info.pinAttemptsRemain > 0 && wrong) {
      return { op, status: DeviceErrorCode.ERR_PIN_WRONG, attemptsRemain: info.pinAttemptsRemain };
    }
    return { op, status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN, attemptsRemain: 0 };
  }

  /** Nothing is sent: the key reports presses in its STATUS packets; a long press (CANCEL) cancels. */
  #waitButton(timeoutMs: number, options: ExchangeOptions): Promise<KeyAnswer> {
    const op = KeyOp.WaitButton;
    if (this.#buttonWait) return Promise.resolve({ op, status: DeviceErrorCode.ERR_DEVICE_BUSY });
    // A press that landed just before the wait is not lost: the key's latest STATUS already
    // says it needs no button (and is not locked), so there is nothing left to wait for.
    const access = accessOf(this.#lastStatus);
    if (
      access !== undefined &&
      (access & (AccessFlagBit.buttonRequired | AccessFlagBit.locked)) === 0
    ) {
      return Promise.resolve({ op, status: DeviceErrorCode.OK });
    }
    options.onKeepalive?.('upNeeded');
    return new Promise<KeyAnswer>((resolve, reject) => {
      const finish = (answer: KeyAnswer | DeviceError): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        stopLoss();
        if (this.#buttonWait === wait) this.#buttonWait = undefined;
        if (answer instanceof DeviceError) reject(answer);
        else resolve(answer);
      };
      const wait: ButtonWait = {
        resolve: (outcome) =>
          finish({
            op,
            status:
              outcome === 'pressed' ? DeviceErrorCode.OK : DeviceErrorCode.ERR_OPERATION_CANCELED,
          }),
      };
      const timer = setTimeout(
        () => finish({ op, status: DeviceErrorCode.ERR_TIMEOUT }),
        timeoutMs,
      );
      const onAbort = (): void =>
        finish(new DeviceError(DeviceErrorKind.Cancelled, 'The request was cancelled'));
      const stopLoss = this.link.onDisconnect((reason) => finish(reason));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#buttonWait = wait;
      if (options.signal?.aborted) onAbort();
    });
  }

  async #loadLicense(
    operation: Extract<KeyOperation, { op: typeof KeyOp.LoadLicense }>,
    secure: Key3SecureChannel,
    limits: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<KeyAnswer> {
    const op = operation.op;
    let slot = operation.slot;
    if (slot === undefined) {
      // The info read last may predate a lock (or an unlock) the key has reported since in
      // its STATUS, which says "locked" but not why: then it is read again before deciding.
      let info = this.#info;
      const access = accessOf(this.#lastStatus);
      if (
        access !== undefined &&
        ((access & AccessFlagBit.locked) !== 0) !== (info.lockedByCode || info.lockedByPin)
      ) {
        info = await this.#readInfo(secure, limits);
      }
      // A locked key refuses "first free" (hideez-client-behaviour.md §1.4): the host names one.
      if (info.lockedByCode) return { op, status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE };
      if (info.lockedByPin) return { op, status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN };
      this.link.trace.record({
        kind: 'choice',
        unknown: 'how the vendor host asks for the first free licence slot',
        chosen: 'QUERYLICENSE each slot; the first that holds no licence',
      });
      slot = await freeLicenseSlot(secure, limits);
      if (slot === undefined) return { op, status: DeviceErrorCode.ERR_STORAGE_FULL };
    }
    const reply = await secure.call(loadLicense(slot, operation.data), limits);
    return reply.ok
      ? { op, status: DeviceErrorCode.OK }
      : { op, status: toDeviceErrorCode(reply.source, reply.error) };
  }

  #onStatus(status: Key3StatusPacket): void {
    const previous = this.#lastStatus;
    this.#lastStatus = status;
    this.#emit({ kind: 'state', update: stateUpdateOf(previous, status) });
    const presses = pressOf(previous, status);
    if (presses !== undefined) {
      this.#emit({ kind: 'button', presses });
      this.#buttonWait?.resolve('pressed');
    }
  }

  #onCancel(): void {
    this.#buttonWait?.resolve('cancelled');
    this.#emit({ kind: 'longPress' });
  }

  #emit(event: KeyEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's bug is the listener's.
      }
    }
  }
}
