// The server's channel steps on the open-protocol driver, over the real HID transport
// and a virtual key: a verify becomes VerifyChannel and the key's proof comes back
// untouched; a verify with a public key (a Key 3's set-up) is refused before anything
// reaches the key; a reset needs no exchange; the root key and control do not exist.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KeyConnection } from '../../../device/key/key-connection';
import { KeyOp, type ServerChannelRequest } from '../../../device/key/key-operations';
import { identify } from '../../../device/open-protocol/open-discovery';
import { isProtocolError, ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { provisioningSecret } from '../../../emulator/key/provision';
import {
  channelVerifyReply,
  checkChannelVerifyReply,
} from '../../../emulator/remote-channel/channel-proof';
import { sealCommand } from '../../../emulator/remote-channel/seal';
import { RemoteOpCode } from '../../../emulator/remote-channel/ops';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { type TappedCable, TappedUsbBus, virtualKeys } from '../manager/virtual-usb';

const OPTS = { timeoutMs: 2_000 };
const NONCE = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

describe('open-protocol driver: the server channel', () => {
  let key: VirtualKey;
  let secret: Uint8Array;
  let cable: TappedCable;
  let connection: KeyConnection;
  let cleanup: () => Promise<void>;
  let written: number;

  const step = (request: ServerChannelRequest) =>
    ({ op: KeyOp.ServerChannel, channel: 4, request }) as const;

  beforeEach(async () => {
    const folder = await virtualKeys(1);
    cleanup = folder.cleanup;
    key = folder.keys[0]!;
    secret = provisioningSecret(folder.records.find((r) => r.serialNo === key.serialNo)!);
    const bus = new TappedUsbBus(folder.keys);
    connection = await identify(await bus.open(bus.descriptor(key)), { infoTimeoutMs: 2_000 });
    cable = bus.cable(key);
    written = 0;
    cable.taps = { write: () => void (written += 1) };
  });

  afterEach(async () => {
    await connection.close();
    await cleanup();
  });

  it("a verify with an empty public key is VerifyChannel, and the key's proof comes back untouched", async () => {
    const answer = await connection.perform(
      step({ kind: 'verify', publicKey: new Uint8Array(0), nonce: NONCE }),
      OPTS,
    );
    expect(answer).toEqual({
      op: KeyOp.ServerChannel,
      status: DeviceErrorCode.OK,
      reply: channelVerifyReply(secret, 4, NONCE, 0n),
    });
    expect(written).toBeGreaterThan(0);
    if (!('reply' in answer)) throw new Error('no reply');
    expect(checkChannelVerifyReply(secret, 4, NONCE, answer.reply)).toBe(0n);
  });

  it('the proof carries the counter of the sealed commands the key took', async () => {
    const sealed = sealCommand(secret, 3n, { op: RemoteOpCode.GetState });
    await connection.perform(step({ kind: 'message', data: sealed }), OPTS);
    const answer = await connection.perform(
      step({ kind: 'verify', publicKey: new Uint8Array(0), nonce: NONCE }),
      OPTS,
    );
    if (!('reply' in answer)) throw new Error(`refused: ${answer.status}`);
    expect(checkChannelVerifyReply(secret, 4, NONCE, answer.reply)).toBe(3n);
  });

  it('a verify with a public key is refused, typed, before anything reaches the key', async () => {
    const operation = step({ kind: 'verify', publicKey: new Uint8Array(65).fill(4), nonce: NONCE });
    const checked = (() => {
      try {
        connection.check(operation);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    const performed = await connection.perform(operation, OPTS).catch((e: unknown) => e);
    for (const error of [checked, performed]) {
      expect(isProtocolError(error, ProtocolErrorCode.BadField)).toBe(true);
      expect(error).toMatchObject({ details: { field: 'publicKey', length: 65 } });
      expect(String(error)).toMatch(/publicKey must be empty/);
    }
    expect(written).toBe(0);
  });

  it("a nonce the open protocol does not take (a Key 3 server's 8 bytes) is refused before sending", () => {
    const operation = step({
      kind: 'verify',
      publicKey: new Uint8Array(0),
      nonce: new Uint8Array(8),
    });
    expect(() => connection.check(operation)).toThrow(
      expect.objectContaining({ code: ProtocolErrorCode.BadField, details: { field: 'nonce' } }),
    );
    expect(written).toBe(0);
  });

  it('a reset is OK with an empty reply and sends nothing; root key and control are unsupported', async () => {
    await expect(connection.perform(step({ kind: 'reset' }), OPTS)).resolves.toEqual({
      op: KeyOp.ServerChannel,
      status: DeviceErrorCode.OK,
      reply: new Uint8Array(0),
    });
    for (const request of [
      { kind: 'rootKey' },
      { kind: 'control', data: Uint8Array.of(0, 1) },
    ] as const) {
      await expect(connection.perform(step(request), OPTS)).resolves.toEqual({
        op: KeyOp.ServerChannel,
        status: DeviceErrorCode.ERR_UNSUPPORTED,
      });
    }
    expect(written).toBe(0);
  });

  it("the key's refusal of a verify (another channel) is its status, not a reply", async () => {
    await expect(
      connection.perform(
        {
          op: KeyOp.ServerChannel,
          channel: 5,
          request: { kind: 'verify', publicKey: new Uint8Array(0), nonce: NONCE },
        },
        OPTS,
      ),
    ).resolves.toEqual({ op: KeyOp.ServerChannel, status: DeviceErrorCode.ERR_INVALID_PARAMETER });
  });
});
