// The renderer's state: the last snapshot main pushed, the notices it sent, what the
// live region should say, and where the user is (keys or settings, an open Change PIN
// dialog). Fed only by the IPC events (connect-store.ts) and the user's navigation;
// it holds catalogue keys, never words, so a language switch redraws everything.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Notice } from '../../shared/ipc/contract';
import type { AppSnapshot, FlowStep, Prompt } from '../../shared/ipc/snapshot';
import type { BridgeState } from '../bridge/socket-transport';
import { serverStateRef, type MessageRef } from '../i18n/message-ref';

export interface NoticeItem extends Notice {
  readonly id: number;
  /** The key's name when the notice came (the key may be gone later). */
  readonly name: string;
}

export type Politeness = 'polite' | 'assertive';
export interface Announcement {
  readonly id: number;
  readonly politeness: Politeness;
  readonly message: MessageRef;
}

export type Page = 'keys' | 'settings';

export interface CompanionState {
  readonly snapshot: AppSnapshot | undefined;
  readonly bridge: BridgeState;
  readonly notices: readonly NoticeItem[];
  readonly announcement: Announcement | undefined;
  /**
   * The last prompt each key asked: while the key checks what was typed (verifyingCode,
   * verifyingPin) the snapshot has no prompt, and the dialog stays open on this one.
   */
  readonly lastPrompts: Readonly<Record<string, Prompt>>;
  /** Each key's minimum PIN length, as its last PIN prompt said (for Change PIN). */
  readonly pinMinLengths: Readonly<Record<string, number>>;
  readonly page: Page;
  /** The key whose Change PIN dialog is open. */
  readonly changePinFor: string | undefined;

  applySnapshot(snapshot: AppSnapshot): void;
  applyNotice(notice: Notice): void;
  dismissNotice(id: number): void;
  setBridge(state: BridgeState): void;
  announce(politeness: Politeness, message: MessageRef): void;
  openPage(page: Page): void;
  openChangePin(serialNo: string | undefined): void;
}

export type CompanionStore = StoreApi<CompanionState>;

/** At most this many notices are kept (newest first). */
export const MAX_NOTICES = 5;

const VERIFYING_STEPS: ReadonlySet<FlowStep> = new Set(['verifyingCode', 'verifyingPin']);

export function createCompanionStore(initialBridge: BridgeState = 'connecting'): CompanionStore {
  let nextId = 0;
  const id = (): number => (nextId += 1);

  return createStore<CompanionState>()((set, get) => ({
    snapshot: undefined,
    bridge: initialBridge,
    notices: [],
    announcement: undefined,
    lastPrompts: {},
    pinMinLengths: {},
    page: 'keys',
    changePinFor: undefined,

    applySnapshot(snapshot) {
      const before = get();
      const lastPrompts: Record<string, Prompt> = {};
      const pinMinLengths: Record<string, number> = {};
      for (const key of snapshot.keys) {
        const kept = before.lastPrompts[key.serialNo];
        if (key.prompt) lastPrompts[key.serialNo] = key.prompt;
        else if (kept && VERIFYING_STEPS.has(key.step)) lastPrompts[key.serialNo] = kept;
        const minLength =
          key.prompt?.kind === 'pin' || key.prompt?.kind === 'newPin'
            ? key.prompt.minLength
            : (key.minPinLength ?? before.pinMinLengths[key.serialNo]);
        if (minLength !== undefined) pinMinLengths[key.serialNo] = minLength;
      }
      const serials = new Set(snapshot.keys.map((k) => k.serialNo));
      const changePin = before.changePinFor;
      const previous = before.snapshot?.server.connection;
      const next = snapshot.server.connection;
      const serverChanged =
        previous !== undefined &&
        (previous.state !== next.state ||
          (previous.state === 'offline' &&
            next.state === 'offline' &&
            previous.reason !== next.reason));
      set({
        snapshot,
        lastPrompts,
        pinMinLengths,
        notices: before.notices.filter((n) => serials.has(n.serialNo)),
        changePinFor: changePin !== undefined && serials.has(changePin) ? changePin : undefined,
        ...(serverChanged
          ? {
              announcement: {
                id: id(),
                politeness: next.state === 'alarm' ? 'assertive' : 'polite',
                message: { key: 'server.announce', nested: { state: serverStateRef(next) } },
              },
            }
          : {}),
      });
    },

    applyNotice(notice) {
      const key = get().snapshot?.keys.find((k) => k.serialNo === notice.serialNo);
      const item: NoticeItem = { ...notice, id: id(), name: key?.name ?? notice.serialNo };
      // One view notice per key (the newest says where it stands now), beside its battery notice.
      const sameTopic = (kind: string): boolean =>
        kind === notice.kind || (kind !== 'lowBattery' && notice.kind !== 'lowBattery');
      const others = get().notices.filter(
        (n) => !(n.serialNo === notice.serialNo && sameTopic(n.kind)),
      );
      set({
        notices: [item, ...others].slice(0, MAX_NOTICES),
        announcement: {
          id: id(),
          politeness: notice.severity === 'error' ? 'assertive' : 'polite',
          message: { key: `noticeTitle.${notice.kind}`, params: { name: item.name } },
        },
      });
    },

    dismissNotice(noticeId) {
      set({ notices: get().notices.filter((n) => n.id !== noticeId) });
    },

    setBridge(state) {
      const before = get().bridge;
      if (before === state) return;
      const announcement: Announcement | undefined =
        state === 'lost'
          ? { id: id(), politeness: 'assertive', message: { key: 'bridge.lost.title' } }
          : state === 'gone'
            ? { id: id(), politeness: 'assertive', message: { key: 'bridge.gone.title' } }
            : state === 'open' && before === 'lost'
              ? { id: id(), politeness: 'polite', message: { key: 'bridge.restored' } }
              : undefined;
      set({ bridge: state, ...(announcement ? { announcement } : {}) });
    },

    announce(politeness, message) {
      set({ announcement: { id: id(), politeness, message } });
    },

    openPage(page) {
      set({ page });
    },

    openChangePin(serialNo) {
      set({ changePinFor: serialNo });
    },
  }));
}
