// A field trace of Hideez Key 3 sessions in a file a user can attach to a bug report
// (`--trace-ble FILE`): one JSON record per line, each with its time and milliseconds
// since the trace began. The records hold link steps, control packets, data-packet
// headers and message summaries only (key3-trace.ts): never keys, codes or PINs. The
// file is created for the user alone (mode 0600) and appended to.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Key3Trace, Key3TraceRecord } from './key3-trace';

export interface Key3TraceFile extends Key3Trace {
  readonly path: string;
  /** Flushes and closes the file; records after this are dropped. */
  close(): Promise<void>;
}

export function openKey3TraceFile(path: string, now: () => number = Date.now): Key3TraceFile {
  const started = now();
  const stream: WriteStream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  let open = true;
  // A trace that cannot be written must never stop the key's session.
  stream.on('error', () => {
    open = false;
  });
  return {
    path,
    record(record: Key3TraceRecord): void {
      if (!open) return;
      const at = now();
      stream.write(
        `${JSON.stringify({ time: new Date(at).toISOString(), ms: at - started, ...record })}\n`,
      );
    },
    close(): Promise<void> {
      if (!open) return Promise.resolve();
      open = false;
      return new Promise((resolve) => stream.end(() => resolve()));
    },
  };
}
