// The key's firmware: one processor (SerialQueue) for every link's requests and
// the server's ops, the power, the state file and the events. Each request is
// decided by its own module, which enforces the rules itself, so a buggy or
// malicious host can never get more activation-code or PIN guesses than the
// server allowed (emulator/key/README.md has the full table):
// - code-unlock.ts: an activation code is applied in one write, the attempt and
//   its outcome together, before the key answers.
// - pin-ops.ts: PIN attempts are counted before they are checked.
// - license-slots.ts: the licence slots.
// - sealed-channel.ts: the server's seal and counter; remote-ops.ts: what each
//   server op does (LockDeviceCode also clears a PIN lock and the PIN; Wipe keeps
//   the provisioning and the last remote counter, so nothing is replayed).
// - firmware-events.ts: events to every link, AccessChanged after each change.
// Here: dispatch, WaitButton and the button, and power: a cut stops every request
// at its next step, unanswered, and no state is written after it.
import { Command, KeyEvent, type Request, type Response } from '../../device/protocol/messages';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeyInfo } from '../../shared/key/key-info';
import type { RemoteOp, RemoteReply } from '../remote-channel/ops';
import { KeyButton } from './button';
import { unlockWithCode } from './code-unlock';
import {
  accessSnapshot,
  FirmwareEvents,
  type AccessSnapshot,
  type FirmwareEventListener,
} from './firmware-events';
import { keyInfo } from './key-info-view';
import type { KeySession } from './key-session';
import type { KeyState } from './key-state';
import { isKeyStateError, KeyStateError, KeyStateErrorCode } from './key-state-error';
import { loadLicense } from './license-slots';
import { fail, ok } from './local-request';
import { enterPin, setPin } from './pin-ops';
import { DEFAULT_HASH_COST } from './secret-hash';
import {
  executeRemoteOp,
  lockedStatusOf,
  type FailStatus,
  type RemoteOpOutcome,
} from './remote-ops';
import { remoteCommand, verifyChannel, type SealedChannelContext } from './sealed-channel';
import { SerialQueue } from './serial-queue';
import { KeyStateStore, removeStaleTemps } from './state-store';

export { SERVER_CHANNEL } from './sealed-channel';
export type { FirmwareEventListener } from './firmware-events';

/** WaitButton accepts 1 ms to 5 min. */
export const MAX_BUTTON_TIMEOUT_MS = 300_000;

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

const failReply = (status: FailStatus): RemoteReply => ({ status });

export class KeyFirmware {
  private current: KeyState;
  private session: KeySession = {};
  private powered = true;
  private readonly queue = new SerialQueue();
  private readonly button = new KeyButton();
  private readonly events = new FirmwareEvents();
  private readonly hashCost: number;
  private readonly now: () => number;
  private readonly onCommit: ((state: KeyState) => void) | undefined;
  private readonly confirmOnAnyPress: boolean;
  /** What the request handlers (pin-ops.ts, code-unlock.ts, …) may use of the firmware. */
  private readonly context: SealedChannelContext;

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
    this.context = {
      state: () => this.current,
      session: () => this.session,
      hashCost: this.hashCost,
      now: this.now,
      checkPower: () => this.checkPower(),
      persist: (next) => this.persist(next),
      executeOp: (op) => this.executeOp(op),
      info: () => this.info(),
    };
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
    return this.events.on(listener);
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
    this.events.emit({ event: KeyEvent.ButtonPressed, presses });
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
    this.events.emit({ event: KeyEvent.LongPress });
  }

  async setBattery(battery: number): Promise<void> {
    if (!Number.isInteger(battery) || battery < 0 || battery > 100) {
      throw new RangeError('battery must be an integer 0..100');
    }
    await this.queue.run(async () => {
      await this.persist({ ...this.current, battery });
    });
    this.events.emit({ event: KeyEvent.Battery, battery });
  }

  /** Power cut: in-flight requests stop at their next step and never answer. */
  powerOff(): void {
    this.powered = false;
    this.button.cancel();
    this.events.clear();
  }

  // ---- dispatch -------------------------------------------------------------

  private async dispatch(request: Request, signal: AbortSignal | undefined): Promise<Response> {
    const ctx = this.context;
    switch (request.command) {
      case Command.GetInfo:
        return { command: Command.GetInfo, status: DeviceErrorCode.OK, info: this.info() };
      case Command.UnlockWithCode:
        return unlockWithCode(ctx, request.code);
      case Command.EnterPin:
        return enterPin(ctx, request.pin);
      case Command.SetPin:
        return setPin(ctx, request.newPin, request.oldPin);
      case Command.WaitButton:
        return this.waitButton(request.timeoutMs, signal);
      case Command.RemoteCommand:
        return remoteCommand(ctx, request.channel, request.sealed);
      case Command.LoadLicense:
        return loadLicense(ctx, request.data, request.slot);
      case Command.VerifyChannel:
        return verifyChannel(this.current, request.channel, request.nonce);
      default:
        return fail((request as { command: Command }).command, DeviceErrorCode.ERR_UNKNOWN_MESSAGE);
    }
  }

  private async waitButton(timeoutMs: number, signal: AbortSignal | undefined): Promise<Response> {
    const cmd = Command.WaitButton;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_BUTTON_TIMEOUT_MS) {
      return fail(cmd, DeviceErrorCode.ERR_INVALID_PARAMETER);
    }
    // A locked key confirms nothing: the button waits only on a blank or unlocked key.
    const locked = lockedStatusOf(this.current);
    if (locked) return fail(cmd, locked);
    const outcome = await this.button.wait(timeoutMs, signal);
    this.checkPower();
    if (outcome === 'pressed') return ok(cmd);
    return fail(
      cmd,
      outcome === 'timeout' ? DeviceErrorCode.ERR_TIMEOUT : DeviceErrorCode.ERR_OPERATION_CANCELED,
    );
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

  private snapshot(): AccessSnapshot {
    return accessSnapshot(this.info());
  }

  private emitIfAccessChanged(before: AccessSnapshot): void {
    this.events.emitAccessChange(before, this.snapshot());
  }
}
