// The world around the companion, in the orchestrator's process: the HES stand-in on
// its own SQLite file, the delaying proxy in front of it, and virtual keys on the
// virtual USB bus or Bluetooth adapters (key-links.ts): open-protocol keys, or Hideez
// Key 3s (Bluetooth only, on their own adapter). Keys are provisioned and imported as
// an administrator would, and start switched off.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import type { ProfileInput } from '../../emulator/hes/domain/profiles';
import { startHesStandIn, type HesStandInServer } from '../../emulator/hes/server';
import type { KeyFamily } from '../../device/key/key-connection';
import { provisionKeys } from '../../emulator/key/provision';
import { provisionKey3s } from '../../emulator/key3/provision-key3';
import { MIN_HASH_COST } from '../../emulator/key/secret-hash';
import { VirtualKey } from '../../emulator/key/virtual-key';
import { IDEAL_HID_LINK } from '../../emulator/link/hid-link';
import { DEFAULT_LINK_MODEL } from '../../emulator/ble/link-model';
import { startDelayProxy, type DelayProxy } from '../net/delay-proxy';
import { nowMs } from '../clock';
import { SERVER_RTT_MS, type LinkProfile } from '../link-profiles';
import { KeyLinks } from './key-links';

export interface BenchKey {
  readonly serialNo: string;
  readonly key: VirtualKey;
  readonly family: KeyFamily;
  readonly link: 'usb' | 'ble';
}

const HES_DB = 'hes.sqlite';
let batches = 0;
let employees = 0;

/** The access profile of the PIN flows: a PIN on every connection, nothing else. */
const PIN_PROFILE: ProfileInput = {
  name: 'Bench PIN on connection',
  buttonBonding: false,
  buttonConnection: false,
  buttonNewChannel: false,
  pinBonding: false,
  pinConnection: true,
  pinNewChannel: false,
  masterKeyConnection: false,
  masterKeyNewChannel: false,
  pinExpiration: 86_400,
  pinLength: 4,
  pinTryCount: 10,
};

export class KeyWorld {
  readonly links = new KeyLinks();
  readonly #advertised = new Set<VirtualKey>();
  #pinProfileId: string | undefined;

  private constructor(
    readonly dir: string,
    readonly server: HesStandInServer,
    readonly proxy: DelayProxy,
  ) {}

  static async start(options: { readonly serverRttMs?: number } = {}): Promise<KeyWorld> {
    const dir = await mkdtemp(join(tmpdir(), 'hideez-bench-'));
    const server = await startHesStandIn({ dbFile: join(dir, HES_DB), port: 0 });
    const proxy = await startDelayProxy({
      targetPort: server.port,
      oneWayMs: (options.serverRttMs ?? SERVER_RTT_MS) / 2,
    });
    return new KeyWorld(dir, server, proxy);
  }

  /** The address the companion is given: the proxy. */
  get serverUrl(): string {
    return this.proxy.url;
  }

  /** Applies a profile's link model to links opened from now on. */
  setProfile(profile: LinkProfile): void {
    this.links.bus.linkModel = profile.hid ?? IDEAL_HID_LINK;
    this.links.adapter.setLinkModel(profile.ble ?? DEFAULT_LINK_MODEL);
    this.links.key3Adapter.setLinkModel(profile.ble ?? DEFAULT_LINK_MODEL);
  }

  /**
   * New keys of the profile's family, imported into the stand-in, switched off. The
   * virtual key's scrypt cost is the lowest: the key's own compute is not what is
   * measured (a real key's time to check a code is unknown here and left out of the
   * model).
   */
  async provision(count: number, profile: LinkProfile): Promise<BenchKey[]> {
    const keyDir = join(this.dir, `keys-${++batches}`);
    const records =
      profile.family === 'key3'
        ? await provisionKey3s(keyDir, count)
        : await provisionKeys(keyDir, count);
    this.server.standIn.importVaults(records);
    const opened = await VirtualKey.openFolder(keyDir, { hashCost: MIN_HASH_COST });
    const keys = opened.map((key) => ({
      serialNo: key.serialNo,
      key,
      family: profile.family,
      link: profile.link,
    }));
    for (const { key } of keys) key.unplug();
    return keys;
  }

  /**
   * Admin: a new employee and the key reserved for them; returns the activation code.
   * `pin`: the key gets an access profile that asks for a PIN on every connection (the
   * admin picks a vault's profile; HES's REST sets it on Active vaults only, so the
   * stand-in's database row is set directly while the key is Reserved, as the tests set
   * profiles, and the activation's Access writes it to the key).
   */
  reserve(serialNo: string, options: { readonly pin?: boolean } = {}): string {
    employees += 1;
    const { standIn } = this.server;
    const employee = standIn.addEmployee({
      firstName: 'Bench',
      lastName: `User ${employees}`,
      email: `bench${employees}@example.com`,
    });
    const code = standIn.reserve(serialNo, employee.id).activationCode;
    if (options.pin) {
      const db = new DatabaseSync(join(this.dir, HES_DB));
      try {
        db.prepare('UPDATE HardwareVaults SET HardwareVaultProfileId = ? WHERE Id = ?').run(
          this.#pinProfile(),
          serialNo,
        );
      } finally {
        db.close();
      }
    }
    return code;
  }

  #pinProfile(): string {
    if (this.#pinProfileId === undefined) {
      const id = this.server.standIn.createProfile(PIN_PROFILE)['id'];
      if (typeof id !== 'string') throw new Error('the stand-in made a profile without an id');
      this.#pinProfileId = id;
    }
    return this.#pinProfileId;
  }

  approve(workstationId: string): void {
    this.server.standIn.approveWorkstation(workstationId);
  }

  /** The key is switched on (USB: plugged in; BLE: powered and advertising). */
  /**
   * Powers a key up and puts it where the host can find it; resolves with the moment it
   * could first be found (nowMs()). The virtual key's boot before that (reading its state
   * file) is the emulator's own work, which a real key's start-up is not priced as either:
   * a flow triggered by a switch-on is timed from here (its minimum starts with the link's
   * discovery, link-costs.ts).
   */
  async switchOn(bench: BenchKey): Promise<number> {
    await bench.key.plug();
    const visibleAt = nowMs();
    if (bench.link === 'usb') {
      await this.links.bus.plug(bench.key); // already powered: fires its node events at once
      return visibleAt;
    }
    if (!this.#advertised.has(bench.key)) {
      this.#advertised.add(bench.key);
      this.links.bleAdapter(bench.family === 'key3' ? 'key3' : 'open').addPeripheral(bench.key);
    }
    return visibleAt;
  }

  switchOff(bench: BenchKey): void {
    if (bench.link === 'usb') this.links.bus.unplug(bench.key);
    else bench.key.unplug();
  }

  async close(): Promise<void> {
    await this.proxy.close();
    await this.server.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
