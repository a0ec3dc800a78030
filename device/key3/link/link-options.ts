// The packet link's limits: the reference's BUSY back-off (§1.3), how long a control packet
// may take to go out, and what a caller may set per link or per exchange.
import type { Key3Trace } from '../trace/key3-trace';

/** The vendor's DeviceBusyTransmitTimeout (90 000; we read it as milliseconds: 90 s). */
export const BUSY_LIMIT_MS = 90_000;
export const BUSY_STEP_MS = 1_000;
export const BUSY_MAX_WAIT_MS = 5_000;
/** A write without response is confirmed as soon as it is queued; longer means the link is stuck. */
export const CONTROL_WRITE_TIMEOUT_MS = 2_000;

export interface ExchangeLimits {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface Key3PacketLinkOptions {
  readonly trace?: Key3Trace;
  readonly busyLimitMs?: number;
  /** Back-off before the n-th re-send after BUSY (default min(1 s × n, 5 s)). */
  readonly busyWaitMs?: (attempt: number) => number;
  /** The largest reply accepted, in bytes (the key's own limit is 1024 in GETINFO). */
  readonly maxMessageBytes?: number;
}
