// How much each section does: the full run takes about 11 minutes on 2 cores (the two 60 s
// idle windows are fixed); --quick is a smoke run of about a minute and a half.
import type { ProfileId } from './link-profiles';

export interface BenchConfig {
  readonly flowRuns: Readonly<Record<ProfileId, number>>;
  readonly calibrationMessages: number;
  readonly idleWindowMs: number;
  readonly idleKeys: number;
  readonly scaleCounts: readonly number[];
  readonly auditEvents: number;
  readonly auditDurableEvents: number;
  readonly codecMs: number;
  readonly renderLoads: number;
}

export const FULL: BenchConfig = {
  flowRuns: { 'usb-fs': 25, 'ble-185': 12, 'ble-23': 8, 'key3-ble-23': 8 },
  calibrationMessages: 20_000,
  idleWindowMs: 60_000,
  idleKeys: 5,
  scaleCounts: [1, 10, 50],
  auditEvents: 100_000,
  auditDurableEvents: 1_000,
  codecMs: 300,
  renderLoads: 5,
};

export const QUICK: BenchConfig = {
  flowRuns: { 'usb-fs': 1, 'ble-185': 1, 'ble-23': 1, 'key3-ble-23': 1 },
  calibrationMessages: 2_000,
  idleWindowMs: 5_000,
  idleKeys: 2,
  scaleCounts: [1, 5],
  auditEvents: 5_000,
  auditDurableEvents: 100,
  codecMs: 50,
  renderLoads: 2,
};
