// What the companion's process costs right now: CPU time, event-loop wake-ups,
// context switches and memory. Deltas of two readings give a window's cost.
import { performance } from 'node:perf_hooks';
import { nowMs } from '../clock';
import type { Usage } from './protocol';

export function readUsage(): Usage {
  const cpu = process.cpuUsage();
  const resources = process.resourceUsage();
  const memory = process.memoryUsage();
  return {
    at: nowMs(),
    userUs: cpu.user,
    systemUs: cpu.system,
    loops: performance.nodeTiming.uvMetricsInfo.loopCount,
    voluntarySwitches: resources.voluntaryContextSwitches,
    involuntarySwitches: resources.involuntaryContextSwitches,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
  };
}

export interface UsageDelta {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly loops: number;
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
}

export function usageDelta(from: Usage, to: Usage): UsageDelta {
  return {
    wallMs: to.at - from.at,
    cpuMs: (to.userUs + to.systemUs - from.userUs - from.systemUs) / 1000,
    loops: to.loops - from.loops,
    voluntarySwitches: to.voluntarySwitches - from.voluntarySwitches,
    involuntarySwitches: to.involuntarySwitches - from.involuntarySwitches,
  };
}
