// What the companion tells the server before it exits (SIGTERM/SIGINT, the app quitting):
// each connected key Offline (UpdateHwVaultProperties with Offline, as at a disconnect, so
// HES stops offering the key's remote channel through this workstation and records when
// its owner was last seen), and the audit events still queued. A server that does not
// answer cannot hold the exit: the whole step has a limit, after which what is left stays
// queued on disk for the next start.
import type { DeviceManager } from '../../device/manager/device-manager';
import { HwVaultConnectionState } from '../../shared/hes/dto';
import type { AuditQueue } from '../audit/audit-queue';
import type { HesClient } from '../hes/hes-client';
import type { LogLine } from './log-line';

/** How long the goodbye to the server may take before the companion exits anyway. */
export const FAREWELL_LIMIT_MS = 3_000;

export interface FarewellParts {
  readonly devices: DeviceManager;
  readonly hes: HesClient;
  readonly audit: AuditQueue;
  readonly log: (line: LogLine) => void;
}

/** Reports every connected key Offline and flushes the audit queue, within `limitMs`. */
export async function farewell(parts: FarewellParts, limitMs = FAREWELL_LIMIT_MS): Promise<void> {
  const { devices, hes, audit, log } = parts;
  const reports =
    hes.state.state === 'connected'
      ? devices.keys().flatMap((record) => {
          const info = record.info;
          if (record.state !== 'connected' || info === undefined) return [];
          return [
            hes.updateHwVaultProperties(
              hes.buildVaultDto(info, HwVaultConnectionState.Offline),
              false,
            ),
          ];
        })
      : [];
  const work = Promise.allSettled([...reports, audit.flush()]);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), limitMs);
  });
  const outcome = await Promise.race([work, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    log({
      level: 'warn',
      code: 'FAREWELL_TIMED_OUT',
      message: `the server did not answer within ${limitMs} ms: queued events stay for the next start`,
    });
    return;
  }
  const failed = outcome.filter((r) => r.status === 'rejected').length;
  if (failed > 0) {
    log({
      level: 'warn',
      code: 'FAREWELL_INCOMPLETE',
      message: `${failed} of ${outcome.length} goodbye calls failed: queued events stay for the next start`,
    });
  }
}
