// The exact size of the SignalR message that carries a batch of events: the JSON
// hub protocol's invocation record (hes-contract.md §4.1)
//   {"type":1,"invocationId":"…","target":"SaveClientEvents","arguments":[[e1,e2,…]]}
// followed by the 0x1E separator, in UTF-8 bytes. The server closes the
// connection on a message over 32 KB, so batches are cut by this number, computed
// with JSON.stringify exactly as @microsoft/signalr serialises (its record has the
// same members in another order, which does not change the length).
import type { WorkstationEventDto } from '../../shared/hes/dto';

export const SAVE_CLIENT_EVENTS_TARGET = 'SaveClientEvents';

/**
 * The invocation id counts up per connection; the longest it can be as a string is
 * Number.MAX_SAFE_INTEGER's 16 digits, so the size below is an upper bound for
 * any real id.
 */
export const WORST_CASE_INVOCATION_ID = String(Number.MAX_SAFE_INTEGER);

const RECORD_SEPARATOR_BYTES = 1;

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The invocation record for a batch, as the client would put it on the wire (without 0x1E). */
export const invocationRecordJson = (
  batch: readonly WorkstationEventDto[],
  invocationId: string = WORST_CASE_INVOCATION_ID,
): string =>
  JSON.stringify({
    type: 1,
    invocationId,
    target: SAVE_CLIENT_EVENTS_TARGET,
    arguments: [batch],
  });

/** Bytes on the wire for the batch's SaveClientEvents invocation, 0x1E included. */
export const invocationRecordBytes = (batch: readonly WorkstationEventDto[]): number =>
  utf8Bytes(invocationRecordJson(batch)) + RECORD_SEPARATOR_BYTES;

/** The record with an empty batch: `[[]]`. Each event then adds its JSON, plus a comma after the first. */
export const EMPTY_RECORD_BYTES = invocationRecordBytes([]);

/** The bytes one event adds to a batch that already has `countBefore` events. */
export const eventBytesInBatch = (eventJsonBytes: number, countBefore: number): number =>
  eventJsonBytes + (countBefore > 0 ? 1 : 0);

/** The size of a one-event batch: what an event must fit under to ever be sent. */
export const singleEventRecordBytes = (event: WorkstationEventDto): number =>
  EMPTY_RECORD_BYTES + utf8Bytes(JSON.stringify(event));
