// The tray's one-glance summary: the worst connected key wins, a lost server
// outranks "all fine", and each level has its own tooltip and icon.
import { describe, expect, it } from 'vitest';
import type { AppSnapshot, KeySnapshot } from '../../../shared/ipc/snapshot';
import type { KeyView } from '../../../shared/view/key-view';
import type { Severity } from '../../../shared/view/view-kind';
import {
  TRAY_LEVELS,
  overallState,
  trayPresentation,
  type TrayLevel,
} from '../../../main/shell/tray-state';

const view = (kind: string, severity: Severity): KeyView =>
  ({ kind, messageKey: `view.${kind}`, params: {}, severity, actions: [] }) as unknown as KeyView;

const key = (
  serialNo: string,
  severity: Severity,
  extra: Partial<KeySnapshot> = {},
): KeySnapshot => ({
  serialNo,
  name: `Key ${serialNo}`,
  connection: 'connected',
  step: 'online',
  view: view('active', severity),
  history: [],
  ...extra,
});

const snapshot = (
  keys: KeySnapshot[],
  server: AppSnapshot['server']['connection'] = { state: 'connected' },
): AppSnapshot => ({ server: { connection: server }, links: { usb: 'ready', ble: 'ready' }, keys });

describe('the overall state', () => {
  it('is idle with no key, and ok when every key is ready', () => {
    expect(overallState(snapshot([]))).toEqual({ level: 'idle', keyCount: 0 });
    expect(overallState(snapshot([key('A', 'success'), key('B', 'info')]))).toEqual({
      level: 'ok',
      keyCount: 2,
    });
  });

  it('shows the worst key: a locked key beats one waiting for a PIN beats one connecting', () => {
    const locked = key('A', 'error');
    const waiting = key('B', 'info', { prompt: { kind: 'button' } });
    const connecting = key('C', 'progress', { connection: 'connecting' });
    expect(overallState(snapshot([connecting, waiting, locked])).level).toBe('problem');
    expect(overallState(snapshot([connecting, waiting])).level).toBe('attention');
    expect(overallState(snapshot([connecting, key('D', 'success')])).level).toBe('busy');
  });

  it('a lost server outranks "ready", but not a key that needs the user', () => {
    const offline = { state: 'offline', reason: 'unreachable' } as const;
    expect(overallState(snapshot([key('A', 'success')], offline)).level).toBe('offline');
    expect(overallState(snapshot([key('A', 'warning')], offline)).level).toBe('attention');
    expect(overallState(snapshot([], offline)).level).toBe('idle');
    expect(overallState(snapshot([key('A', 'success')], { state: 'connecting' })).level).toBe('ok');
  });

  it('ignores disconnected keys', () => {
    const gone = key('A', 'error', { connection: 'disconnected' });
    expect(overallState(snapshot([gone]))).toEqual({ level: 'idle', keyCount: 0 });
  });
});

describe('the tray presentation', () => {
  it('gives every level its own icon and a tooltip naming the app', () => {
    const icons = new Set<string>();
    for (const level of TRAY_LEVELS) {
      const shown = trayPresentation({ level, keyCount: 2 });
      expect(shown.icon).toBe(`tray-${level}`);
      expect(shown.tooltip).toMatch(/^Hideez Companion: \S/);
      icons.add(shown.icon);
    }
    expect(icons.size).toBe(TRAY_LEVELS.length);
  });

  it('counts keys in words', () => {
    const ok = (keyCount: number, level: TrayLevel = 'ok') =>
      trayPresentation({ level, keyCount }).tooltip;
    expect(ok(1)).toBe('Hideez Companion: 1 key ready');
    expect(ok(3)).toBe('Hideez Companion: 3 keys ready');
    expect(ok(0, 'idle')).toBe('Hideez Companion: No key connected');
  });
});
