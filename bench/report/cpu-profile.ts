// What the companion's CPU goes to, from the V8 CPU profile of its process (written
// when BENCH_CPU_PROFILE=<dir> is set; companion/companion-process.ts). Each sample's
// time is given to the code that owns it: the nearest frame on its stack that is not
// Node's own (so a socket write is charged to whoever wrote), grouped by folder or
// package. Only samples inside [fromMs, toMs] count (V8's clock is CLOCK_MONOTONIC too).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Frames' urls are file URLs; owners are named by their path inside the repository. */
const ROOT_URL = pathToFileURL(resolve(import.meta.dirname, '..', '..')).href + '/';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface CpuOwner {
  readonly owner: string;
  readonly ms: number;
  readonly share: number;
}

/** Path prefixes inside the repository, first match wins. */
const OWNERS: readonly (readonly [string, string])[] = [
  ['bench/', 'bench instrumentation (link bridge, reporting)'],
  ['device/key3/', 'device/key3 (Key 3 packets, session, driver)'],
  ['device/', 'device/ (framing, transports, device manager)'],
  ['main/workflow/', 'main/workflow (flows, snapshots)'],
  ['main/hes/', 'main/hes (HES client)'],
  ['main/audit/', 'main/audit (queue, SQLite)'],
  ['main/history/', 'main/history'],
  ['main/ipc/', 'main/ipc'],
  ['main/', 'main/ (other)'],
  ['shared/', 'shared/ (view, contract)'],
  ['node_modules/@microsoft/signalr/', '@microsoft/signalr'],
  ['node_modules/ws/', 'ws (WebSocket)'],
  ['node_modules/fetch-cookie/', 'negotiate HTTP (fetch, cookies)'],
  ['node_modules/tough-cookie/', 'negotiate HTTP (fetch, cookies)'],
];

const isProfile = (value: unknown): value is CpuProfile =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as { nodes?: unknown }).nodes) &&
  Array.isArray((value as { samples?: unknown }).samples) &&
  Array.isArray((value as { timeDeltas?: unknown }).timeDeltas);

function ownerOfUrl(url: string): string {
  const path = url.startsWith(ROOT_URL) ? url.slice(ROOT_URL.length) : url;
  for (const [prefix, owner] of OWNERS) if (path.startsWith(prefix)) return owner;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  return pkg ?? 'other';
}

/** The newest .cpuprofile in `dir`, if any. */
export async function newestProfile(dir: string): Promise<string | undefined> {
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.cpuprofile'));
  const dated = await Promise.all(
    names.map(async (n) => ({ path: join(dir, n), at: (await stat(join(dir, n))).mtimeMs })),
  );
  return dated.sort((a, b) => b.at - a.at)[0]?.path;
}

export async function cpuOwners(
  file: string,
  fromMs: number,
  toMs: number,
): Promise<{ busyMs: number; owners: CpuOwner[] }> {
  const profile: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isProfile(profile)) throw new Error(`${file} is not a V8 CPU profile`);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const owners = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owners.get(id);
    if (known !== undefined) return known;
    const { functionName, url } = nodes.get(id)?.callFrame ?? { functionName: '', url: '' };
    let owner: string;
    if (functionName === '(garbage collector)') owner = 'garbage collector';
    else if (functionName === '(program)') owner = 'V8 / native (no JS frame)';
    else if (url !== '' && !url.startsWith('node:')) owner = ownerOfUrl(url);
    else {
      const up = parent.get(id);
      owner = up === undefined ? 'Node internals (I/O callbacks)' : ownerOf(up);
    }
    owners.set(id, owner);
    return owner;
  };
  const totals = new Map<string, number>();
  let at = profile.startTime;
  let busy = 0;
  for (const [i, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at / 1000 < fromMs || at / 1000 > toMs) continue;
    if (nodes.get(id)?.callFrame.functionName === '(idle)') continue;
    const owner = ownerOf(id);
    totals.set(owner, (totals.get(owner) ?? 0) + delta);
    busy += delta;
  }
  return {
    busyMs: busy / 1000,
    owners: [...totals]
      .map(([owner, us]) => ({ owner, ms: us / 1000, share: busy > 0 ? us / busy : 0 }))
      .sort((a, b) => b.ms - a.ms),
  };
}
