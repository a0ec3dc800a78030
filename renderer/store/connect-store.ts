// Feeds the store from the companion: every pushed snapshot and notice, and the
// bridge's state. Electron's IPC pushes only changes, so the current snapshot is asked
// for once at start (an answer older than a pushed snapshot is dropped); the browser
// host pushes it on every new socket by itself.
import type { CompanionConnection } from '../bridge/companion-connection';
import type { CompanionStore } from './companion-store';

export function connectStore(store: CompanionStore, connection: CompanionConnection): () => void {
  const state = store.getState();
  state.setBridge(connection.state());
  const stops = [connection.onState((next) => store.getState().setBridge(next))];
  const api = connection.api;
  if (api !== undefined) {
    let pushed = false;
    stops.push(
      api.onSnapshot((snapshot) => {
        pushed = true;
        store.getState().applySnapshot(snapshot);
      }),
      api.onNotice((notice) => store.getState().applyNotice(notice)),
    );
    if (connection.kind === 'electron') {
      void api.getSnapshot().then((answer) => {
        if (answer.ok && !pushed) store.getState().applySnapshot(answer.value);
      });
    }
  }
  return () => {
    for (const stop of stops) stop();
  };
}
