// The store: snapshots and notices in, state out (what is shown, what is announced,
// which dialog is open), and its feed from a companion connection.
import { describe, expect, it } from 'vitest';
import { createCompanionApi } from '../../shared/ipc/bridge';
import type { EventName } from '../../shared/ipc/ipc-events';
import type { KeySnapshot } from '../../shared/ipc/snapshot';
import type { CompanionConnection } from '../../renderer/bridge/companion-connection';
import { electronApi } from '../../renderer/bridge/companion-connection';
import type { BridgeState } from '../../renderer/bridge/socket-transport';
import { MAX_NOTICES, createCompanionStore } from '../../renderer/store/companion-store';
import { connectStore } from '../../renderer/store/connect-store';
import { promptTarget } from '../../renderer/store/dialog-target';
import { SERIAL, appSnapshot, awaitingCode, keySnapshot, viewFor } from './fixtures';

describe('snapshots in', () => {
  it('keeps the latest snapshot and announces a change of the server state only', () => {
    const store = createCompanionStore();
    store.getState().applySnapshot(appSnapshot());
    expect(store.getState().snapshot?.keys).toHaveLength(1);
    expect(store.getState().announcement).toBeUndefined();

    store.getState().applySnapshot(appSnapshot([]));
    expect(store.getState().snapshot?.keys).toHaveLength(0);
    expect(store.getState().announcement).toBeUndefined();

    store
      .getState()
      .applySnapshot(
        appSnapshot([], { server: { connection: { state: 'offline', reason: 'timeout' } } }),
      );
    expect(store.getState().announcement).toMatchObject({
      politeness: 'polite',
      message: {
        key: 'server.announce',
        nested: {
          state: {
            key: 'server.state.offline',
            nested: { reason: { key: 'server.offlineReason.timeout' } },
          },
        },
      },
    });
    store.getState().applySnapshot(appSnapshot([], { server: { connection: { state: 'alarm' } } }));
    expect(store.getState().announcement?.politeness).toBe('assertive');
  });

  it('remembers the last prompt while the key verifies, and forgets it after', () => {
    const store = createCompanionStore();
    const prompt = { kind: 'activationCode', attemptsRemain: 2, reason: 'suspension' } as const;
    store.getState().applySnapshot(appSnapshot([awaitingCode(2, { prompt })]));
    expect(store.getState().lastPrompts[SERIAL]).toEqual(prompt);

    const { prompt: _gone, ...withoutPrompt } = awaitingCode(2);
    store.getState().applySnapshot(appSnapshot([{ ...withoutPrompt, step: 'verifyingCode' }]));
    expect(store.getState().lastPrompts[SERIAL]).toEqual(prompt);
    const target = promptTarget(store.getState().snapshot, store.getState().lastPrompts);
    expect(target).toMatchObject({ prompt, verifying: true });

    store.getState().applySnapshot(appSnapshot([keySnapshot({ step: 'reporting' })]));
    expect(store.getState().lastPrompts[SERIAL]).toBeUndefined();
    expect(promptTarget(store.getState().snapshot, store.getState().lastPrompts)).toBeUndefined();
  });

  it('remembers a key’s minimum PIN length from its PIN prompts', () => {
    const store = createCompanionStore();
    store.getState().applySnapshot(
      appSnapshot([
        keySnapshot({
          step: 'awaitingNewPin',
          prompt: { kind: 'newPin', minLength: 6, maxLength: 8 },
          view: viewFor('newPinRequired'),
        }),
      ]),
    );
    store.getState().applySnapshot(appSnapshot([keySnapshot()]));
    expect(store.getState().pinMinLengths[SERIAL]).toBe(6);
    store.getState().applySnapshot(appSnapshot([]));
    expect(store.getState().pinMinLengths[SERIAL]).toBeUndefined();
  });

  it('closes Change PIN when its key goes away', () => {
    const store = createCompanionStore();
    store.getState().applySnapshot(appSnapshot());
    store.getState().openChangePin(SERIAL);
    store.getState().applySnapshot(appSnapshot());
    expect(store.getState().changePinFor).toBe(SERIAL);
    store.getState().applySnapshot(appSnapshot([]));
    expect(store.getState().changePinFor).toBeUndefined();
  });
});

describe('the dialog for a prompt', () => {
  it('is for the first key asking, in the snapshot order', () => {
    const other = keySnapshot({ serialNo: 'ST2', name: 'Second' });
    const asking = awaitingCode(3, { serialNo: 'ST3', name: 'Third' });
    const pin = keySnapshot({
      serialNo: 'ST4',
      step: 'awaitingPin',
      prompt: { kind: 'pin', attemptsRemain: 3, minLength: 4, maxLength: 8 },
    });
    expect(promptTarget(appSnapshot([other, asking, pin]), {})?.key.serialNo).toBe('ST3');
    expect(promptTarget(appSnapshot([other]), {})).toBeUndefined();
    expect(promptTarget(undefined, {})).toBeUndefined();
  });

  it('stays open while a PIN is verified only for a PIN prompt', () => {
    const verifying: KeySnapshot = keySnapshot({ step: 'verifyingPin' });
    const code = { kind: 'activationCode', attemptsRemain: 3, reason: 'firstActivation' } as const;
    const pin = { kind: 'pin', attemptsRemain: 3, minLength: 4, maxLength: 8 } as const;
    expect(promptTarget(appSnapshot([verifying]), { [SERIAL]: code })).toBeUndefined();
    expect(promptTarget(appSnapshot([verifying]), { [SERIAL]: pin })).toMatchObject({
      prompt: pin,
      verifying: true,
    });
  });
});

describe('notices in', () => {
  it('keeps one view notice per key (the newest) beside its battery notice, newest first, at most a few', () => {
    const store = createCompanionStore();
    store.getState().applySnapshot(appSnapshot());
    store.getState().applyNotice({ serialNo: SERIAL, kind: 'suspended', severity: 'warning' });
    store.getState().applyNotice({ serialNo: SERIAL, kind: 'lowBattery', severity: 'warning' });
    store.getState().applyNotice({ serialNo: SERIAL, kind: 'lockedByCode', severity: 'error' });
    let notices = store.getState().notices;
    // The key is no longer suspended: that notice is gone; the battery one stays.
    expect(notices.map((n) => n.kind)).toEqual(['lockedByCode', 'lowBattery']);
    expect(notices[0]?.name).toBe('Hideez Key 4');
    expect(store.getState().announcement).toMatchObject({
      politeness: 'assertive',
      message: { key: 'noticeTitle.lockedByCode', params: { name: 'Hideez Key 4' } },
    });

    store.getState().applyNotice({ serialNo: SERIAL, kind: 'suspended', severity: 'warning' });
    notices = store.getState().notices;
    expect(notices.map((n) => n.kind)).toEqual(['suspended', 'lowBattery']);
    expect(store.getState().announcement?.politeness).toBe('polite');

    // Other keys' notices add up to the limit.
    for (let i = 0; i < MAX_NOTICES + 2; i++) {
      store.getState().applyNotice({ serialNo: `ST${i}`, kind: 'active', severity: 'info' });
    }
    expect(store.getState().notices).toHaveLength(MAX_NOTICES);
    expect(store.getState().notices[0]?.serialNo).toBe(`ST${MAX_NOTICES + 1}`);

    const first = store.getState().notices[0];
    if (first) store.getState().dismissNotice(first.id);
    expect(store.getState().notices.map((n) => n.serialNo)).not.toContain(`ST${MAX_NOTICES + 1}`);
  });

  it('drops the notices of a key that is gone, and names an unknown key by serial', () => {
    const store = createCompanionStore();
    store.getState().applyNotice({ serialNo: 'ST9', kind: 'lowBattery', severity: 'warning' });
    expect(store.getState().notices[0]?.name).toBe('ST9');
    store.getState().applySnapshot(appSnapshot());
    expect(store.getState().notices).toEqual([]);
  });
});

describe('the bridge state', () => {
  it('announces a lost companion at once and its return politely', () => {
    const store = createCompanionStore('connecting');
    store.getState().setBridge('open');
    expect(store.getState().announcement).toBeUndefined();
    store.getState().setBridge('lost');
    expect(store.getState().announcement).toMatchObject({
      politeness: 'assertive',
      message: { key: 'bridge.lost.title' },
    });
    store.getState().setBridge('open');
    expect(store.getState().announcement).toMatchObject({
      politeness: 'polite',
      message: { key: 'bridge.restored' },
    });
  });
});

/** A connection over an in-test transport: events pushed by the test, answers by `answer`. */
function testConnection(kind: CompanionConnection['kind'], answer: (name: string) => unknown) {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const stateListeners = new Set<(s: BridgeState) => void>();
  let state: BridgeState = 'open';
  const api = createCompanionApi({
    call: (name) => Promise.resolve(answer(name)),
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  const connection: CompanionConnection = {
    kind,
    api,
    state: () => state,
    onState: (l) => (stateListeners.add(l), () => void stateListeners.delete(l)),
    close: () => undefined,
  };
  return {
    connection,
    push: (event: EventName, payload: unknown) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    setState: (next: BridgeState) => {
      state = next;
      for (const l of stateListeners) l(next);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

describe('the feed', () => {
  it('applies pushed snapshots and notices, drops invalid ones, follows the bridge', () => {
    const store = createCompanionStore();
    const peer = testConnection('socket', () => ({ ok: true, value: null }));
    const stop = connectStore(store, peer.connection);
    expect(store.getState().bridge).toBe('open');

    peer.push('snapshot', appSnapshot());
    peer.push('snapshot', { keys: 'not a snapshot' });
    peer.push('notice', { serialNo: SERIAL, kind: 'locked', severity: 'error' });
    peer.push('notice', { serialNo: SERIAL, kind: 'made up', severity: 'error' });
    expect(store.getState().snapshot).toEqual(appSnapshot());
    expect(store.getState().notices.map((n) => n.kind)).toEqual(['locked']);

    peer.setState('lost');
    expect(store.getState().bridge).toBe('lost');
    stop();
    expect(peer.listenerCount()).toBe(0);
  });

  it('asks Electron for the current snapshot once, unless a newer one was pushed', async () => {
    const initial = appSnapshot([]);
    const store = createCompanionStore();
    const peer = testConnection('electron', () => ({ ok: true, value: initial }));
    connectStore(store, peer.connection);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.getState().snapshot).toEqual(initial);

    const newer = appSnapshot();
    let release: (v: unknown) => void = () => undefined;
    const late = new Promise((resolve) => (release = resolve));
    const second = createCompanionStore();
    const slow = testConnection('electron', () => late);
    connectStore(second, slow.connection);
    slow.push('snapshot', newer);
    release({ ok: true, value: initial });
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    expect(second.getState().snapshot).toEqual(newer);
  });
});

describe("Electron's API on window", () => {
  it('is used only when it looks like the preload’s', () => {
    const api = createCompanionApi({
      call: () => Promise.resolve(null),
      subscribe: () => () => undefined,
    });
    expect(electronApi({ companion: api })).toBe(api);
    expect(electronApi({})).toBeUndefined();
    expect(electronApi({ companion: { getSnapshot: 'no' } })).toBeUndefined();
  });
});
