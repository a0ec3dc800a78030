// The demo's world: the HES stand-in on its own SQLite file (ephemeral port), and
// virtual keys of both families — an open-protocol key and a Hideez Key 3 — provisioned,
// imported and each reserved for a demo employee, with the activation codes an
// administrator would send. Everything lives in one per-run temp folder (0700, marked
// with this pid: run-folder.ts), made afresh at each start, so the keys and the
// server always start from the same state (every key Reserved and locked by its code,
// with all its attempts); the folders of demos killed before they could clean up are
// removed first.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startHesStandIn, type HesStandInServer } from '../hes/server';
import { provisionKeys } from '../key/provision';
import { VirtualKey } from '../key/virtual-key';
import { provisionKey3s } from '../key3/provision-key3';
import { createRunFolder, removeDeadRuns } from './run-folder';

export const DEMO_EMPLOYEE = {
  firstName: 'Demo',
  lastName: 'User',
  email: 'demo.user@example.com',
};

export interface DemoCode {
  readonly serialNo: string;
  readonly code: string;
}

export interface DemoWorld {
  readonly dir: string;
  readonly server: HesStandInServer;
  readonly keys: readonly VirtualKey[];
  readonly codes: readonly DemoCode[];
  close(): Promise<void>;
}

/** How many keys of each family the demo has (default: one of each). */
export interface DemoKeyCounts {
  readonly open?: number;
  readonly key3?: number;
  /** Where the run folder goes (default: the system temp folder). */
  readonly parent?: string;
}

export async function startDemoWorld(counts: DemoKeyCounts = {}): Promise<DemoWorld> {
  await removeDeadRuns(counts.parent);
  const dir = await createRunFolder(counts.parent);
  const server = await startHesStandIn({ dbFile: join(dir, 'hes.sqlite'), port: 0 });
  let keys: VirtualKey[] = [];
  try {
    const keyDir = join(dir, 'keys');
    const openCount = counts.open ?? 1;
    const key3Count = counts.key3 ?? 1;
    const records = [
      ...(openCount > 0 ? await provisionKeys(keyDir, openCount) : []),
      ...(key3Count > 0 ? await provisionKey3s(keyDir, key3Count) : []),
    ];
    server.standIn.importVaults(records);
    const codes: DemoCode[] = records.map((record, i) => {
      const employee = server.standIn.addEmployee({
        ...DEMO_EMPLOYEE,
        lastName: i === 0 ? DEMO_EMPLOYEE.lastName : `${DEMO_EMPLOYEE.lastName} ${i + 1}`,
      });
      const { activationCode } = server.standIn.reserve(record.serialNo, employee.id);
      return { serialNo: record.serialNo, code: activationCode };
    });
    keys = await VirtualKey.openFolder(keyDir);
    return {
      dir,
      server,
      keys,
      codes,
      async close() {
        for (const key of keys) key.unplug();
        await server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const key of keys) key.unplug();
    await server.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
