// The companion's durable queue of audit events for HES `SaveClientEvents`
// (hes-contract.md §4.6, §6; the Windows client's EventSaver/EventSender, §5.8 of
// hideez-client-behaviour.md). Plain Node, no Electron.
//
// Guarantees:
// - An event is on disk when record() returns (SQLite WAL, one committed
//   transaction per event), with the GUID the server dedupes by, made at record time.
// - flush() sends pending events oldest first, in batches whose SaveClientEvents
//   invocation record (JSON + 0x1E, measured exactly) stays within maxBatchBytes,
//   by default 32 KB minus a 512-byte margin for the hub's limit.
// - Events are deleted only after `send` resolves: at-least-once delivery. A crash
//   between the server storing a batch and our delete resends that batch; HES skips
//   ids it already has (§6.1), so the server stores each event once.
// - A failed send keeps the events; the periodic flush retries them with backoff.
// - An event too large for any batch has its note truncated (fit-event.ts) at
//   record time, so it can never block the queue.
// - Urgent events (DeviceLocked 21, DevicePendingUnlock 22, or `{urgent: true}`,
//   which callers use for lock/unlock/logon events the Windows client also sends at
//   once) start a flush right away; otherwise a flush runs every flushIntervalMs
//   while events are pending (no timer when the queue is empty).
//
// Callers must never put secrets (activation codes, PINs, passwords, keys) in any
// text field: events are stored in a plain file and sent to the server in clear.
// secret-guard.ts refuses the obvious "PIN: 1234" with AUDIT_SECRET_IN_EVENT.
//
// `send` is where the HES client plugs in (an invoke of SaveClientEvents that
// rejects when offline or on a non-zero envelope code). One process per file.
import type { WorkstationEventDto } from '../../shared/hes/dto';
import { AuditQueueError, AuditQueueErrorCode, isAuditQueueError } from './audit-queue-error';
import { buildEventDto, isUrgentEventType, type AuditEventInput } from './event-input';
import { fitEvent } from './fit-event';
import { EMPTY_RECORD_BYTES, eventBytesInBatch, utf8Bytes } from './invocation-size';
import { moveAside, PendingStore, type Durability, type PendingRow } from './pending-store';
import { MAX_HUB_MESSAGE_BYTES } from '../../shared/hes/dto';

export const DEFAULT_MAX_BATCH_BYTES = MAX_HUB_MESSAGE_BYTES - 512;
export const DEFAULT_FLUSH_INTERVAL_MS = 5000;
export const DEFAULT_RETRY = { firstMs: 1000, maxMs: 60_000 } as const;
/** Rows read from the file per step while cutting batches (a batch holds at most ~130 events). */
const READ_CHUNK = 256;

export interface AuditQueueOptions {
  readonly file: string;
  /** Stamped into every event (§4.6); the id from main/hes/workstation-id.ts. */
  readonly workstationId: string;
  /** Delivers one batch (SaveClientEvents); resolve = the server accepted it. */
  readonly send: (batch: WorkstationEventDto[]) => Promise<void>;
  /** Largest SaveClientEvents invocation record, 0x1E included. Default 32 768 − 512. */
  readonly maxBatchBytes?: number;
  /** Periodic flush while events are pending. Default 5000 ms. */
  readonly flushIntervalMs?: number;
  /** Delay of the automatic retry after consecutive failed sends: firstMs, doubling, at most maxMs. */
  readonly retry?: { readonly firstMs?: number; readonly maxMs?: number };
  readonly now?: () => Date;
  /**
   * 'power-loss' (default): synchronous=FULL, a recorded event survives an OS crash
   * or power cut. 'process': synchronous=NORMAL, it survives the process being
   * killed at any point, not a power cut; much faster for bulk recording.
   */
  readonly durability?: Durability;
  /** A damaged file: 'throw' (default) AuditQueueError AUDIT_FILE_CORRUPT, or 'rename' it aside and start empty. */
  readonly onCorrupt?: 'throw' | 'rename';
  /** Failures of automatic (timer or urgent) flushes, for logging. Never given event contents. */
  readonly onError?: (error: unknown) => void;
}

export interface FlushResult {
  /** Events the server accepted during this flush. */
  readonly sent: number;
  readonly batches: number;
  /** Events still pending when the flush ended. */
  readonly remaining: number;
  /** Why the flush stopped early: the error `send` rejected with. */
  readonly error?: unknown;
}

export interface AuditQueue {
  /** Stores the event durably and returns its GUID. Throws AuditQueueError. */
  record(event: AuditEventInput, options?: { readonly urgent?: boolean }): string;
  /**
   * Sends everything pending, oldest first, until the queue is empty or a send fails.
   * A flush already running is joined, not doubled. Rejects only for storage errors.
   */
  flush(): Promise<FlushResult>;
  /** Number of events waiting for the server. */
  pending(): number;
  /** Stops the timer, waits for an in-flight send (and its delete), closes the file. */
  close(): Promise<void>;
  /** Where a damaged file was moved by onCorrupt: 'rename', if that happened. */
  readonly movedAside: string | undefined;
}

const parseStored = (text: string): WorkstationEventDto | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof (value as { id?: unknown }).id === 'string'
      ? (value as WorkstationEventDto)
      : undefined;
  } catch {
    return undefined;
  }
};

interface Batch {
  readonly rows: readonly PendingRow[];
  readonly events: WorkstationEventDto[];
}

class SqliteAuditQueue implements AuditQueue {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<FlushResult> | undefined;
  private failures = 0;
  /** An urgent event arrived while a flush was running: try again at once if that flush failed. */
  private urgentDuringFlush = false;
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: PendingStore,
    private readonly options: AuditQueueOptions,
    private readonly maxBatchBytes: number,
    private readonly flushIntervalMs: number,
    private readonly retry: { readonly firstMs: number; readonly maxMs: number },
    private readonly now: () => Date,
    readonly movedAside: string | undefined,
  ) {}

  start(): void {
    if (this.store.hasUrgent()) this.flushSoon();
    else if (this.store.count() > 0) this.arm(this.flushIntervalMs);
  }

  record(event: AuditEventInput, options?: { readonly urgent?: boolean }): string {
    this.assertOpen();
    const dto = buildEventDto(event, {
      workstationId: this.options.workstationId,
      now: this.now,
    });
    const fitted = fitEvent(dto, this.maxBatchBytes);
    if (fitted === undefined) {
      throw new AuditQueueError(
        AuditQueueErrorCode.InvalidEvent,
        'maxBatchBytes is too small for any event',
        { maxBatchBytes: this.maxBatchBytes },
      );
    }
    const urgent = options?.urgent === true || isUrgentEventType(dto.eventId);
    this.store.insert(dto.id, urgent, JSON.stringify(fitted.event));
    if (urgent) this.flushSoon();
    else if (this.timer === undefined && this.running === undefined) this.arm(this.flushIntervalMs);
    return dto.id;
  }

  pending(): number {
    this.assertOpen();
    return this.store.count();
  }

  flush(): Promise<FlushResult> {
    if (this.closed || this.closing !== undefined) {
      return Promise.reject(
        new AuditQueueError(AuditQueueErrorCode.Closed, 'The audit queue is closed'),
      );
    }
    if (this.running !== undefined) return this.running;
    this.disarm();
    this.urgentDuringFlush = false;
    const run = this.drain().finally(() => {
      this.running = undefined;
      this.afterFlush();
    });
    this.running = run;
    return run;
  }

  async close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closing = (async () => {
      this.disarm();
      // The drain loop sees `closing` and stops after the send in flight and its delete.
      await this.running?.catch(() => undefined);
      this.disarm();
      this.closed = true;
      this.store.close();
    })();
    return this.closing;
  }

  private async drain(): Promise<FlushResult> {
    let sent = 0;
    let batches = 0;
    for (;;) {
      const batch = this.nextBatch();
      if (batch === undefined) break;
      try {
        await this.options.send(batch.events);
      } catch (error) {
        this.failures += 1;
        return { sent, batches, remaining: this.store.count(), error };
      }
      this.failures = 0;
      this.store.delete(batch.rows.map((row) => row.seq));
      sent += batch.rows.length;
      batches += 1;
      if (this.closing !== undefined) break;
    }
    return { sent, batches, remaining: this.store.count() };
  }

  /** The oldest pending events that fit in one invocation record, or undefined if none. */
  private nextBatch(): Batch | undefined {
    const rows: PendingRow[] = [];
    const events: WorkstationEventDto[] = [];
    let bytes = EMPTY_RECORD_BYTES;
    let after = 0;
    for (;;) {
      const chunk = this.store.oldest(after, READ_CHUNK);
      for (const row of chunk) {
        const parsed = parseStored(row.dto);
        if (parsed === undefined) {
          // Cannot happen through record(); a row edited or damaged on disk would block the
          // queue forever, so it is dropped, as the Windows client drops invalid event files.
          this.store.delete([row.seq]);
          this.report(
            new AuditQueueError(
              AuditQueueErrorCode.Corrupt,
              'A stored audit event was unreadable and was dropped',
              {
                seq: row.seq,
              },
            ),
          );
          continue;
        }
        let event = parsed;
        // Stored under a larger limit (an older configuration): shorten it now rather than block.
        if (rows.length === 0) event = fitEvent(event, this.maxBatchBytes)?.event ?? event;
        const add = eventBytesInBatch(utf8Bytes(JSON.stringify(event)), rows.length);
        if (rows.length > 0 && bytes + add > this.maxBatchBytes) return { rows, events };
        rows.push(row);
        events.push(event);
        bytes += add;
      }
      if (chunk.length < READ_CHUNK) return rows.length > 0 ? { rows, events } : undefined;
      after = chunk[chunk.length - 1]?.seq ?? after;
    }
  }

  private afterFlush(): void {
    if (this.closing !== undefined || this.closed) return;
    let pending: number;
    try {
      pending = this.store.count();
    } catch (error) {
      this.report(error);
      return;
    }
    if (pending === 0) return;
    if (this.urgentDuringFlush) this.arm(0);
    else this.arm(this.failures > 0 ? this.retryDelay() : this.flushIntervalMs);
  }

  private retryDelay(): number {
    const exp = Math.min(this.failures - 1, 30);
    return Math.min(this.retry.maxMs, this.retry.firstMs * 2 ** exp);
  }

  /** An urgent event: flush as soon as record() has returned. */
  private flushSoon(): void {
    this.disarm();
    if (this.running !== undefined) {
      // The running drain picks the event up before it ends, unless its send fails.
      this.urgentDuringFlush = true;
      return;
    }
    this.arm(0);
  }

  private arm(delayMs: number): void {
    if (this.closing !== undefined || this.closed) return;
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().then(
        (result) => {
          if (result.error !== undefined) this.report(result.error);
        },
        (error: unknown) => {
          if (!isAuditQueueError(error, AuditQueueErrorCode.Closed)) this.report(error);
        },
      );
    }, delayMs);
    // The queue alone never keeps the process alive.
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing logger must not break the queue.
    }
  }

  private assertOpen(): void {
    if (this.closed || this.closing !== undefined) {
      throw new AuditQueueError(AuditQueueErrorCode.Closed, 'The audit queue is closed');
    }
  }
}

const positive = (value: number | undefined, fallback: number, name: string): number => {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) {
    throw new AuditQueueError(
      AuditQueueErrorCode.InvalidOption,
      `Option ${name} must be a non-negative number`,
      {
        option: name,
      },
    );
  }
  return v;
};

/**
 * Opens (or creates) the queue file. Pending events from an earlier run are kept
 * and flushed: at once if any is urgent, else after flushIntervalMs. Throws
 * AuditQueueError: AUDIT_FILE_CORRUPT (unless onCorrupt: 'rename'),
 * AUDIT_FILE_UNSUPPORTED, AUDIT_FILE_UNAVAILABLE.
 */
export async function openAuditQueue(options: AuditQueueOptions): Promise<AuditQueue> {
  const now = options.now ?? (() => new Date());
  const durability = options.durability ?? 'power-loss';
  const maxBatchBytes = positive(options.maxBatchBytes, DEFAULT_MAX_BATCH_BYTES, 'maxBatchBytes');
  const flushIntervalMs = positive(
    options.flushIntervalMs,
    DEFAULT_FLUSH_INTERVAL_MS,
    'flushIntervalMs',
  );
  const retry = {
    firstMs: positive(options.retry?.firstMs, DEFAULT_RETRY.firstMs, 'retry.firstMs'),
    maxMs: positive(options.retry?.maxMs, DEFAULT_RETRY.maxMs, 'retry.maxMs'),
  };
  let store: PendingStore;
  let movedAside: string | undefined;
  try {
    store = PendingStore.open(options.file, durability);
  } catch (error) {
    if (!isAuditQueueError(error, AuditQueueErrorCode.Corrupt) || options.onCorrupt !== 'rename') {
      throw error;
    }
    try {
      movedAside = moveAside(options.file, now());
    } catch (renameError) {
      throw new AuditQueueError(
        AuditQueueErrorCode.Unavailable,
        'The damaged audit queue file could not be moved aside',
        undefined,
        { cause: renameError },
      );
    }
    store = PendingStore.open(options.file, durability);
  }
  const queue = new SqliteAuditQueue(
    store,
    options,
    maxBatchBytes,
    flushIntervalMs,
    retry,
    now,
    movedAside,
  );
  queue.start();
  return Promise.resolve(queue);
}
