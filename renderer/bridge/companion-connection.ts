// Which way the page reaches main: Electron's preload puts the CompanionApi on
// window.companion (main/shell/preload.ts); the browser host serves the page with a
// token in its fragment, and the page opens the WebSocket itself. Without either the
// page has no companion and says so.
import { createCompanionApi, type CompanionApi } from '../../shared/ipc/bridge';
import {
  createSocketTransport,
  socketUrlFor,
  type BridgeState,
  type SocketTransportOptions,
} from './socket-transport';

export interface CompanionConnection {
  readonly kind: 'electron' | 'socket' | 'none';
  readonly api: CompanionApi | undefined;
  /** Electron's IPC is always there; the socket comes and goes. */
  state(): BridgeState;
  onState(listener: (state: BridgeState) => void): () => void;
  close(): void;
}

const API_FUNCTIONS = ['getSnapshot', 'onSnapshot', 'onNotice', 'submitActivationCode'] as const;

/** The preload's API, when this page runs in the companion's Electron window. */
export function electronApi(host: { companion?: unknown }): CompanionApi | undefined {
  const candidate = host.companion;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const api = candidate as Record<string, unknown>;
  return API_FUNCTIONS.every((name) => typeof api[name] === 'function')
    ? (candidate as CompanionApi)
    : undefined;
}

export function connectToCompanion(
  host: { companion?: unknown; location: Pick<Location, 'protocol' | 'host' | 'hash'> },
  options: SocketTransportOptions = {},
): CompanionConnection {
  const fromPreload = electronApi(host);
  if (fromPreload) {
    return {
      kind: 'electron',
      api: fromPreload,
      state: () => 'open',
      onState: () => () => undefined,
      close: () => undefined,
    };
  }
  const url = socketUrlFor(host.location);
  if (url === undefined) {
    return {
      kind: 'none',
      api: undefined,
      state: () => 'lost',
      onState: () => () => undefined,
      close: () => undefined,
    };
  }
  const transport = createSocketTransport(url, options);
  return {
    kind: 'socket',
    api: createCompanionApi(transport),
    state: () => transport.state(),
    onState: (listener) => transport.onState(listener),
    close: () => transport.close(),
  };
}
