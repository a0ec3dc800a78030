// The companion service against a scripted HES peer (test/main/hes/hes-test-server.ts: the
// real SignalR protocol, replies set by each test), with a real open-protocol virtual key
// on the virtual USB bus and the real HES client, device manager and service. For what a
// real HES may do that the stand-in never does: codes never seen, null data, unknown
// server calls, silence.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceManager } from '../../../device/manager/device-manager';
import { openProtocolKeys } from '../../../device/open-protocol/open-discovery';
import { hesEventLogLine, hubLogTo } from '../../../main/hes/hes-event-log';
import { createHesClient, type HesClient } from '../../../main/hes/hes-client';
import type { LogLine } from '../../../main/app/log-line';
import {
  createCompanionService,
  type CompanionService,
} from '../../../main/workflow/companion-service';
import { deviceRelay } from '../../../main/workflow/device-relay';
import type { KeySnapshot } from '../../../shared/ipc/snapshot';
import type { ServerConnection } from '../../../shared/view/server-state';
import { TappedUsbBus, virtualKeys } from '../../device/manager/virtual-usb';
import { TestHes, workstationInfo } from '../hes/hes-test-server';
import { createWaiters } from './waiters';

export interface ScriptedRig {
  readonly server: TestHes;
  readonly hes: HesClient;
  readonly service: CompanionService;
  readonly serial: string;
  readonly log: LogLine[];
  key(): KeySnapshot | undefined;
  until(match: (k: KeySnapshot) => boolean): Promise<KeySnapshot>;
  untilServer(state: ServerConnection['state']): Promise<void>;
  untilLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  close(): Promise<void>;
}

export async function startScriptedRig(
  options: { readonly callTimeoutMs?: number } = {},
): Promise<ScriptedRig> {
  const dir = await mkdtemp(join(tmpdir(), 'scripted-hes-'));
  const server = await TestHes.start();
  const { keys, cleanup } = await virtualKeys(1);
  const serial = keys[0]?.serialNo ?? '';
  const usb = new TappedUsbBus(keys);
  const devices = new DeviceManager({
    discoveries: [openProtocolKeys(usb.discovery)],
    reconnectDelayMs: 20,
    infoTimeoutMs: 5000,
  });
  const log: LogLine[] = [];
  const waiters = createWaiters();
  const record = (line: LogLine): void => {
    log.push(line);
    waiters.wake();
  };
  const hes = createHesClient({
    serverUrl: server.base,
    workstationId: 'ws-scripted',
    workstationInfo: () => workstationInfo('ws-scripted'),
    relay: deviceRelay(devices),
    reconnect: { firstMs: 20, stepMs: 20, maxMs: 100, jitter: 0 },
    registrationRetryMs: 50,
    log: hubLogTo(record),
    ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
  });
  hes.onEvent((event) => record(hesEventLogLine(event)));
  const service = createCompanionService({
    devices,
    hes,
    historyFile: join(dir, 'history.json'),
  });
  let last: KeySnapshot | undefined;
  service.onSnapshot((s) => {
    last = s.keys.find((k) => k.serialNo === serial);
    waiters.wake();
  });
  hes.onState(() => waiters.wake());
  devices.start();
  hes.start();
  const key = (): KeySnapshot | undefined => last;
  return {
    server,
    hes,
    service,
    serial,
    log,
    key,
    async until(match) {
      await waiters.wait(() => {
        const k = key();
        return k !== undefined && match(k);
      });
      return key() as KeySnapshot;
    },
    untilServer: (state) => waiters.wait(() => hes.state.state === state),
    async untilLog(match) {
      await waiters.wait(() => log.some(match));
      return log.find(match) as LogLine;
    },
    async close() {
      await service.stop();
      await devices.stop();
      await hes.stop();
      await server.stop();
      await cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
