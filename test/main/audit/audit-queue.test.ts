import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkstationEventType, type WorkstationEventDto } from '../../../shared/hes/dto';
import {
  openAuditQueue,
  type AuditQueue,
  type AuditQueueOptions,
} from '../../../main/audit/audit-queue';
import { TRUNCATION_MARK } from '../../../main/audit/fit-event';
import { looksLikeSecret } from '../../../main/audit/secret-guard';
import { DedupingReceiver, wireBytes } from './hes-receiver';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();
const open: AuditQueue[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const q of open.splice(0)) await q.close();
});

const openQueue = async (
  overrides: Partial<AuditQueueOptions> & Pick<AuditQueueOptions, 'send'>,
): Promise<AuditQueue> => {
  const queue = await openAuditQueue({
    file: join(tempDir(), 'events.sqlite'),
    workstationId: 'ws-1',
    flushIntervalMs: 60_000,
    durability: 'process',
    ...overrides,
  });
  open.push(queue);
  return queue;
};

const connect = (i: number) => ({
  eventId: WorkstationEventType.DeviceConnect,
  note: `event ${i}`,
});

describe('the audit queue', () => {
  it('sends pending events oldest first and deletes them once the server accepted them', async () => {
    const hes = new DedupingReceiver();
    const queue = await openQueue({ send: hes.send });
    const ids = Array.from({ length: 300 }, (_, i) => queue.record(connect(i)));
    expect(queue.pending()).toBe(300);

    const result = await queue.flush();

    expect(result).toEqual({ sent: 300, batches: hes.batchSizes.length, remaining: 0 });
    expect(hes.received).toEqual(ids);
    expect(hes.batchSizes.length).toBeGreaterThan(1);
    expect(hes.largestBatchBytes).toBeLessThanOrEqual(32 * 1024 - 512);
    expect(queue.pending()).toBe(0);
    expect((await queue.flush()).sent).toBe(0);
  });

  it('builds the full WorkstationEventDto of §4.6 with a fresh GUID, UTC date and local time zone', async () => {
    const hes = new DedupingReceiver();
    const at = new Date('2021-06-01T10:00:00.000Z');
    const queue = await openQueue({ send: hes.send, now: () => at });
    const id = queue.record({
      eventId: WorkstationEventType.ComputerUnlock,
      note: 'Proximity',
      deviceId: 'ST10',
    });
    await queue.flush();

    const event = hes.stored.get(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(event ?? {})).toEqual([
      'version',
      'id',
      'date',
      'timeZone',
      'eventId',
      'severityId',
      'note',
      'workstationId',
      'userSession',
      'workstationSessionId',
      'deviceId',
      'accountName',
      'accountLogin',
    ]);
    expect(event).toMatchObject({
      version: '1.1.0.0',
      id,
      date: '2021-06-01T10:00:00.000Z',
      eventId: 15,
      severityId: 0,
      note: 'Proximity',
      workstationId: 'ws-1',
      userSession: null,
      workstationSessionId: null,
      deviceId: 'ST10',
      accountName: null,
      accountLogin: null,
    });
    // The local rendering of the same instant, whatever the machine's zone.
    expect(Date.parse(event?.timeZone ?? '')).toBe(at.getTime());
    expect(event?.timeZone).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
  });

  it('keeps batches within the hub limit and in order, whatever the events (long unicode notes included)', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 400 }).filter((s) => !looksLikeSecret(s));
    const short: fc.Arbitrary<string | null> = fc.option(text);
    const long: fc.Arbitrary<string | null> = fc
      .string({ unit: 'binary', minLength: 5000, maxLength: 40_000 })
      .filter((s) => !looksLikeSecret(s));
    const awkward: fc.Arbitrary<string | null> = fc.constantFrom(
      '"\\\u0000\u001f',
      '\ud800',
      '😀'.repeat(9000),
      '\u2028'.repeat(12_000),
    );
    const note = fc.oneof(
      { weight: 6, arbitrary: short },
      { weight: 1, arbitrary: long },
      { weight: 1, arbitrary: awkward },
    );
    const event = fc.record({
      eventId: fc.constantFrom(...Object.values(WorkstationEventType)),
      severityId: fc.constantFrom(0 as const, 1 as const, 2 as const),
      note,
      userSession: fc.option(text),
      accountName: fc.option(text),
    });
    let truncated = 0;
    let multiBatch = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1200, max: 32 * 1024 - 512 }),
        async (events, maxBatchBytes) => {
          const hes = new DedupingReceiver();
          const batches: WorkstationEventDto[][] = [];
          const queue = await openQueue({
            maxBatchBytes,
            send: (batch) => {
              batches.push(batch);
              return hes.send(batch);
            },
          });
          const ids = events.map((e) => queue.record(e));
          const result = await queue.flush();
          await queue.close();

          expect(result.sent).toBe(events.length);
          expect(batches.flat().map((e) => e.id)).toEqual(ids);
          for (const batch of batches) expect(wireBytes(batch)).toBeLessThanOrEqual(maxBatchBytes);
          if (batches.length > 1) multiBatch += 1;
          batches.flat().forEach((sent, i) => {
            const original = events[i]?.note ?? null;
            if (sent.note === original) return;
            truncated += 1;
            // Only a note that could never fit is cut, and only at its end.
            expect(sent.note?.endsWith(TRUNCATION_MARK)).toBe(true);
            expect(original?.startsWith(sent.note?.slice(0, -TRUNCATION_MARK.length) ?? '')).toBe(
              true,
            );
            expect(wireBytes([{ ...sent, note: original }])).toBeGreaterThan(maxBatchBytes);
          });
        },
      ),
      { numRuns: 40 },
    );
    // The runs did exercise what they are about.
    expect(truncated).toBeGreaterThan(0);
    expect(multiBatch).toBeGreaterThan(0);
  });

  it('truncates a single event too large for any batch instead of blocking the queue', async () => {
    const hes = new DedupingReceiver();
    const queue = await openQueue({ send: hes.send });
    const huge = 'ж'.repeat(50_000);
    const id = queue.record({ eventId: WorkstationEventType.DeviceConnect, note: huge });
    const after = queue.record(connect(1));
    await queue.flush();

    const note = hes.stored.get(id)?.note ?? '';
    expect(note.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(huge.startsWith(note.slice(0, -TRUNCATION_MARK.length))).toBe(true);
    expect(note.length).toBeGreaterThan(10_000);
    expect(hes.largestBatchBytes).toBeLessThanOrEqual(32 * 1024 - 512);
    expect(hes.received).toEqual([id, after]);
  });

  it('flushes at once for an urgent event: DeviceLocked, DevicePendingUnlock or {urgent: true}', async () => {
    const hes = new DedupingReceiver();
    const queue = await openQueue({ send: hes.send, flushIntervalMs: 3_600_000 });
    const earlier = queue.record(connect(0));
    const locked = queue.record({ eventId: WorkstationEventType.DeviceLocked, severityId: 2 });
    await hes.storedAtLeast(2);
    expect(hes.received).toEqual([earlier, locked]);

    const pendingUnlock = queue.record({ eventId: WorkstationEventType.DevicePendingUnlock });
    await hes.storedAtLeast(3);
    const lock = queue.record(
      { eventId: WorkstationEventType.ComputerLock, note: 'ProximityTimeout' },
      { urgent: true },
    );
    await hes.storedAtLeast(4);
    expect(hes.received).toEqual([earlier, locked, pendingUnlock, lock]);
  });

  it('flushes every flushIntervalMs while events are pending, and keeps no timer when empty', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hes = new DedupingReceiver();
    const queue = await openQueue({ send: hes.send, flushIntervalMs: 5000 });
    expect(vi.getTimerCount()).toBe(0);

    const id = queue.record(connect(0));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(hes.received).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(hes.received).toEqual([id]);
    expect(queue.pending()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps events when a send fails and retries them with backoff, without loss or duplicates', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hes = new DedupingReceiver();
    const errors: unknown[] = [];
    const queue = await openQueue({
      send: hes.send,
      flushIntervalMs: 5000,
      retry: { firstMs: 1000, maxMs: 4000 },
      onError: (e) => errors.push(e),
    });
    const ids = Array.from({ length: 200 }, (_, i) => queue.record(connect(i)));
    hes.failNext(4);

    const failed = await queue.flush();
    expect(failed).toMatchObject({ sent: 0, batches: 0, remaining: 200 });
    expect(failed.error).toBeInstanceOf(Error);
    // Backoff: 1 s, 2 s, 4 s, then at most 4 s.
    await vi.advanceTimersByTimeAsync(999);
    expect(errors).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(errors).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(errors).toHaveLength(3);
    expect(queue.pending()).toBe(200);
    await vi.advanceTimersByTimeAsync(4000);

    expect(hes.received).toEqual(ids);
    expect(hes.stored.size).toBe(200);
    expect(queue.pending()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops mid-flush on a failure, keeping only what the server has not accepted', async () => {
    const hes = new DedupingReceiver();
    let calls = 0;
    const queue = await openQueue({
      send: (batch) => (++calls === 2 ? Promise.reject(new Error('dropped')) : hes.send(batch)),
    });
    const ids = Array.from({ length: 400 }, (_, i) => queue.record(connect(i)));
    const first = await queue.flush();
    expect(first.batches).toBe(1);
    expect(first.sent + first.remaining).toBe(400);
    const second = await queue.flush();
    expect(second.remaining).toBe(0);
    expect(hes.received).toEqual(ids);
  });

  it('joins a running flush instead of sending the same events twice', async () => {
    const hes = new DedupingReceiver();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const queue = await openQueue({
      send: async (batch) => {
        await gate;
        await hes.send(batch);
      },
    });
    const ids = Array.from({ length: 50 }, (_, i) => queue.record(connect(i)));
    const a = queue.flush();
    const b = queue.flush();
    release();
    expect(await a).toEqual(await b);
    expect(hes.received).toEqual(ids);
  });

  it('close() waits for the send in flight and deletes what it delivered', async () => {
    const hes = new DedupingReceiver();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let started: () => void = () => undefined;
    const sending = new Promise<void>((r) => (started = r));
    const dir = tempDir();
    const file = join(dir, 'q.sqlite');
    const queue = await openAuditQueue({
      file,
      workstationId: 'ws-1',
      durability: 'process',
      send: async (batch) => {
        started();
        await gate;
        await hes.send(batch);
      },
    });
    queue.record(connect(0));
    const flushing = queue.flush();
    await sending;
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    expect(() => queue.record(connect(1))).toThrow(
      expect.objectContaining({ code: 'AUDIT_QUEUE_CLOSED' }),
    );
    release();
    await closing;
    expect((await flushing).sent).toBe(1);

    const reopened = await openAuditQueue({ file, workstationId: 'ws-1', send: hes.send });
    open.push(reopened);
    expect(reopened.pending()).toBe(0);
  });

  it('queues and flushes 100,000 events in batches under 32 KB', { timeout: 300_000 }, async () => {
    const hes = new DedupingReceiver();
    const queue = await openQueue({ send: hes.send });
    for (let i = 0; i < 100_000; i += 1) {
      queue.record({
        eventId: WorkstationEventType.CredentialsUsed_Login,
        note: `site-${i % 977}.example.com`,
        userSession: 'CORP\\alice',
        workstationSessionId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        deviceId: 'ST10000000000001',
        accountName: 'Work mail',
        accountLogin: 'alice@corp.example',
      });
    }
    const result = await queue.flush();

    expect(result.sent).toBe(100_000);
    expect(result.batches).toBe(hes.batchSizes.length);
    expect(hes.stored.size).toBe(100_000);
    expect(hes.received).toHaveLength(100_000);
    expect(hes.largestBatchBytes).toBeLessThan(32 * 1024);
    expect(hes.largestBatchBytes).toBeLessThanOrEqual(32 * 1024 - 512);
    // Batches are filled, not cut short: every batch but the last is near the limit.
    expect(Math.min(...hes.batchSizes.slice(0, -1))).toBeGreaterThan(50);
    expect(queue.pending()).toBe(0);
  });
});
