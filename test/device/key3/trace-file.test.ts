// The field trace file: one JSON record per line with its time, created for the user alone,
// appended to, and a write failure never breaks the session that records into it.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKey3TraceFile } from '../../../device/key3/trace/trace-file';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('the Key 3 trace file', () => {
  it('writes JSON lines with time and offset, mode 0600, and appends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trace-'));
    dirs.push(dir);
    const path = join(dir, 'k3.trace');
    let clock = 1_700_000_000_000;
    const trace = openKey3TraceFile(path, () => clock);
    trace.record({ kind: 'link', event: 'connect', details: { timeoutMs: 8000 } });
    clock += 25;
    trace.record({ kind: 'control', dir: 'key→host', code: 'STATUS', packet: '0016' });
    await trace.close();
    trace.record({ kind: 'link', event: 'afterClose' });
    const again = openKey3TraceFile(path, () => clock);
    again.record({ kind: 'link', event: 'second' });
    await again.close();
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l): unknown => JSON.parse(l));
    expect(lines).toEqual([
      {
        time: new Date(1_700_000_000_000).toISOString(),
        ms: 0,
        kind: 'link',
        event: 'connect',
        details: { timeoutMs: 8000 },
      },
      {
        time: new Date(1_700_000_000_025).toISOString(),
        ms: 25,
        kind: 'control',
        dir: 'key→host',
        code: 'STATUS',
        packet: '0016',
      },
      { time: new Date(1_700_000_000_025).toISOString(), ms: 0, kind: 'link', event: 'second' },
    ]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('a file that cannot be written drops records quietly', async () => {
    const trace = openKey3TraceFile(join(tmpdir(), 'no-such-dir-x8', 'k3.trace'));
    await new Promise((r) => setTimeout(r, 20));
    expect(() => trace.record({ kind: 'link', event: 'connect' })).not.toThrow();
    await trace.close();
  });
});
