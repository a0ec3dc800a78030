// The SignalR text framing (TextMessageFormat): every JSON record ends with the
// ASCII record separator 0x1E. One WebSocket frame may carry several records; the
// clients always end a frame on a separator, so a frame that does not is refused
// rather than buffered (no partial-record state to grow without bound).

import { SignalRError, SignalRErrorCode } from './signalr-error';

export const RECORD_SEPARATOR = '\u001e';

/** Appends the separator: the text of one outgoing record. */
export const writeRecord = (json: string): string => `${json}${RECORD_SEPARATOR}`;

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/**
 * Splits a frame's text into its records (without separators). An empty frame has
 * none. Throws SignalRError IncompleteRecord if the text does not end with a
 * separator, MessageTooLarge if a record with its separator has more than
 * `maxRecordBytes` UTF-8 bytes (ASP.NET looks for the separator within that many).
 */
export function splitRecords(text: string, maxRecordBytes: number): string[] {
  if (text.length === 0) return [];
  if (!text.endsWith(RECORD_SEPARATOR)) {
    throw new SignalRError(
      SignalRErrorCode.IncompleteRecord,
      'The frame does not end with a record separator.',
      { length: text.length },
    );
  }
  const records = text.split(RECORD_SEPARATOR);
  records.pop();
  const maxContent = maxRecordBytes - 1;
  for (const record of records) {
    // A UTF-8 byte count is at least the UTF-16 length, at most three times it.
    if (
      record.length > maxContent ||
      (record.length * 3 > maxContent && utf8Length(record) > maxContent)
    ) {
      throw new SignalRError(
        SignalRErrorCode.MessageTooLarge,
        `The maximum message size of ${maxRecordBytes}B was exceeded.`,
        { maxBytes: maxRecordBytes },
      );
    }
  }
  return records;
}

/** Decodes a frame's bytes as strict UTF-8 (SignalRError BadEncoding otherwise). */
export function decodeFrame(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new SignalRError(SignalRErrorCode.BadEncoding, 'The frame is not valid UTF-8.', {
      length: bytes.length,
    });
  }
}
