// One virtual key: its firmware over its state file, reachable over its family's
// links — an open-protocol key over USB (VirtualHidDevice) and Bluetooth
// (VirtualBlePeripheral), a Hideez Key 3 over Bluetooth only (VirtualKey3Peripheral)
// — with the user's hands (pressButton, longPress) and the battery as test
// controls. unplug() cuts power: every link drops and in-flight requests never
// answer; plug() boots again from the same file, so counters and locks survive.
import type { KeyInfo } from '../../shared/key/key-info';
import type { VirtualGattPeripheral } from '../ble/gatt-peripheral';
import { VirtualKey3Peripheral, type Key3PeripheralOptions } from '../key3/key3-peripheral';
import { VirtualBlePeripheral } from './ble-peripheral';
import { KeyFirmware, type FirmwareOptions } from './firmware';
import type { KeyState } from './key-state';
import { VirtualHidDevice } from './hid-device';
import { listStateFiles } from './state-store';

export type VirtualKeyOptions = FirmwareOptions & {
  /** How a Hideez Key 3 behaves on Bluetooth (bootloader, pairing, advertisement). */
  readonly key3?: Key3PeripheralOptions;
};

export type VirtualKeyFamily = 'open' | 'key3';

type Powered =
  | {
      readonly family: 'open';
      readonly firmware: KeyFirmware;
      readonly hid: VirtualHidDevice;
      readonly ble: VirtualBlePeripheral;
    }
  | {
      readonly family: 'key3';
      readonly firmware: KeyFirmware;
      readonly key3: VirtualKey3Peripheral;
    };

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
    const { key3: key3Options, ...firmwareOptions } = this.options;
    const firmware = await KeyFirmware.boot(this.statePath, firmwareOptions);
    const identity = firmware.state.provisioning.key3;
    if (identity === undefined) {
      this.powered = {
        family: 'open',
        firmware,
        hid: new VirtualHidDevice(firmware),
        ble: new VirtualBlePeripheral(firmware),
      };
      return;
    }
    this.powered = {
      family: 'key3',
      firmware,
      key3: new VirtualKey3Peripheral(
        firmware,
        {
          rootPrivateKey: Uint8Array.from(Buffer.from(identity.rootPrivateKey, 'base64')),
          certificate: Uint8Array.from(Buffer.from(identity.certificate, 'base64')),
        },
        key3Options,
      ),
    };
  }

  /** Cuts power: every link drops, nothing in flight answers. */
  unplug(): void {
    const p = this.powered;
    if (!p) return;
    this.powered = undefined;
    p.firmware.powerOff();
    if (p.family === 'open') {
      p.hid.unplug();
      p.ble.powerOff();
    } else {
      p.key3.powerOff();
    }
  }

  get family(): VirtualKeyFamily {
    return this.require().family;
  }

  /** Whether the key has a USB side (an open-protocol key does; a Key 3 is Bluetooth only). */
  get hasUsb(): boolean {
    return this.require().family === 'open';
  }

  /** The USB side of an open-protocol key as it is now (a new device after each plug). */
  get hid(): VirtualHidDevice {
    const p = this.require();
    if (p.family !== 'open') throw new Error('A Hideez Key 3 has no USB side');
    return p.hid;
  }

  /** The open protocol's Bluetooth side. */
  get ble(): VirtualBlePeripheral {
    const p = this.require();
    if (p.family !== 'open') throw new Error('A Hideez Key 3 speaks the Key 3 protocol: use key3');
    return p.ble;
  }

  /** A Hideez Key 3's Bluetooth side. */
  get key3(): VirtualKey3Peripheral {
    const p = this.require();
    if (p.family !== 'key3') throw new Error('Not a Hideez Key 3');
    return p.key3;
  }

  /** The Bluetooth side, whatever the family (what the virtual adapter carries). */
  get gatt(): VirtualGattPeripheral {
    const p = this.require();
    return p.family === 'open' ? p.ble : p.key3;
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
