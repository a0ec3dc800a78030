// The link model the benchmarks run on: the virtual transports of emulator/ with
// settable latency, MTU and packet interval, and a server reached through a TCP proxy
// that delays each direction by half the round trip (net/delay-proxy.ts).
//
// - BLE: a 30 ms connection interval. The virtual adapter (emulator/ble/link-model.ts)
//   sends at most one packet per interval on a link, each no sooner than `latencyMs`
//   after it was queued; 15 ms is the mean wait for the next connection event. ATT
//   MTU 23 (20-byte fragments, the BLE 4.0 default) and 185 (182-byte fragments, what
//   phones and laptops commonly negotiate).
// - Hideez Key 3: the same 30 ms BLE link at ATT MTU 23, which it never raises: its
//   protocol is 20-byte packets (16 message bytes each), written without response,
//   one per interval whichever way they go (docs/key3.md). Its own profile because
//   its keys, its driver and its protocol minimum are the Key 3's.
// - USB HID full speed: one 64-byte report per 1 ms polling interval per direction.
// - Server: 40 ms round trip (20 ms each way) for every byte between the companion's
//   HES client and the stand-in. TCP and TLS handshakes are not modelled.
import type { KeyFamily } from '../device/key/key-connection';
import type { BleLinkModel } from '../emulator/ble/link-model';
import { FULL_SPEED_HID_LINK, type HidLinkModel } from '../emulator/link/hid-link';

export const SERVER_RTT_MS = 40;
/** How often a switched-on key advertises (an assumption: a key in fast advertising). */
export const ADVERTISING_INTERVAL_MS = 100;

export const PROFILE_IDS = ['usb-fs', 'ble-185', 'ble-23', 'key3-ble-23'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface LinkProfile {
  readonly id: ProfileId;
  readonly label: string;
  /** Which keys run on it: our open protocol's, or Hideez Key 3s. */
  readonly family: KeyFamily;
  readonly link: 'usb' | 'ble';
  readonly hid?: HidLinkModel;
  readonly ble?: BleLinkModel;
  /** Frame bytes per second one direction carries at most (for the codecs' share). */
  readonly bytesPerSecond: number;
  /** The same, counting payload bytes only (frame headers excluded). */
  readonly payloadBytesPerSecond: number;
}

const BLE_INTERVAL_MS = 30;
const ble = (mtu: number): BleLinkModel => ({
  mtu,
  latencyMs: BLE_INTERVAL_MS / 2,
  packetIntervalMs: BLE_INTERVAL_MS,
});

export const PROFILES: readonly LinkProfile[] = [
  {
    id: 'usb-fs',
    label: 'USB HID full speed (1 ms)',
    family: 'open',
    link: 'usb',
    hid: FULL_SPEED_HID_LINK,
    bytesPerSecond: 64 * 1000,
    payloadBytesPerSecond: 59 * 1000,
  },
  {
    id: 'ble-185',
    label: 'BLE 30 ms, MTU 185',
    family: 'open',
    link: 'ble',
    ble: ble(185),
    bytesPerSecond: (182 * 1000) / BLE_INTERVAL_MS,
    payloadBytesPerSecond: (181 * 1000) / BLE_INTERVAL_MS,
  },
  {
    id: 'ble-23',
    label: 'BLE 30 ms, MTU 23',
    family: 'open',
    link: 'ble',
    ble: ble(23),
    bytesPerSecond: (20 * 1000) / BLE_INTERVAL_MS,
    payloadBytesPerSecond: (19 * 1000) / BLE_INTERVAL_MS,
  },
  {
    id: 'key3-ble-23',
    label: 'Hideez Key 3, BLE 30 ms, MTU 23',
    family: 'key3',
    link: 'ble',
    ble: ble(23),
    bytesPerSecond: (20 * 1000) / BLE_INTERVAL_MS,
    // A data packet carries 16 message bytes (3 header bytes, 1 trailing zero).
    payloadBytesPerSecond: (16 * 1000) / BLE_INTERVAL_MS,
  },
];

export const isProfileId = (id: string): id is ProfileId =>
  (PROFILE_IDS as readonly string[]).includes(id);

export function profile(id: ProfileId): LinkProfile {
  const found = PROFILES.find((p) => p.id === id);
  if (!found) throw new Error(`no link profile ${id}`);
  return found;
}
