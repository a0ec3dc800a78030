// One virtual key: its firmware over its state file, reachable over USB
// (VirtualHidDevice) and Bluetooth (VirtualBlePeripheral), with the user's
// hands (pressButton, longPress) and the battery as test controls. unplug()
// cuts power: both links drop and in-flight requests never answer; plug()
// boots again from the same file, so counters and locks survive a replug.
import type { KeyInfo } from '../../shared/key/key-info';
import { VirtualBlePeripheral } from './ble-peripheral';
import { KeyFirmware, type FirmwareOptions } from './firmware';
import type { KeyState } from './key-state';
import { VirtualHidDevice } from './hid-device';
import { listStateFiles } from './state-store';

export type VirtualKeyOptions = FirmwareOptions;

interface Powered {
  readonly firmware: KeyFirmware;
  readonly hid: VirtualHidDevice;
  readonly ble: VirtualBlePeripheral;
}

export class VirtualKey {
  private powered: Powered | undefined;

  private constructor(
    readonly statePath: string,
    private readonly options: VirtualKeyOptions,
  ) {}

  /** Boots a key from its state file (throws KeyStateError if missing or invalid). */
  static async open(statePath: string, options: VirtualKeyOptions = {}): Promise<VirtualKey> {
    const key = new VirtualKey(statePath, options);
    await key.plug();
    return key;
  }

  /** Every key whose state file is in `dir`. */
  static async openFolder(dir: string, options: VirtualKeyOptions = {}): Promise<VirtualKey[]> {
    const paths = await listStateFiles(dir);
    return Promise.all(paths.map((path) => VirtualKey.open(path, options)));
  }

  get plugged(): boolean {
    return this.powered !== undefined;
  }

  /** Powers the key up from its state file (no-op when already plugged). */
  async plug(): Promise<void> {
    if (this.powered) return;
    const firmware = await KeyFirmware.boot(this.statePath, this.options);
    this.powered = {
      firmware,
      hid: new VirtualHidDevice(firmware),
      ble: new VirtualBlePeripheral(firmware),
    };
  }

  /** Cuts power: the HID device errors, the BLE link drops, nothing in flight answers. */
  unplug(): void {
    const p = this.powered;
    if (!p) return;
    this.powered = undefined;
    p.firmware.powerOff();
    p.hid.unplug();
    p.ble.powerOff();
  }

  /** The USB side of the key as it is now (a new device after each plug). */
  get hid(): VirtualHidDevice {
    return this.require().hid;
  }

  get ble(): VirtualBlePeripheral {
    return this.require().ble;
  }

  get firmware(): KeyFirmware {
    return this.require().firmware;
  }

  get serialNo(): string {
    return this.require().firmware.state.provisioning.serialNo;
  }

  /** The persistent state (for tests and tools; it holds secrets' hashes, never log it). */
  get state(): KeyState {
    return this.require().firmware.state;
  }

  info(): KeyInfo {
    return this.require().firmware.info();
  }

  pressButton(presses = 1): void {
    this.require().firmware.pressButton(presses);
  }

  longPress(): void {
    this.require().firmware.longPress();
  }

  setBattery(percent: number): Promise<void> {
    return this.require().firmware.setBattery(percent);
  }

  private require(): Powered {
    if (!this.powered) throw new Error('The virtual key is unplugged');
    return this.powered;
  }
}
