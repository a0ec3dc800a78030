// A test peer standing in for HES's SaveClientEvents (hes-contract.md §6.1): it
// measures each batch's invocation record independently of the queue's own code,
// keeps every id it receives, and stores each event once (an id it already has is
// skipped, as HES does). It can be told to fail the next sends.
import type { WorkstationEventDto } from '../../../shared/hes/dto';

/** The SignalR JSON invocation record + 0x1E, in UTF-8 bytes, as @microsoft/signalr would send it. */
export const wireBytes = (
  batch: readonly WorkstationEventDto[],
  invocationId = '9007199254740991',
): number =>
  Buffer.byteLength(
    JSON.stringify({ type: 1, invocationId, target: 'SaveClientEvents', arguments: [batch] }) +
      '\x1e',
    'utf8',
  );

export class DedupingReceiver {
  /** What the server keeps: one row per id. */
  readonly stored = new Map<string, WorkstationEventDto>();
  /** Every id in the order received, duplicates included. */
  readonly received: string[] = [];
  readonly batchSizes: number[] = [];
  largestBatchBytes = 0;
  private failuresLeft = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  failNext(count: number): void {
    this.failuresLeft = count;
  }

  /** Resolves once the server stores at least `count` distinct events. */
  storedAtLeast(count: number): Promise<void> {
    if (this.stored.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  readonly send = (batch: WorkstationEventDto[]): Promise<void> => {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return Promise.reject(new Error('HES is offline'));
    }
    this.accept(batch);
    return Promise.resolve();
  };

  /** Stores a batch as the server would (used directly by the crash test for batches its child sent). */
  accept(batch: readonly WorkstationEventDto[]): void {
    this.largestBatchBytes = Math.max(this.largestBatchBytes, wireBytes(batch));
    this.batchSizes.push(batch.length);
    for (const event of batch) {
      this.received.push(event.id);
      if (!this.stored.has(event.id)) this.stored.set(event.id, event);
    }
    this.waiters = this.waiters.filter((w) => {
      if (this.stored.size < w.count) return true;
      w.resolve();
      return false;
    });
  }
}
