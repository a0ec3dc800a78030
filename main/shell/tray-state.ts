// The tray icon's one-glance summary of every connected key and the server, and
// how each summary looks (tooltip and icon). No electron import.
import type { AppSnapshot } from '../../shared/ipc/snapshot';

/** Worst first: the tray shows the first level that holds for any key. */
export const TRAY_LEVELS = ['problem', 'attention', 'busy', 'offline', 'ok', 'idle'] as const;
export type TrayLevel = (typeof TRAY_LEVELS)[number];

export interface OverallState {
  readonly level: TrayLevel;
  /** Keys currently connected (or connecting). */
  readonly keyCount: number;
}

export type TrayIconName = `tray-${TrayLevel}`;

export interface TrayPresentation {
  readonly tooltip: string;
  readonly icon: TrayIconName;
}

/** Summarise a snapshot: the worst key view wins; a lost server outranks "all fine". */
export function overallState(snapshot: AppSnapshot): OverallState {
  const keys = snapshot.keys.filter((key) => key.connection !== 'disconnected');
  const levels = new Set<TrayLevel>();
  for (const key of keys) {
    if (key.view.severity === 'error') levels.add('problem');
    else if (key.view.severity === 'warning' || key.prompt !== undefined) levels.add('attention');
    else if (key.view.severity === 'progress' || key.connection === 'connecting')
      levels.add('busy');
    else levels.add('ok');
  }
  const server = snapshot.server.connection.state;
  if (keys.length > 0 && server !== 'connected' && server !== 'connecting') levels.add('offline');
  if (keys.length === 0) levels.add('idle');
  const level = TRAY_LEVELS.find((candidate) => levels.has(candidate)) ?? 'idle';
  return { level, keyCount: keys.length };
}

const keys = (n: number): string => (n === 1 ? '1 key' : `${n} keys`);

const TOOLTIPS: Readonly<Record<TrayLevel, (keyCount: number) => string>> = {
  problem: () => 'A key has a problem: open the companion for details',
  attention: () => 'A key needs your attention',
  busy: (n) => `Connecting ${keys(n)}…`,
  offline: () => 'The server cannot be reached; keys work offline',
  ok: (n) => `${keys(n)} ready`,
  idle: () => 'No key connected',
};

export function trayPresentation(state: OverallState): TrayPresentation {
  return {
    tooltip: `Hideez Companion: ${TOOLTIPS[state.level](state.keyCount)}`,
    icon: `tray-${state.level}`,
  };
}
