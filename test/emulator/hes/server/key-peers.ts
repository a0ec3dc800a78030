// What a test workstation hands each step of the server's channel to: an open-protocol
// virtual key over its USB host (RemoteCommand, VerifyChannel; a reset has nothing to drop),
// or a Hideez Key 3 opened through the companion's own BLE discovery (its driver carries
// every step, as the companion does). A refused step throws, with a text for the server.
import type { KeyConnection } from '../../../../device/key/key-connection';
import {
  KeyOp,
  type KeyAnswer,
  type ServerChannelRequest,
} from '../../../../device/key/key-operations';
import { Command, type Request, type Response } from '../../../../device/protocol/messages';
import type { Key3ProvisioningRecord } from '../../../../emulator/key3/provision-key3';
import type { VirtualKey } from '../../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import { virtualKey3s } from '../../../device/key3/virtual-key3s';
import { UsbHost } from '../../key/key-hosts';

/**
 * A USB host that sends one request at a time, as a real host must: server-started sessions
 * reach the key while the test talks to it too, and the key answers a second request in
 * flight with CHANNEL_BUSY.
 */
export class SerialUsbHost extends UsbHost {
  #queue: Promise<unknown> = Promise.resolve();

  override request(request: Request): Promise<Response> {
    const run = (): Promise<Response> => super.request(request);
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

/** One step of the server's channel to the key; the key's reply bytes, or a throw. */
export type KeyPeer = (channel: number, request: ServerChannelRequest) => Promise<Uint8Array>;

const refused = (status: number): never => {
  throw new Error(`key status ${status}`);
};

/** An open-protocol key over its USB host. */
export function openKeyPeer(usb: UsbHost): KeyPeer {
  return async (channel, request) => {
    let response: Response;
    switch (request.kind) {
      case 'reset':
        // Each sealed command authenticates itself: there is no channel session to drop.
        return new Uint8Array(0);
      case 'message':
        response = await usb.request({
          command: Command.RemoteCommand,
          channel,
          sealed: request.data,
        });
        return 'sealed' in response ? response.sealed : refused(response.status);
      case 'verify':
        if (request.publicKey.length !== 0) throw new Error('no key exchange on an open key');
        response = await usb.request({
          command: Command.VerifyChannel,
          channel,
          nonce: request.nonce,
        });
        return 'verifyReply' in response ? response.verifyReply : refused(response.status);
      default:
        return refused(DeviceErrorCode.ERR_UNSUPPORTED);
    }
  };
}

/** A key opened through the companion's driver (any family). */
export function connectionPeer(connection: KeyConnection, timeoutMs = 3_000): KeyPeer {
  return async (channel, request) => {
    const answer: KeyAnswer = await connection.perform(
      { op: KeyOp.ServerChannel, channel, request },
      { timeoutMs },
    );
    if (answer.status !== DeviceErrorCode.OK || !('reply' in answer)) {
      return refused(answer.status);
    }
    return answer.reply;
  };
}

export interface Key3Peers {
  readonly keys: VirtualKey[];
  readonly records: Key3ProvisioningRecord[];
  /** The opened connection's peer, by serial. */
  readonly peers: ReadonlyMap<string, KeyPeer>;
  readonly connections: ReadonlyMap<string, KeyConnection>;
  cleanup(): Promise<void>;
}

/** `count` virtual Key 3s, each opened (and verified) through the companion's BLE discovery. */
export async function key3Peers(count = 1): Promise<Key3Peers> {
  const bench = await virtualKey3s(count);
  const discovery = bench.discovery();
  const opened: KeyConnection[] = [];
  const seen = new Set<string>();
  const all = new Promise<void>((resolve, reject) => {
    const unwatch = discovery.watch({
      // Announced again on an RSSI change: each key is opened once.
      added: (descriptor) => {
        if (seen.has(descriptor.id)) return;
        seen.add(descriptor.id);
        discovery
          .open(descriptor, { infoTimeoutMs: 3_000 })
          .then((connection) => {
            opened.push(connection);
            if (opened.length === count) {
              unwatch();
              resolve();
            }
          })
          .catch(reject);
      },
      removed: () => undefined,
    });
  });
  await all;
  const connections = new Map(opened.map((c) => [c.info.serialNo, c]));
  return {
    keys: bench.keys,
    records: bench.records,
    connections,
    peers: new Map([...connections].map(([serial, c]) => [serial, connectionPeer(c)])),
    async cleanup() {
      for (const connection of opened) await connection.close().catch(() => undefined);
      await bench.cleanup();
    },
  };
}
