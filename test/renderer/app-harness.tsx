// The whole renderer over a real store and the real bridge (createCompanionApi), with
// main played by the test: it records the commands the page sends, answers them, and
// pushes snapshots and notices into the store as connect-store would.
import { act } from '@testing-library/react';
import { createCompanionApi } from '../../shared/ipc/bridge';
import type { CommandName, CommandResult, Notice } from '../../shared/ipc/contract';
import type { AppSnapshot } from '../../shared/ipc/snapshot';
import { App } from '../../renderer/app/App';
import type { BridgeState } from '../../renderer/bridge/socket-transport';
import type { Language } from '../../renderer/i18n/i18n';
import { createCompanionStore } from '../../renderer/store/companion-store';
import { renderIn, type Rendered } from './render-helpers';

export interface Call {
  readonly name: CommandName;
  readonly args: readonly unknown[];
}

export interface Mounted extends Rendered {
  readonly calls: Call[];
  readonly saved: Map<string, string>;
  push(snapshot: AppSnapshot): void;
  notice(notice: Notice): void;
  bridge(state: BridgeState): void;
}

export function mountApp(
  snapshot: AppSnapshot | undefined,
  options: {
    readonly answer?: (name: CommandName, args: readonly unknown[]) => CommandResult | undefined;
    readonly language?: Language;
  } = {},
): Mounted {
  const store = createCompanionStore('open');
  const calls: Call[] = [];
  const api = createCompanionApi({
    call: (name, args) => {
      calls.push({ name, args: [...args] });
      return Promise.resolve(options.answer?.(name, args) ?? { ok: true, value: null });
    },
    subscribe: () => () => undefined,
  });
  if (snapshot) store.getState().applySnapshot(snapshot);
  const saved = new Map<string, string>();
  const storage = { setItem: (key: string, value: string) => void saved.set(key, value) };
  const rendered = renderIn(
    <App store={store} api={api} connectionKind="socket" storage={storage} />,
    options.language,
  );
  return {
    ...rendered,
    calls,
    saved,
    push: (next) => act(() => store.getState().applySnapshot(next)),
    notice: (next) => act(() => store.getState().applyNotice(next)),
    bridge: (state) => act(() => store.getState().setBridge(state)),
  };
}
