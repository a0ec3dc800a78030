// What a Key 3 session records for a field trace (`--trace-ble FILE`): the link's
// set-up steps, every control packet in full (STATUS, COMMIT, BUSY, CANCEL … carry
// no secrets), the header of every data packet (channel, index, last flag: never
// its 16 bytes), and a summary of every channel message (command or reply code,
// payload length, the key's error byte). Never a payload that could hold a code, a
// PIN or key material, never session keys: a user can attach the file to a bug
// report as it is. The choices made for the reference's unknowns are recorded too,
// so a trace of a real key shows where it behaved otherwise.

export type TraceDirection = 'host→key' | 'key→host';

export type Key3TraceRecord =
  /** A set-up step or link event (connect, info read, subscribe, wake-up, loss). */
  | {
      readonly kind: 'link';
      readonly event: string;
      readonly details?: Readonly<Record<string, string | number | boolean>>;
    }
  | {
      readonly kind: 'control';
      readonly dir: TraceDirection;
      readonly code: string;
      /** The whole 20-byte packet, hex. */
      readonly packet: string;
    }
  | {
      readonly kind: 'data';
      readonly dir: TraceDirection;
      readonly channel: number;
      readonly index: number;
      readonly last: boolean;
      readonly flag: boolean;
    }
  | {
      readonly kind: 'message';
      readonly dir: TraceDirection;
      readonly channel: number;
      /** The command or reply code ("a004"), or "e113" for an error reply. */
      readonly code: string;
      readonly payloadBytes: number;
      readonly encrypted: boolean;
      /** Non-secret decoded fields of some replies (GETINFO's flags and versions). */
      readonly details?: Readonly<Record<string, string | number | boolean>>;
    }
  /** Where the companion chose a behaviour for one of the reference's unknowns. */
  | { readonly kind: 'choice'; readonly unknown: string; readonly chosen: string }
  /** Something the key sent that was refused (typed error code, no bytes). */
  | {
      readonly kind: 'refused';
      readonly error: string;
      readonly details?: Readonly<Record<string, string | number | boolean>>;
    };

export interface Key3Trace {
  record(record: Key3TraceRecord): void;
}

/** No trace: the default. */
export const NO_TRACE: Key3Trace = { record: () => undefined };

export const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
