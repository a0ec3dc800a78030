// Crash safety for real: a child process records events and is killed with
// SIGKILL at arbitrary points, several times, on the same file; then the file is
// reopened here and flushed. Every id whose record() returned in a child reaches
// the server, and the server stores each event once, even though a batch the
// server already had is resent after a kill between its send and its delete.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WorkstationEventDto } from '../../../shared/hes/dto';
import { openAuditQueue } from '../../../main/audit/audit-queue';
import { DedupingReceiver } from './hes-receiver';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();
const CHILD = fileURLToPath(new URL('./fixtures/record-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface ChildRun {
  readonly recorded: string[];
  readonly sentBatches: WorkstationEventDto[][];
}

/**
 * Runs the child until `killAfter(lines)` says so, then SIGKILLs it. Only complete
 * lines count: a line cut by the kill is an id we were never promised.
 */
const runAndKill = (
  file: string,
  mode: 'loop' | 'hang',
  killWhen: (run: ChildRun) => boolean,
  /** A busy parent: stops reading after this many records, for stallMs, so the pipe fills. */
  stall?: { readonly afterRecords: number; readonly ms: number },
): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: ChildRun = { recorded: [], sentBatches: [] };
    let buffered = '';
    let stderr = '';
    let killed = false;
    let stalled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      // Every complete line counts, also those written between the decision to kill and
      // the kill landing: the child went on recording, and the server went on storing.
      for (const text of lines) {
        if (text.startsWith('R ')) run.recorded.push(text.slice(2));
        else if (text.startsWith('S '))
          run.sentBatches.push(JSON.parse(text.slice(2)) as WorkstationEventDto[]);
        if (stall && !stalled && run.recorded.length >= stall.afterRecords) {
          stalled = true;
          child.stdout.pause();
          setTimeout(() => child.stdout.resume(), stall.ms);
        }
        if (!killed && killWhen(run)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    // 'close', not 'exit': every line the child wrote before dying has been read by then.
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(run);
      else reject(new Error(`child exited on its own (${code}): ${stderr}`));
    });
  });

/** A small deterministic generator, so a failing run can be repeated. */
const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

describe('crash safety of the audit queue', () => {
  it(
    'delivers every recorded event after repeated SIGKILLs, and the server stores each once',
    { timeout: 120_000 },
    async () => {
      const file = join(tempDir(), 'events.sqlite');
      const hes = new DedupingReceiver();
      const recorded: string[] = [];
      const random = prng(20240604);
      const modes: ('loop' | 'hang')[] = ['loop', 'hang', 'loop', 'loop', 'hang', 'loop'];
      let resentAfterHang = new Set<string>();

      for (const mode of modes) {
        const stopAt = 20 + Math.floor(random() * 400);
        const run = await runAndKill(file, mode, (r) =>
          mode === 'hang'
            ? // Killed while the server holds a batch the child has not yet deleted.
              r.sentBatches.length > 0 && r.recorded.length >= stopAt
            : r.recorded.length >= stopAt,
        );
        // What the child sent, the server received and stored (deduping as HES does).
        for (const batch of run.sentBatches) hes.accept(batch);
        recorded.push(...run.recorded);
        if (mode === 'hang') {
          resentAfterHang = new Set([
            ...resentAfterHang,
            ...run.sentBatches.flat().map((e) => e.id),
          ]);
        }
      }

      const queue = await openAuditQueue({ file, workstationId: 'ws-crash', send: hes.send });
      const result = await queue.flush();
      expect(result.error).toBeUndefined();
      expect(queue.pending()).toBe(0);
      await queue.close();

      // Every event whose record() returned in a child reached the server …
      expect(recorded.length).toBeGreaterThan(modes.length * 20);
      for (const id of recorded) expect(hes.stored.has(id)).toBe(true);
      // … the batches in flight at a kill were received twice …
      const counts = new Map<string, number>();
      for (const id of hes.received) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect(resentAfterHang.size).toBeGreaterThan(0);
      expect([...resentAfterHang].every((id) => (counts.get(id) ?? 0) >= 2)).toBe(true);
      expect(hes.received.length).toBeGreaterThan(hes.stored.size);
      // … and the server keeps one row per id: stored count = unique ids received.
      expect(hes.stored.size).toBe(counts.size);
      for (const event of hes.stored.values()) {
        expect(event).toMatchObject({ version: '1.1.0.0', workstationId: 'ws-crash' });
      }

      // Reopening after a clean flush finds nothing left to send.
      const again = await openAuditQueue({ file, workstationId: 'ws-crash', send: hes.send });
      expect(again.pending()).toBe(0);
      await again.close();
    },
  );

  it(
    'keeps its promise when the parent stops reading for a while (the pipe fills up)',
    { timeout: 60_000 },
    async () => {
      const file = join(tempDir(), 'events.sqlite');
      const hes = new DedupingReceiver();
      // 3 s without reading: the child fills the 64 KiB pipe long before (each batch line
      // is kilobytes), so its writes meet EAGAIN and must wait rather than die.
      const run = await runAndKill(file, 'loop', (r) => r.recorded.length >= 400, {
        afterRecords: 20,
        ms: 3000,
      });
      for (const batch of run.sentBatches) hes.accept(batch);
      const queue = await openAuditQueue({ file, workstationId: 'ws-crash', send: hes.send });
      expect((await queue.flush()).error).toBeUndefined();
      await queue.close();
      expect(run.recorded.length).toBeGreaterThanOrEqual(400);
      for (const id of run.recorded) expect(hes.stored.has(id)).toBe(true);
    },
  );
});
