// The companion's services composed as in production (plain Node, no electron):
// the workstation id, the device manager over the given discoveries, the HES client
// (its relay through the device manager), the audit queue, the workflow service and
// the IPC router. The Electron shell and the demo's browser host both start it.
import { join } from 'node:path';
import type { KeyDiscovery } from '../../device/key/key-connection';
import type { Key3Options } from '../../device/key3/driver/open-key3';
import { DeviceManager } from '../../device/manager/device-manager';
import { createBleKeyDiscovery } from '../../device/discovery/ble-keys';
import { openProtocolKeys } from '../../device/open-protocol/open-discovery';
import { createHidDiscovery, type HidDiscovery } from '../../device/transport/hid';
import { openAuditQueue, type AuditQueue } from '../audit/audit-queue';
import { auditSender } from '../hes/audit-sender';
import { createHesClient, type HesClient } from '../hes/hes-client';
import { loadWorkstationId, type WorkstationIdWarning } from '../hes/workstation-id';
import { createIpcRouter, type IpcRouter } from '../ipc/ipc-router';
import { createCompanionService, type CompanionService } from '../workflow/companion-service';
import { deviceRelay } from '../workflow/device-relay';
import { hesEventLogLine, hubLogTo } from '../hes/hes-event-log';
import { auditFailureLogLine } from './audit-log-line';
import { farewell, FAREWELL_LIMIT_MS } from './farewell';
import type { LogLine } from './log-line';
import { workstationInfo } from './workstation-info';

export const AUDIT_FILE = 'audit.sqlite';
export const HISTORY_FILE = 'history.json';

export interface CompanionAppOptions {
  /** Where the workstation id, the audit queue and the history live. */
  readonly dataDir: string;
  /** The HES base address; undefined: not configured. */
  readonly serverUrl?: string | undefined;
  /** How keys are found (defaultDiscoveries() for the real USB and Bluetooth). */
  readonly discoveries: readonly KeyDiscovery[];
  readonly appVersion: string;
  /** The companion's log: codes, messages, sizes and timings only, never secrets. */
  readonly onLog?: (line: LogLine) => void;
  /** How long stop() may spend telling the server goodbye (default FAREWELL_LIMIT_MS). */
  readonly farewellLimitMs?: number;
}

export interface CompanionApp {
  readonly router: IpcRouter;
  readonly service: CompanionService;
  readonly devices: DeviceManager;
  readonly hes: HesClient;
  readonly audit: AuditQueue;
  readonly workstationId: string;
  /**
   * Stops everything in order (router, service; connected keys reported Offline and the audit
   * queue flushed, within a limit; devices, server, audit); idempotent.
   */
  stop(): Promise<void>;
}

/**
 * The machine's real links: USB HID (node-hid: open-protocol keys) and Bluetooth LE
 * (noble: open-protocol keys and Hideez Key 3s, certified by the real vendor key only).
 */
export function defaultDiscoveries(options: { key3?: Pick<Key3Options, 'trace'> } = {}): {
  hid: HidDiscovery;
  all: KeyDiscovery[];
} {
  const hid = createHidDiscovery();
  const ble = createBleKeyDiscovery({
    key3: options.key3?.trace ? { trace: options.key3.trace } : {},
  });
  return { hid, all: [openProtocolKeys(hid), ble] };
}

const warningOf = (w: WorkstationIdWarning): LogLine => ({
  level: 'warn',
  code: w.code,
  message: w.message,
});

export async function startCompanionApp(options: CompanionAppOptions): Promise<CompanionApp> {
  const log = options.onLog ?? (() => undefined);
  const loaded = await loadWorkstationId(options.dataDir);
  if (loaded.warning) log(warningOf(loaded.warning));
  const workstationId = loaded.id;

  const devices = new DeviceManager({ discoveries: options.discoveries });
  const hes = createHesClient({
    serverUrl: options.serverUrl,
    workstationId,
    workstationInfo: () => workstationInfo(workstationId, options.appVersion),
    relay: deviceRelay(devices),
    log: hubLogTo(log),
  });
  hes.onEvent((event) => log(hesEventLogLine(event)));
  let audit: AuditQueue;
  try {
    audit = await openAuditQueue({
      file: join(options.dataDir, AUDIT_FILE),
      workstationId,
      send: auditSender(hes),
      onCorrupt: 'rename',
      onError: (e: unknown) => log(auditFailureLogLine(e)),
    });
  } catch (e) {
    await hes.stop();
    throw e;
  }
  const service = createCompanionService({
    devices,
    hes,
    audit,
    historyFile: join(options.dataDir, HISTORY_FILE),
  });
  const router = createIpcRouter(service);
  devices.start();
  hes.start();

  let stopping: Promise<void> | undefined;
  return {
    router,
    service,
    devices,
    hes,
    audit,
    workstationId,
    stop() {
      stopping ??= (async () => {
        router.dispose();
        await service.stop();
        await farewell({ devices, hes, audit, log }, options.farewellLimitMs ?? FAREWELL_LIMIT_MS);
        await devices.stop();
        await hes.stop();
        await audit.close();
      })();
      return stopping;
    },
  };
}
