// What one measured flow produced.
import type { KeyFamily } from '../../device/key/key-connection';
import type { ExchangeRecord } from '../companion/protocol';
import type { ProfileId } from '../link-profiles';
import type { WireEvent } from '../net/signalr-tap';
import type { Summary } from '../report/stats';

/** The flows the user feels (issue 7, item 2; the PIN flows, issue 17). */
export const FLOWS = {
  appearsOnline: 'Active key appears → Online',
  reservedPrompt: 'Reserved key appears → activation prompt',
  codeActive: 'code submitted → Active shown',
  wrongCode: 'wrong code → attempts left shown',
  pinPrompt: 'Active key with a PIN appears → PIN prompt',
  pinOnline: 'PIN submitted → Online',
  wrongPin: 'wrong PIN → attempts left shown',
} as const;
export type FlowId = keyof typeof FLOWS;
export const FLOW_IDS = Object.keys(FLOWS) as FlowId[];

export interface FlowSample {
  readonly profile: ProfileId;
  readonly flow: FlowId;
  /** The trigger (switch on, submit) → the snapshot showing the end state, ms. */
  readonly latencyMs: number;
  /**
   * The bench's call → the trigger, ms, not counted in latencyMs: a virtual key's boot
   * before it can be found, or a submit's crossing into the companion's process.
   */
  readonly leadMs: number;
  /** nowMs() of the trigger and of the end state. */
  readonly startAt: number;
  readonly endAt: number;
  /** The trigger → the end of all traffic the flow caused (the window counted). */
  readonly windowMs: number;
  /** The companion process's CPU time over the window (user + system), ms. */
  readonly cpuMs: number;
  readonly loops: number;
  readonly bridgeMessages: number;
  readonly packetsUp: number;
  readonly packetsDown: number;
  readonly exchanges: readonly ExchangeRecord[];
  readonly wire: readonly WireEvent[];
  /** codeActive only: the trigger → Online. */
  readonly onlineMs?: number;
}

/** One flow's figures on one link profile: its times, its CPU and its models' times. */
export interface FlowFigures {
  readonly profile: string;
  readonly family: KeyFamily;
  readonly flow: FlowId;
  readonly latency: Summary;
  readonly cpuMs: Summary;
  readonly windowMs: Summary;
  readonly onlineMs?: Summary;
  readonly bridgeMs: number;
  readonly loops: number;
  readonly minimumMs: number;
  readonly hideezMs: number;
  /**
   * Ours / minimum: the median over the runs of each run's time over its own minimum (the
   * protocol's steps priced with that run's key and server times, sampleCosts), and the same
   * over the Hideez Client's sequence.
   */
  readonly ratio: number;
  readonly hideezRatio: number;
  /** Key round trips until the state was shown: ours (the median over the runs, and its range). */
  readonly keyRoundTrips: number;
  readonly keyRoundTripsRange: string;
  /** The same counted on the protocol minimum's and the Hideez Client's sequences. */
  readonly minimumKeyRoundTrips: number;
  readonly hideezKeyRoundTrips: number;
}
