// While a request is in progress the key tells the host it is alive every
// 100 ms (CTAPHID and FIDO BLE both do), with "user presence needed" while it
// waits for the button, so hosts never time out a request the user is answering.

import { KeepaliveStatus } from '../../device/protocol/ctaphid';

/** KEEPALIVE status bytes: the same values on USB and BLE. */
type KeepaliveCode = KeepaliveStatus;

export const KEEPALIVE_INTERVAL_MS = 100;

/** Starts sending keepalives; returns the function that stops them. */
export function startKeepalive(
  waitingForButton: () => boolean,
  send: (status: KeepaliveCode) => void,
): () => void {
  const timer = setInterval(() => {
    send(waitingForButton() ? KeepaliveStatus.UpNeeded : KeepaliveStatus.Processing);
  }, KEEPALIVE_INTERVAL_MS);
  return () => clearInterval(timer);
}

/** How long a half-received message may wait for its next packet before the key drops it. */
export const REASSEMBLY_TIMEOUT_MS = 500;
