// What the device manager tells the rest of the app about a key: plain,
// immutable snapshots (they cross IPC to the UI as they are).
import type { KeyInfo } from '../../shared/key/key-info';
import type { DeviceErrorData } from '../errors/device-error';
import type { LinkKind } from '../transport/transport';

/**
 * connecting: a link to the key is being opened (or reopened after a loss);
 * connected: at least one link is open and answers;
 * disconnected: the key is still seen (e.g. advertising) but no link is open.
 */
export type KeyConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface KeyLinkRecord {
  /** The transport descriptor's id (HID path, BLE address). */
  readonly id: string;
  readonly link: LinkKind;
  readonly name: string;
  /** BLE signal strength in dBm, when known. */
  readonly rssi?: number;
}

export interface KeyRecord {
  readonly serialNo: string;
  readonly state: KeyConnectionState;
  /** Open links, USB first. */
  readonly links: readonly KeyLinkRecord[];
  /** The link exchanges go over now (USB when both are up). */
  readonly activeLink?: LinkKind;
  /** The BLE link's signal strength, when known. */
  readonly rssi?: number;
  /** The key's state: read at open, kept current by its state events and rereads. */
  readonly info?: KeyInfo;
  /** How many other hosts the key says are connected to it (a Key 3 tells; others do not). */
  readonly otherHosts?: number;
  /**
   * Why the last attempt to open a link failed, while the key has no open link (e.g. no
   * permission, a Key 3 that wants pairing, one that failed the authenticity check).
   */
  readonly openError?: DeviceErrorData;
}
