// The key's firmware: executes each local Request and each sealed RemoteOp
// against the persistent state, and enforces the rules itself, so a buggy or
// malicious host can never get more activation-code or PIN guesses than the
// server allowed.
//
// Rules worth knowing (emulator/key/README.md has the full table):
// - An activation code is applied in one write: the attempt and its outcome
//   (unlocked, or one attempt fewer) reach the file together, before the key
//   answers. Power or the link lost before that write spends nothing and the host
//   learns nothing (no answer); after it, the outcome stands. A right code in
//   flight never costs an attempt without unlocking.
// - PIN attempts are counted before they are checked: the decremented counter is
//   persisted, then the PIN is compared, then (if right) the counter is restored.
// - LockDeviceCode (suspension) also clears a PIN lock and the PIN itself: the
//   admin's new activation code is the way out of a PIN lockout, and the user
//   then sets a new PIN (newPinRequired) instead of being handed the old one
//   with fresh tries.
// - Wipe returns the key to blank but keeps the factory provisioning and the last
//   remote counter, so a sealed command from before the wipe cannot be replayed.
// - Every request from every link runs on one queue (SerialQueue).
import {
  Command,
  type CommandWithBody,
  KeyEvent,
  type Event,
  type Request,
  type Response,
} from '../../device/protocol/messages';
import { isProtocolError, ProtocolErrorCode } from '../../device/protocol/protocol-error';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import { accessFlagsToBits, type KeyInfo } from '../../shared/key/key-info';
import type { RemoteOp, RemoteReply } from '../remote-channel/ops';
import { channelVerifyReply } from '../remote-channel/channel-proof';
import { openCommand, sealReply } from '../remote-channel/seal';
import { KeyButton } from './button';
import { keyInfo } from './key-info-view';
import type { KeySession } from './key-session';
import {
  CODE_MAX_LENGTH,
  CODE_MIN_LENGTH,
  DEFAULT_PIN_MAX_TRIES,
  DEFAULT_PIN_MIN_LENGTH,
  PIN_MAX_LENGTH,
  type KeyState,
} from './key-state';
import { isKeyStateError, KeyStateError, KeyStateErrorCode } from './key-state-error';
import { DEFAULT_HASH_COST, hashSecret, verifySecret } from './secret-hash';
import {
  executeRemoteOp,
  lockedStatusOf,
  type FailStatus,
  type RemoteOpOutcome,
} from './remote-ops';
import { SerialQueue } from './serial-queue';
import { KeyStateStore, removeStaleTemps } from './state-store';

/** The remote channel the server uses (HES DefaultDeviceChannel.HES). */
export const SERVER_CHANNEL = 4;
/** WaitButton accepts 1 ms to 5 min. */
export const MAX_BUTTON_TIMEOUT_MS = 300_000;

type PlainCommand = Exclude<Command, CommandWithBody>;

export interface FirmwareOptions {
  /** scrypt cost for new code/PIN/master-key hashes (tests use a small one). */
  readonly hashCost?: number;
  /** The firmware clock in ms (default Date.now). */
  readonly now?: () => number;
  /**
   * Fault-injection probe: called right after each state change reaches the file.
   * Tests cut power from here to prove an attempt is paid for before it is checked.
   */
  readonly onCommit?: (state: KeyState) => void;
  /**
   * A press confirms the button whenever the key asks for it, not only while a
   * WaitButton waits. Default: on a Hideez Key 3, which has no such command and
   * reports presses in its STATUS packets (emulator/key3).
   */
  readonly confirmOnAnyPress?: boolean;
}

export type FirmwareEventListener = (event: Event) => void;

const fail = (command: Command, status: FailStatus, attemptsRemain?: number): Response =>
  attemptsRemain === undefined ? { command, status } : { command, status, attemptsRemain };
const ok = (command: PlainCommand): Response => ({ command, status: DeviceErrorCode.OK });
const failReply = (status: FailStatus): RemoteReply => ({ status });

interface Snapshot {
  bits: number;
  lockedByCode: boolean;
  lockedByPin: boolean;
  canUnlock: boolean;
}

export class KeyFirmware {
  private current: KeyState;
  private session: KeySession = {};
  private powered = true;
  private readonly queue = new SerialQueue();
  private readonly button = new KeyButton();
  private readonly listeners = new Set<FirmwareEventListener>();
  private readonly hashCost: number;
  private readonly now: () => number;
  private readonly onCommit: ((state: KeyState) => void) | undefined;
  private readonly confirmOnAnyPress: boolean;

  private constructor(
    private readonly store: KeyStateStore,
    state: KeyState,
    options: FirmwareOptions,
  ) {
    this.current = state;
    this.hashCost = options.hashCost ?? DEFAULT_HASH_COST;
    this.now = options.now ?? Date.now;
    this.onCommit = options.onCommit;
    this.confirmOnAnyPress = options.confirmOnAnyPress ?? state.provisioning.key3 !== undefined;
  }

  /** Powers the key up: loads its state file (throws KeyStateError if missing or invalid). */
  static async boot(statePath: string, options: FirmwareOptions = {}): Promise<KeyFirmware> {
    const booted: { firmware?: KeyFirmware } = {};
    // The store asks the firmware at commit time whether it still has power.
    const store = new KeyStateStore(statePath, {
      beforeCommit: () => booted.firmware?.powered ?? false,
    });
    // A write cut short by a killed process left its temp file: drop it at boot.
    await removeStaleTemps(statePath);
    booted.firmware = new KeyFirmware(store, await store.load(), options);
    return booted.firmware;
  }

  get state(): KeyState {
    return this.current;
  }

  get isPowered(): boolean {
    return this.powered;
  }

  /** Some request is being processed or waiting (all links share one processor). */
  get busy(): boolean {
    return this.queue.busy;
  }

  get waitingForButton(): boolean {
    return this.button.waiting;
  }

  info(): KeyInfo {
    return keyInfo(this.current, this.session, this.now());
  }

  onEvent(listener: FirmwareEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Executes one request. `signal` is the host's cancel for this request (it
   * ends a WaitButton). Rejects only with KeyStateError PowerLost after powerOff().
   */
  handle(request: Request, signal?: AbortSignal): Promise<Response> {
    if (!this.powered) return Promise.reject(this.powerLost());
    return this.queue.run(async () => {
      this.checkPower();
      const before = this.snapshot();
      let response: Response;
      try {
        response = await this.dispatch(request, signal);
      } catch (e) {
        if (isKeyStateError(e, KeyStateErrorCode.PowerLost) || !this.powered)
          throw this.powerLost();
        // The state could not be written: the key refuses rather than act on unsaved state.
        response = fail(request.command, DeviceErrorCode.ERR_HARDWARE_FAULT);
      }
      this.checkPower();
      this.emitIfAccessChanged(before);
      return response;
    });
  }

  /** A short button press: confirms a waiting operation; always reported as an event. */
  pressButton(presses = 1): void {
    if (!this.powered) return;
    const before = this.confirmOnAnyPress ? this.snapshot() : undefined;
    const confirmed = this.button.press();
    if (confirmed || (this.confirmOnAnyPress && this.info().access.buttonRequired)) {
      this.session.buttonConfirmedAt = this.now();
    }
    this.emit({ event: KeyEvent.ButtonPressed, presses });
    // A WaitButton reports its own change when it ends; a Key 3's press has no request.
    if (before) this.emitIfAccessChanged(before);
  }

  /**
   * A server op over a Hideez Key 3's channel 4: that channel's own session carries
   * it (it authenticates the key; the master key authorises the op), so there is no
   * seal and no counter here. Same rules and persistence as a sealed RemoteCommand.
   * Rejects only with KeyStateError PowerLost after powerOff().
   */
  handleRemoteOp(op: RemoteOp): Promise<RemoteReply> {
    if (!this.powered) return Promise.reject(this.powerLost());
    return this.queue.run(async () => {
      this.checkPower();
      const before = this.snapshot();
      let reply: RemoteReply;
      try {
        const done = await this.executeOp(op);
        await this.persist(done.state);
        reply = done.reply ?? { status: DeviceErrorCode.OK, info: this.info() };
      } catch (e) {
        if (isKeyStateError(e, KeyStateErrorCode.PowerLost) || !this.powered)
          throw this.powerLost();
        reply = failReply(DeviceErrorCode.ERR_HARDWARE_FAULT);
      }
      this.checkPower();
      this.emitIfAccessChanged(before);
      return reply;
    });
  }

  /** A long press: the user cancels what the key is doing. */
  longPress(): void {
    if (!this.powered) return;
    this.button.longPress();
    this.emit({ event: KeyEvent.LongPress });
  }

  async setBattery(battery: number): Promise<void> {
    if (!Number.isInteger(battery) || battery < 0 || battery > 100) {
      throw new RangeError('battery must be an integer 0..100');
    }
    await this.queue.run(async () => {
      await this.persist({ ...this.current, battery });
    });
    this.emit({ event: KeyEvent.Battery, battery });
  }

  /** Power cut: in-flight requests stop at their next step and never answer. */
  powerOff(): void {
    this.powered = false;
    this.button.cancel();
    this.listeners.clear();
  }

  // ---- dispatch -------------------------------------------------------------

  private async dispatch(request: Request, signal: AbortSignal | undefined): Promise<Response> {
    switch (request.command) {
      case Command.GetInfo:
        return { command: Command.GetInfo, status: DeviceErrorCode.OK, info: this.info() };
      case Command.UnlockWithCode:
        return this.unlockWithCode(request.code);
      case Command.EnterPin:
        return this.enterPin(request.pin);
      case Command.SetPin:
        return this.setPin(request.newPin, request.oldPin);
      case Command.WaitButton:
        return this.waitButton(request.timeoutMs, signal);
      case Command.RemoteCommand:
        return this.remoteCommand(request.channel, request.sealed);
      case Command.LoadLicense:
        return this.loadLicense(request.data, request.slot);
      case Command.VerifyChannel:
        return this.verifyChannel(request.channel, request.nonce);
      default:
        return fail((request as { command: Command }).command, DeviceErrorCode.ERR_UNKNOWN_MESSAGE);
    }
  }

  private async unlockWithCode(code: Uint8Array): Promise<Response> {
    const cmd = Command.UnlockWithCode;
    const s = this.current;
    if (s.link === null) return fail(cmd, DeviceErrorCode.ERR_NOT_INITIALIZED);
    const lock = s.codeLock;
    if (lock === null) return fail(cmd, DeviceErrorCode.ERR_NOT_LOCKED);
    // Exhausted: refused without looking at the code, so even the right one fails.
    if (lock.attemptsRemain === 0) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE, 0);
    if (code.length < CODE_MIN_LENGTH || code.length > CODE_MAX_LENGTH) {
      return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
    }
    const right = await verifySecret(code, lock.code);
    this.checkPower();
    // One write holds the attempt and its outcome: power lost before it spends nothing
    // (and the host got no answer), after it the code counted, unlocking or not.
    const remain = lock.attemptsRemain - 1;
    await this.persist({ ...s, codeLock: right ? null : { ...lock, attemptsRemain: remain } });
    if (right) return ok(cmd);
    if (remain === 0) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE, 0);
    return fail(cmd, DeviceErrorCode.ERR_PIN_WRONG, remain);
  }

  /**
   * Stores a licence blob. Without a slot it takes the first free one, refused while
   * the key is locked, as the Hideez firmware does (hideez-client-behaviour.md §1.4);
   * with a slot it overwrites that one. The same blob twice is stored once, so a host
   * that loads again after losing the answer does not fill the slots.
   */
  private async loadLicense(data: Uint8Array, slot: number | undefined): Promise<Response> {
    const cmd = Command.LoadLicense;
    const s = this.current;
    const blob = Buffer.from(data).toString('base64');
    let target = slot;
    if (target === undefined) {
      if (s.codeLock !== null) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
      if (s.pin.lockedByPin) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN);
      if (s.licenses.includes(blob)) return ok(cmd);
      target = s.licenses.indexOf(null);
      if (target < 0) return fail(cmd, DeviceErrorCode.ERR_STORAGE_FULL);
    }
    const licenses = s.licenses.map((held, i) => (i === target ? blob : held));
    await this.persist({ ...s, licenses });
    return ok(cmd);
  }

  /** Common refusals for PIN commands; undefined when the PIN may be used. */
  private pinPrecheck(cmd: Command): Response | undefined {
    const s = this.current;
    if (s.link === null) return fail(cmd, DeviceErrorCode.ERR_NOT_INITIALIZED);
    if (s.codeLock !== null) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
    if (s.pin.lockedByPin) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN, 0);
    return undefined;
  }

  /** Checks a PIN, counting the attempt first; undefined when right. */
  private async consumePinAttempt(cmd: Command, pin: Uint8Array): Promise<Response | undefined> {
    const s = this.current;
    const hash = s.pin.hash;
    if (hash === null) return fail(cmd, DeviceErrorCode.ERR_PIN_NOT_SET);
    if (pin.length === 0 || pin.length > PIN_MAX_LENGTH)
      return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
    const remain = s.pin.attemptsRemain - 1;
    await this.persist({ ...s, pin: { hash, attemptsRemain: remain, lockedByPin: remain === 0 } });
    const right = await verifySecret(pin, hash);
    this.checkPower();
    if (right) {
      await this.persist({
        ...this.current,
        pin: { hash, attemptsRemain: this.pinMaxTries(), lockedByPin: false },
      });
      this.session.pinVerifiedAt = this.now();
      return undefined;
    }
    if (remain === 0) return fail(cmd, DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN, 0);
    return fail(cmd, DeviceErrorCode.ERR_PIN_WRONG, remain);
  }

  private async enterPin(pin: Uint8Array): Promise<Response> {
    const cmd = Command.EnterPin;
    return this.pinPrecheck(cmd) ?? (await this.consumePinAttempt(cmd, pin)) ?? ok(cmd);
  }

  private async setPin(newPin: Uint8Array, oldPin: Uint8Array | undefined): Promise<Response> {
    const cmd = Command.SetPin;
    const refused = this.pinPrecheck(cmd);
    if (refused) return refused;
    const minLength = this.current.profile?.pinMinLength ?? DEFAULT_PIN_MIN_LENGTH;
    if (newPin.length < minLength) return fail(cmd, DeviceErrorCode.ERR_PIN_TOO_SHORT);
    if (newPin.length > PIN_MAX_LENGTH) return fail(cmd, DeviceErrorCode.ERR_PIN_TOO_LONG);
    if (oldPin === undefined) {
      // Without the old PIN only the first PIN may be set.
      if (this.current.pin.hash !== null) return fail(cmd, DeviceErrorCode.ERR_ALREADY_INITIALIZED);
    } else {
      // Changing the PIN proves the old one, and that costs an attempt like EnterPin.
      const wrong = await this.consumePinAttempt(cmd, oldPin);
      if (wrong) return wrong;
    }
    const hash = await hashSecret(newPin, this.hashCost);
    this.checkPower();
    await this.persist({
      ...this.current,
      pin: { hash, attemptsRemain: this.pinMaxTries(), lockedByPin: false },
    });
    this.session.pinVerifiedAt = this.now();
    return ok(cmd);
  }

  private async waitButton(timeoutMs: number, signal: AbortSignal | undefined): Promise<Response> {
    const cmd = Command.WaitButton;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_BUTTON_TIMEOUT_MS) {
      return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
    }
    // A locked key confirms nothing: the button waits only on a blank or unlocked key.
    const locked = this.lockedStatus();
    if (locked) return fail(cmd, locked);
    const outcome = await this.button.wait(timeoutMs, signal);
    this.checkPower();
    if (outcome === 'pressed') return ok(cmd);
    return fail(
      cmd,
      outcome === 'timeout' ? DeviceErrorCode.ERR_TIMEOUT : DeviceErrorCode.ERR_OPERATION_CANCELED,
    );
  }

  // ---- the sealed remote channel ----------------------------------------------

  /** The seal secret for the server's channel, or the refusal of a command on `channel`. */
  private channelSecret(channel: number): Uint8Array | FailStatus {
    if (channel !== SERVER_CHANNEL) return DeviceErrorCode.ERR_INVALID_PARAMETER;
    // A Key 3 has no seal secret: its server channel is its own (handleRemoteOp).
    const secret = this.current.provisioning.secret;
    if (secret === undefined) return DeviceErrorCode.ERR_UNSUPPORTED;
    return new Uint8Array(Buffer.from(secret, 'base64'));
  }

  /**
   * Proves the provisioning secret to the server and tells it the last accepted counter.
   * Changes nothing, needs no authorisation and works locked or blank: the server
   * verifies its channel before any op, Link and LockDeviceCode included.
   */
  private verifyChannel(channel: number, nonce: Uint8Array): Response {
    const cmd = Command.VerifyChannel;
    const secret = this.channelSecret(channel);
    if (typeof secret === 'number') return fail(cmd, secret);
    const lastCounter = BigInt(this.current.remoteCounter);
    const verifyReply = channelVerifyReply(secret, channel, nonce, lastCounter);
    return { command: cmd, status: DeviceErrorCode.OK, verifyReply };
  }

  private async remoteCommand(channel: number, sealed: Uint8Array): Promise<Response> {
    const cmd = Command.RemoteCommand;
    const secret = this.channelSecret(channel);
    if (typeof secret === 'number') return fail(cmd, secret);
    let opened: { counter: bigint; op: RemoteOp };
    try {
      opened = openCommand(secret, sealed);
    } catch (e) {
      // Without an authentic counter there is nothing to seal a reply to: answer in plain.
      if (isProtocolError(e, ProtocolErrorCode.UnknownCommand))
        return fail(cmd, DeviceErrorCode.ERR_UNKNOWN_MESSAGE);
      if (
        isProtocolError(e, ProtocolErrorCode.BadField) ||
        isProtocolError(e, ProtocolErrorCode.BadCbor)
      ) {
        return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
      }
      return fail(cmd, DeviceErrorCode.ERR_BAD_SEAL);
    }
    const { counter, op } = opened;
    const last = BigInt(this.current.remoteCounter);
    if (counter <= last) {
      const reply: RemoteReply = { status: DeviceErrorCode.ERR_REPLAY, lastCounter: last };
      return {
        command: cmd,
        status: DeviceErrorCode.OK,
        sealed: sealReply(secret, counter, reply),
      };
    }
    const { state, reply } = await this.executeOp(op);
    // One atomic write: the counter advances together with the op's effect.
    await this.persist({ ...state, remoteCounter: counter.toString() });
    const finalReply: RemoteReply = reply ?? { status: DeviceErrorCode.OK, info: this.info() };
    return {
      command: cmd,
      status: DeviceErrorCode.OK,
      sealed: sealReply(secret, counter, finalReply),
    };
  }

  /** The op's new state and its reply (remote-ops.ts). */
  private executeOp(op: RemoteOp): Promise<RemoteOpOutcome> {
    return executeRemoteOp(op, {
      state: this.current,
      hashCost: this.hashCost,
      now: this.now,
      checkPower: () => this.checkPower(),
      endSession: () => {
        this.session = {};
      },
      masterKeyChecked: () => {
        this.session.masterKeyCheckedAt = this.now();
      },
    });
  }

  private lockedStatus(): FailStatus | undefined {
    return lockedStatusOf(this.current);
  }

  private pinMaxTries(): number {
    return this.current.profile?.pinMaxTries ?? DEFAULT_PIN_MAX_TRIES;
  }

  // ---- state, power, events -----------------------------------------------------

  private async persist(next: KeyState): Promise<void> {
    this.checkPower();
    await this.store.save(next);
    this.current = next;
    this.onCommit?.(next);
    this.checkPower();
  }

  private checkPower(): void {
    if (!this.powered) throw this.powerLost();
  }

  private powerLost(): KeyStateError {
    return new KeyStateError(KeyStateErrorCode.PowerLost, 'The key lost power', {
      serialNo: this.current.provisioning.serialNo,
    });
  }

  private snapshot(): Snapshot {
    const info = this.info();
    return {
      bits: accessFlagsToBits(info.access),
      lockedByCode: info.lockedByCode,
      lockedByPin: info.lockedByPin,
      canUnlock: info.canUnlock,
    };
  }

  private emitIfAccessChanged(before: Snapshot): void {
    const after = this.snapshot();
    if (
      after.bits !== before.bits ||
      after.lockedByCode !== before.lockedByCode ||
      after.lockedByPin !== before.lockedByPin ||
      after.canUnlock !== before.canUnlock
    ) {
      this.emit({
        event: KeyEvent.AccessChanged,
        accessBits: after.bits,
        lockedByCode: after.lockedByCode,
        lockedByPin: after.lockedByPin,
      });
    }
  }

  private emit(event: Event): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing link must not stop the firmware or the other links.
      }
    }
  }
}
