// Starts the companion's HES client against a TestHes with short retry periods,
// records its states and events, and waits for them by events (never by time).
import {
  createHesClient,
  type HesClient,
  type HesClientEvent,
  type HesClientOptions,
} from '../../../main/hes/hes-client';
import type { ServerConnection } from '../../../shared/view/server-state';
import { workstationInfo } from './hes-test-server';

export const WORKSTATION_ID = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';

export interface Harness {
  readonly client: HesClient;
  readonly states: ServerConnection[];
  readonly events: HesClientEvent[];
  until(match: (state: ServerConnection) => boolean): Promise<ServerConnection>;
  untilState(name: ServerConnection['state']): Promise<ServerConnection>;
  event<T extends HesClientEvent['type']>(
    type: T,
    match?: (e: Extract<HesClientEvent, { type: T }>) => boolean,
  ): Promise<Extract<HesClientEvent, { type: T }>>;
}

const running: HesClient[] = [];

export async function stopClients(): Promise<void> {
  while (running.length > 0) await running.pop()?.stop();
}

export function startClient(
  serverUrl: string | undefined,
  options: Partial<HesClientOptions> = {},
): Harness {
  const client = createHesClient({
    serverUrl,
    workstationId: WORKSTATION_ID,
    workstationInfo: () => workstationInfo(),
    relay: () => Promise.reject(new Error('no key here')),
    reconnect: { firstMs: 20, stepMs: 20, maxMs: 100, jitter: 0 },
    registrationRetryMs: 50,
    ...options,
  });
  running.push(client);
  const states: ServerConnection[] = [client.state];
  const events: HesClientEvent[] = [];
  const stateWaiters = new Set<{
    match: (s: ServerConnection) => boolean;
    resolve: (s: ServerConnection) => void;
  }>();
  const eventWaiters = new Set<{
    match: (e: HesClientEvent) => boolean;
    resolve: (e: HesClientEvent) => void;
  }>();
  client.onState((state) => {
    states.push(state);
    for (const w of stateWaiters) {
      if (!w.match(state)) continue;
      stateWaiters.delete(w);
      w.resolve(state);
    }
  });
  client.onEvent((event) => {
    events.push(event);
    for (const w of eventWaiters) {
      if (!w.match(event)) continue;
      eventWaiters.delete(w);
      w.resolve(event);
    }
  });
  const until = (match: (state: ServerConnection) => boolean): Promise<ServerConnection> =>
    match(client.state)
      ? Promise.resolve(client.state)
      : new Promise((resolve) => stateWaiters.add({ match, resolve }));
  client.start();
  return {
    client,
    states,
    events,
    until,
    untilState: (name) => until((s) => s.state === name),
    event: (type, match = () => true) =>
      new Promise((resolve) =>
        eventWaiters.add({
          match: (e) => e.type === type && match(e as never),
          resolve: resolve as (e: HesClientEvent) => void,
        }),
      ),
  };
}
