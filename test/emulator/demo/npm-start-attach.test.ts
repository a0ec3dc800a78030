// `npm start -- --server URL --virtual-keys FOLDER --data-dir DIR` (emulator/demo/start.ts
// in a child process) keeps the companion's data across runs, as the packaged app does:
// a run killed with SIGKILL before the administrator approved the workstation leaves its
// id and its queued audit events; the next run is the same workstation (approved once,
// no new registration) at the same page address, and delivers the first run's events.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHesStandIn, type HesStandInServer } from '../../../emulator/hes/server';
import { provisionKeys } from '../../../emulator/key/provision';
import { WorkstationEventType } from '../../../shared/hes/dto';
import type { AppSnapshot } from '../../../shared/ipc/snapshot';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const START = join(ROOT, 'emulator', 'demo', 'start.ts');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startDemo(args: readonly string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', START, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => void (child.exitCode === null && child.kill('SIGKILL')));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^URL: (\S+)$/.exec(line);
      if (match) resolveUrl(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${stderr}`)));
  });
  return { child, url };
}

/** The page's socket until a snapshot matches. */
async function untilSnapshot(pageUrl: string, match: (s: AppSnapshot) => boolean): Promise<void> {
  const page = new URL(pageUrl);
  const token = new URLSearchParams(page.hash.slice(1)).get('token') ?? '';
  const ws = new WebSocket(`ws://${page.host}/ipc?token=${token}`, {
    origin: `${page.protocol}//${page.host}`,
  });
  try {
    await new Promise<void>((resolveMatch, reject) => {
      ws.on('message', (data) => {
        const frame = JSON.parse((data as Buffer).toString('utf8')) as {
          event?: string;
          payload?: AppSnapshot;
        };
        if (frame.event === 'snapshot' && frame.payload && match(frame.payload)) resolveMatch();
      });
      ws.once('error', reject);
    });
  } finally {
    ws.close();
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}

describe('npm start -- --server --virtual-keys --data-dir', () => {
  it('is the same workstation after a SIGKILL, and sends the audit events queued before it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-attach-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const server: HesStandInServer = await startHesStandIn({
      dbFile: join(dir, 'hes.sqlite'),
      port: 0,
    });
    cleanups.push(() => server.close());
    const records = await provisionKeys(join(dir, 'keys'), 1);
    server.standIn.importVaults(records);
    const serial = records[0]!.serialNo;
    const args = [
      '--server',
      server.url,
      '--virtual-keys',
      join(dir, 'keys'),
      '--data-dir',
      join(dir, 'data'),
      '--browser',
      '--no-open',
    ];

    // Run 1: registers, is not approved, sees the key (DeviceConnect queued), is killed.
    const first = startDemo(args);
    await untilSnapshot(await first.url, (s) => s.keys.some((k) => k.serialNo === serial));
    await until(() => server.standIn.listWorkstations().length === 1);
    const id = server.standIn.listWorkstations()[0]!.id;
    expect(server.standIn.auditEvents()).toHaveLength(0);
    first.child.kill('SIGKILL');
    await new Promise((closed) => first.child.once('close', closed));
    server.standIn.approveWorkstation(id);

    // Run 2: the same id, already approved: connected without a new approval.
    const second = startDemo(args);
    // The same page address too: a tab left open on run 1 reconnects to run 2.
    expect(await second.url).toBe(await first.url);
    await untilSnapshot(await second.url, (s) => s.server.connection.state === 'connected');
    expect(server.standIn.listWorkstations().map((w) => w.id)).toEqual([id]);
    // Both runs' DeviceConnect reach the server: the first one from the kept queue.
    const connects = (): number =>
      server.standIn
        .auditEvents()
        .filter((e) => e['eventId'] === WorkstationEventType.DeviceConnect).length;
    await until(() => connects() >= 2);
    expect(connects()).toBe(2);
  }, 120_000);
});
