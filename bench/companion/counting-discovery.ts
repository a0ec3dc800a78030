// Counts key exchanges exactly, from outside the product: the discoveries handed to
// the companion are wrapped so every Transport they open records each exchange
// (its command, sizes and duration) and each open (CTAPHID INIT / GATT set-up).
import { Command } from '../../device/protocol/messages';
import type {
  ExchangeOptions,
  Transport,
  TransportDescriptor,
  TransportDiscovery,
} from '../../device/transport/transport';
import { nowMs } from '../clock';
import type { ExchangeRecord } from './protocol';

const COMMAND_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(Command).map(([name, value]) => [value, name]),
);

/** The request's command byte as a name (docs/protocol.md §5). */
export const commandName = (message: Uint8Array): string =>
  COMMAND_NAMES.get(message[0] ?? -1) ?? `0x${(message[0] ?? 0).toString(16)}`;

function countingTransport(inner: Transport, log: ExchangeRecord[]): Transport {
  const { descriptor } = inner;
  const timed = async (
    command: string,
    message: Uint8Array,
    run: () => Promise<Uint8Array>,
  ): Promise<Uint8Array> => {
    const at = nowMs();
    const entry = (ok: boolean, responseBytes: number): ExchangeRecord => ({
      at,
      link: descriptor.link,
      transportId: descriptor.id,
      command,
      requestBytes: message.length,
      responseBytes,
      ms: nowMs() - at,
      ok,
    });
    try {
      const response = await run();
      log.push(entry(true, response.length));
      return response;
    } catch (error) {
      log.push(entry(false, 0));
      throw error;
    }
  };
  return {
    descriptor,
    get isOpen() {
      return inner.isOpen;
    },
    exchange: (message: Uint8Array, options: ExchangeOptions) =>
      timed(commandName(message), message, () => inner.exchange(message, options)),
    ping: (data: Uint8Array, options: ExchangeOptions) =>
      timed('ping', data, () => inner.ping(data, options)),
    onEvent: (listener) => inner.onEvent(listener),
    onDisconnect: (listener) => inner.onDisconnect(listener),
    close: () => inner.close(),
  };
}

export function countingDiscovery(
  inner: TransportDiscovery,
  log: ExchangeRecord[],
): TransportDiscovery {
  return {
    link: inner.link,
    watch: (observer) => inner.watch(observer),
    async open(descriptor: TransportDescriptor): Promise<Transport> {
      const at = nowMs();
      const transport = await inner.open(descriptor);
      log.push({
        at,
        link: descriptor.link,
        transportId: descriptor.id,
        command: 'open',
        requestBytes: 0,
        responseBytes: 0,
        ms: nowMs() - at,
        ok: true,
      });
      return countingTransport(transport, log);
    },
  };
}
