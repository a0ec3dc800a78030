// Counts a Hideez Key 3's exchanges exactly, from outside the product, as
// counting-discovery.ts does for open-protocol keys: a Key 3 has no Transport to wrap,
// but its driver takes a field trace (device/key3/trace/key3-trace.ts), which records
// every message of the companion's own channel (a 'message' record each way), the
// header of every data packet and every control packet. Each request becomes one
// ExchangeRecord, timed from the request to its reply's last packet; the GATT set-up
// (connect … the `02 01` wake-up write) is the link open. Messages relayed for the
// server on its channel have no 'message' record (the companion never sees inside
// them): one starts with its first data packet and ends with the reply's last one,
// and the first after a RESET of that channel is the server's VERIFY.
//
// The trace does not say which key a record is from: the flow bench has one Key 3
// switched on at a time, and the records between two opens are that key's.
import { Key3Command } from '../../device/key3/protocol/command-codes';
import { PACKET_BODY_SIZE } from '../../device/key3/protocol/packets';
import type { Key3Trace, Key3TraceRecord } from '../../device/key3/trace/key3-trace';
import { nowMs } from '../clock';
import type { ExchangeRecord } from './protocol';

const RESET_CODE = 'RESET';

const NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(Key3Command).map(([name, code]) => [code.toString(16).padStart(4, '0'), name]),
);

interface Pending {
  readonly at: number;
  readonly command: string;
  readonly requestBytes: number;
  /** Opened by a 'message' record: ends with the reply's 'message' record. */
  readonly own: boolean;
  packetsUp: number;
  packetsDown: number;
  /** When the reply's last packet came. */
  replyAt?: number;
}

export function countingTrace(log: ExchangeRecord[]): Key3Trace {
  let transportId = '';
  let openAt: number | undefined;
  const pending = new Map<number, Pending>();
  /** Channels reset since their last message: the next one there is a VERIFY. */
  const reset = new Set<number>();

  const push = (channel: number, p: Pending, ok: boolean, responseBytes: number): void => {
    pending.delete(channel);
    log.push({
      at: p.at,
      link: 'ble',
      transportId,
      command: p.command,
      // What the companion relays it cannot read: its size is its packets' message bytes.
      requestBytes: p.own ? p.requestBytes : p.packetsUp * PACKET_BODY_SIZE,
      responseBytes,
      ms: (p.replyAt ?? nowMs()) - p.at,
      ok,
      channel,
      packetsUp: p.packetsUp,
      packetsDown: p.packetsDown,
    });
  };
  const start = (channel: number, p: Pending): void => {
    const earlier = pending.get(channel);
    // A request the key never answered (a refused reply, a timeout): recorded as failed.
    if (earlier) push(channel, earlier, false, 0);
    reset.delete(channel);
    pending.set(channel, p);
  };
  const dropAll = (): void => {
    for (const [channel, p] of [...pending]) push(channel, p, false, 0);
    reset.clear();
  };

  const onLink = (record: Extract<Key3TraceRecord, { kind: 'link' }>): void => {
    if (record.event === 'open') {
      dropAll();
      transportId = String(record.details?.['id'] ?? '');
      openAt = nowMs();
    } else if (record.event === 'wakeUp' && openAt !== undefined) {
      log.push({
        at: openAt,
        link: 'ble',
        transportId,
        command: 'open',
        requestBytes: 0,
        responseBytes: 0,
        ms: nowMs() - openAt,
        ok: true,
      });
      openAt = undefined;
    } else if (record.event === 'disconnected') {
      openAt = undefined;
      dropAll();
    }
  };

  const onReset = (record: Extract<Key3TraceRecord, { kind: 'control' }>): void => {
    if (record.dir !== 'host→key' || record.code !== RESET_CODE) return;
    // 00 13 <channel bits>: byte 2 of the packet, in hex.
    const bits = Number.parseInt(record.packet.slice(4, 6), 16);
    for (let channel = 1; channel <= 6; channel++) {
      if ((bits & (1 << (channel - 1))) !== 0) reset.add(channel);
    }
  };

  const onData = (record: Extract<Key3TraceRecord, { kind: 'data' }>): void => {
    const channel = record.channel;
    if (record.dir === 'host→key') {
      if (!pending.has(channel)) {
        start(channel, {
          at: nowMs(),
          command: reset.has(channel) ? 'RemoteVerify' : 'RemoteCommand',
          requestBytes: 0,
          own: false,
          packetsUp: 0,
          packetsDown: 0,
        });
      }
      const p = pending.get(channel);
      if (p) p.packetsUp += 1;
      return;
    }
    const p = pending.get(channel);
    if (!p) return;
    p.packetsDown += 1;
    if (!record.last) return;
    p.replyAt = nowMs();
    if (!p.own) push(channel, p, true, p.packetsDown * PACKET_BODY_SIZE);
  };

  const onMessage = (record: Extract<Key3TraceRecord, { kind: 'message' }>): void => {
    if (record.dir === 'host→key') {
      start(record.channel, {
        at: nowMs(),
        command: NAMES.get(record.code) ?? `0x${record.code}`,
        requestBytes: record.payloadBytes,
        own: true,
        packetsUp: 0,
        packetsDown: 0,
      });
      return;
    }
    const p = pending.get(record.channel);
    if (p?.own) push(record.channel, p, true, record.payloadBytes);
  };

  return {
    record(record: Key3TraceRecord): void {
      switch (record.kind) {
        case 'link':
          return onLink(record);
        case 'control':
          return onReset(record);
        case 'data':
          return onData(record);
        case 'message':
          return onMessage(record);
        default:
          return; // choices and refusals are not exchanges
      }
    },
  };
}
