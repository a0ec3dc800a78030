// Runs one flow and records everything it cost: the time to the state the user sees,
// then, once the links and the server connection have been quiet for QUIET_MS, the
// companion's CPU time, its key exchanges and the SignalR records through the proxy.
// Waiting for quiet means a flow's trailing calls (an audit batch, an Offline report)
// are counted with it and never leak into the next flow's window.
//
// BENCH_DUMP=1 prints each sample's key exchanges and SignalR records (pings left out),
// with times relative to the trigger, to stderr: a flow's whole sequence, to read next to
// its minimum.
import { nowMs, sleep } from '../clock';
import type { CompanionProcess, Reached } from '../companion/companion-process';
import type { KeyState } from '../companion/protocol';
import { usageDelta } from '../companion/usage';
import type { LinkProfile } from '../link-profiles';
import type { KeyWorld } from '../world/key-world';
import type { FlowId, FlowSample } from './flow-types';

export const QUIET_MS = 200;

export interface FlowContext {
  readonly world: KeyWorld;
  readonly companion: CompanionProcess;
}

/** Resolves once no link packet and no SignalR record (pings aside) has passed for QUIET_MS. */
export async function quiet(ctx: FlowContext, limitMs = 15_000): Promise<void> {
  const started = nowMs();
  for (;;) {
    const last = Math.max(ctx.world.proxy.lastActivity, ctx.world.links.lastActivity);
    const idle = nowMs() - last;
    if (idle >= QUIET_MS) return;
    if (nowMs() - started > limitMs) throw new Error('the links never went quiet');
    await sleep(Math.max(10, QUIET_MS - idle));
  }
}

export interface FlowSpec {
  readonly flow: FlowId;
  readonly serialNo: string;
  /**
   * Starts the flow, and resolves with the moment (nowMs()) the flow's clock starts when
   * that is later than the call: a key switched on is timed from when it can be found
   * (its virtual boot comes first, KeyWorld.switchOn), a code or PIN from its arrival in
   * the companion's process (the bench's crossing stands in for the renderer's IPC).
   */
  readonly trigger: () => Promise<unknown> | void;
  readonly end: (key: KeyState) => boolean;
  /** A later state to time as well (codeActive: Online). */
  readonly then?: (key: KeyState) => boolean;
}

export async function runFlow(
  ctx: FlowContext,
  profile: LinkProfile,
  spec: FlowSpec,
): Promise<FlowSample> {
  const { world, companion } = ctx;
  await companion.exchanges(); // nothing of earlier windows is counted here
  const before = await companion.usage();
  const wireFrom = world.proxy.events.length;
  const counters = { ...world.links.counters };
  const calledAt = nowMs();
  const started = await spec.trigger();
  const startAt = typeof started === 'number' && started >= calledAt ? started : calledAt;
  const reached: Reached = await companion.until(spec.serialNo, spec.end, startAt);
  const later = spec.then ? await companion.until(spec.serialNo, spec.then, startAt) : undefined;
  await quiet(ctx);
  const after = await companion.usage();
  const delta = usageDelta(before, after);
  const links = world.links.counters;
  const sample: FlowSample = {
    profile: profile.id,
    flow: spec.flow,
    latencyMs: reached.at - startAt,
    leadMs: startAt - calledAt,
    startAt,
    endAt: reached.at,
    windowMs: after.at - startAt,
    cpuMs: delta.cpuMs,
    loops: delta.loops,
    bridgeMessages: links.bridgeMessages - counters.bridgeMessages,
    packetsUp: links.packetsUp - counters.packetsUp,
    packetsDown: links.packetsDown - counters.packetsDown,
    exchanges: await companion.exchanges(),
    wire: world.proxy.events.slice(wireFrom),
    ...(later ? { onlineMs: later.at - startAt } : {}),
  };
  if (process.env['BENCH_DUMP']) process.stderr.write(dumpSample(sample));
  return sample;
}

const at = (ms: number): string => ms.toFixed(1).padStart(8);

/** A sample's sequence as text: one line per exchange or SignalR record, in time order. */
export function dumpSample(sample: FlowSample): string {
  const lines: [number, string][] = [];
  for (const e of sample.exchanges) {
    const rel = e.at - sample.startAt;
    lines.push([
      rel,
      `${at(rel)} ${at(rel + e.ms)}  key    ${e.command}${e.ok ? '' : ' (failed)'} ${e.requestBytes}→${e.responseBytes} B`,
    ]);
  }
  for (const w of sample.wire) {
    if (w.kind === 'ping') continue;
    const rel = w.at - sample.startAt;
    const what = [w.kind, w.target, w.invocationId === undefined ? '' : `#${w.invocationId}`];
    lines.push([
      rel,
      `${at(rel)} ${' '.repeat(8)}  ${w.dir === 'up' ? '→' : '←'} ${w.hub.padEnd(9)} c${w.connection} ${what.filter(Boolean).join(' ')}`,
    ]);
  }
  lines.sort((a, b) => a[0] - b[0]);
  const shown = sample.endAt - sample.startAt;
  return [
    `--- ${sample.profile} ${sample.flow}: shown at ${shown.toFixed(1)} ms` +
      (sample.onlineMs !== undefined ? `, Online at ${sample.onlineMs.toFixed(1)} ms` : ''),
    ...lines.map(([, text]) => text),
    '',
  ].join('\n');
}
