// What the virtual adapter keeps per key in range: where its peripheral is (a
// VirtualKey has a new one after each replug), the test's fault knobs, and the
// link while connected: its packet pacer (link-model.ts), its notification
// subscriptions and its loss listener. Opening and closing a link live here so
// every way a link ends (our hang-up, the key going away, the adapter turned
// off) releases the same things.
import type { VirtualGattPeripheral } from './gatt-peripheral';
import { PacketPacer, type BleLinkModel } from './link-model';

/** Where a key's peripheral is: a VirtualKey has a new one after each replug. */
export type PeripheralSource =
  VirtualGattPeripheral | { readonly plugged: boolean; readonly gatt: VirtualGattPeripheral };

/** A test's hand on the air: the packet the host receives instead, or undefined to drop it. */
export type NotificationTamper = (packet: Uint8Array) => Uint8Array | undefined;

export interface Link {
  readonly peripheral: VirtualGattPeripheral;
  readonly pacer: PacketPacer;
  readonly onLoss: () => void;
  /** Notification subscriptions by characteristic. */
  readonly subscriptions: Map<string, () => void>;
}

export interface Slot {
  readonly id: string;
  readonly address: string;
  readonly current: () => VirtualGattPeripheral | undefined;
  link: Link | undefined;
  unresponsive: boolean;
  /** Writes are never sent nor confirmed (the controller's buffers stay full). */
  stalled: boolean;
  ignoreConnects: number;
  connectAttempts: number;
  /** Bumped by cancelConnect and disconnect, so a late connect answer is dropped. */
  connectToken: number;
  /** Rewrites (or, returning undefined, drops) each notification the key sends. */
  tamper: NotificationTamper | undefined;
}

/** A slot for a key that must be plugged in now; its id is the peripheral's noble id. */
export function createSlot(source: PeripheralSource): Slot {
  const current = (): VirtualGattPeripheral | undefined =>
    'plugged' in source ? (source.plugged ? source.gatt : undefined) : source;
  const first = current();
  if (!first) throw new Error('The key must be plugged in when added');
  return {
    id: first.id,
    address: first.address,
    current,
    link: undefined,
    unresponsive: false,
    stalled: false,
    ignoreConnects: 0,
    connectAttempts: 0,
    connectToken: 0,
    tamper: undefined,
  };
}

/** The link, if it is up and the key still answers. */
export const liveLink = (slot: Slot | undefined): Link | undefined =>
  slot && !slot.unresponsive ? slot.link : undefined;

/** The slot is connected to `peripheral`; `onLoss` is told if the key drops the link itself. */
export function openLink(
  slot: Slot,
  peripheral: VirtualGattPeripheral,
  model: () => BleLinkModel,
  onLoss: () => void,
): void {
  peripheral.once('disconnect', onLoss);
  slot.link = { peripheral, pacer: new PacketPacer(model), onLoss, subscriptions: new Map() };
}

/**
 * Ends the slot's link, if any: what is still in the air is dropped, subscriptions
 * and the loss listener released, and a connect still under way made stale.
 * Returns the link that ended.
 */
export function closeLink(slot: Slot): Link | undefined {
  slot.connectToken += 1;
  const link = slot.link;
  if (!link) return undefined;
  slot.link = undefined;
  link.pacer.stop();
  for (const unsubscribe of link.subscriptions.values()) unsubscribe();
  link.subscriptions.clear();
  link.peripheral.removeListener('disconnect', link.onLoss);
  return link;
}
