// The HID transport when things go wrong: a key that stops answering, a cable
// pulled at each step, garbage from the device, other clients' traffic, a key
// that forgets our channel. Each ends in a typed DeviceError, never a crash or
// a hang, and the link is usable again afterwards (or cleanly gone).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CTAPHID_BROADCAST_CID,
  CtapHidCommand,
  CtapHidError,
  encodeInitResponse,
  MAX_MESSAGE_SIZE,
} from '../../../../device/protocol/ctaphid';
import { decodeResponse, encodeRequest } from '../../../../device/protocol/message-codec';
import { Command } from '../../../../device/protocol/messages';
import {
  DeviceError,
  DeviceErrorKind,
  isDeviceError,
} from '../../../../device/errors/device-error';
import { openHidTransport } from '../../../../device/transport/hid';
import { HidLink } from '../../../../emulator/link/hid-link';
import { DeviceErrorCode } from '../../../../shared/errors/device-error-code';
import { ascii } from '../../../emulator/key/key-hosts';
import {
  EXCHANGE_MS,
  descriptorOf,
  inputReport,
  keyOverHid,
  type KeyOverHid,
} from './hid-fixtures';

const getInfo = encodeRequest({ command: Command.GetInfo });
const waitButton = encodeRequest({ command: Command.WaitButton, timeoutMs: 60_000 });

const expectWorking = async (k: KeyOverHid): Promise<void> => {
  const answer = await k.transport.exchange(getInfo, { timeoutMs: EXCHANGE_MS });
  const response = decodeResponse(Command.GetInfo, answer);
  expect('info' in response && response.info.serialNo).toBe(k.key.serialNo);
};

/** Settled already, one macrotask later? (Ordering, not timing: "at once".) */
const settledNow = async <T>(
  p: Promise<T>,
): Promise<{ error: unknown } | 'pending' | 'resolved'> => {
  const outcome = p.then(
    () => 'resolved' as const,
    (error: unknown) => ({ error }),
  );
  return Promise.race([outcome, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
};

const keepaliveSeen = (k: KeyOverHid): Promise<void> =>
  new Promise((resolve) => {
    const onData = (report: Buffer): void => {
      if (report[4] !== (CtapHidCommand.Keepalive | 0x80)) return;
      k.key.hid.off('data', onData);
      resolve();
    };
    k.key.hid.on('data', onData);
  });

describe('HID transport faults', () => {
  let k: KeyOverHid;
  const dropped: string[] = [];

  beforeEach(async () => {
    dropped.length = 0;
    k = await keyOverHid({}, { cancelGraceMs: 200, onDropped: (r) => dropped.push(r.code) });
  });
  afterEach(() => k.cleanup());

  it('a key that stops answering times out; once it answers again the channel is resynchronised', async () => {
    k.link.setModel({ dropInput: true });
    await expect(k.transport.exchange(getInfo, { timeoutMs: 150 })).rejects.toSatisfy((e) =>
      isDeviceError(e, DeviceErrorKind.Timeout),
    );
    // Not stuck: nothing pending, and a PING is answered with its echo, not the stale GetInfo.
    k.link.setModel({ dropInput: false });
    expect(await k.transport.ping(Uint8Array.of(7, 7, 7), { timeoutMs: EXCHANGE_MS })).toEqual(
      Uint8Array.of(7, 7, 7),
    );
    await expectWorking(k);
  });

  it('errors carry codes, never the bytes of the message (an activation code here)', async () => {
    k.link.setModel({ dropInput: true });
    const code = '864209';
    const error: unknown = await k.transport
      .exchange(encodeRequest({ command: Command.UnlockWithCode, code: ascii(code) }), {
        timeoutMs: 100,
      })
      .catch((e: unknown) => e);
    expect(isDeviceError(error, DeviceErrorKind.Timeout)).toBe(true);
    const shown = JSON.stringify(error) + String(error);
    expect(shown).not.toContain(code);
    expect(shown).not.toContain(Buffer.from(code).toString('hex'));
  });

  it('a key that never answers CANCEL still ends the exchange as Cancelled (bounded wait)', async () => {
    const controller = new AbortController();
    const waiting = k.transport.exchange(waitButton, {
      timeoutMs: EXCHANGE_MS,
      signal: controller.signal,
      onKeepalive: () => {
        k.link.setModel({ dropInput: true });
        controller.abort();
      },
    });
    await expect(waiting).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.Cancelled));
    k.link.setModel({ dropInput: false });
    await expectWorking(k);
  });

  describe('unplug', () => {
    it('while waiting for the button: Disconnected at once, onDisconnect fires once', async () => {
      const reasons: DeviceError[] = [];
      k.transport.onDisconnect((r) => reasons.push(r));
      const waiting = k.transport.exchange(waitButton, { timeoutMs: EXCHANGE_MS });
      await keepaliveSeen(k);
      k.key.unplug();
      const outcome = await settledNow(waiting);
      expect(outcome).not.toBe('pending');
      expect(
        typeof outcome === 'object' && isDeviceError(outcome.error, DeviceErrorKind.Disconnected),
      ).toBe(true);
      expect(reasons.map((r) => r.code)).toEqual([DeviceErrorKind.Disconnected]);
      expect(k.transport.isOpen).toBe(false);
      await expect(
        k.transport.ping(Uint8Array.of(1), { timeoutMs: EXCHANGE_MS }),
      ).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.Disconnected));
    });

    it('while a 7609-byte message is on the wire (1 ms per report): Disconnected', async () => {
      k.link.setModel({ packetIntervalMs: 1 });
      const sending = k.transport.ping(new Uint8Array(MAX_MESSAGE_SIZE).fill(3), {
        timeoutMs: EXCHANGE_MS,
      });
      await new Promise((r) => setTimeout(r, 20)); // somewhere in the middle: any point will do
      k.key.unplug();
      await expect(sending).rejects.toSatisfy((e) =>
        isDeviceError(e, DeviceErrorKind.Disconnected),
      );
    });

    it('while the answer is being reassembled: Disconnected', async () => {
      k.link.setModel({ packetIntervalMs: 1 });
      let reports = 0;
      const onData = (): void => {
        if (++reports === 5) k.key.unplug();
      };
      const echoing = k.transport.ping(new Uint8Array(2000).fill(9), { timeoutMs: EXCHANGE_MS });
      k.link.on('data', onData);
      await expect(echoing).rejects.toSatisfy((e) =>
        isDeviceError(e, DeviceErrorKind.Disconnected),
      );
    });

    it('during the INIT handshake: OpenFailed, and the device is released', async () => {
      const link = new HidLink(k.key.hid, { dropInput: true });
      const opening = openHidTransport(link, descriptorOf(k.key), { initTimeoutMs: EXCHANGE_MS });
      k.key.unplug();
      await expect(opening).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.OpenFailed));
      await expect(link.write(Buffer.alloc(65))).rejects.toThrow(/closed/);
    });
  });

  it('a key that does not answer INIT fails to open with OpenFailed (no hang)', async () => {
    const link = new HidLink(k.key.hid, { dropInput: true });
    await expect(
      openHidTransport(link, descriptorOf(k.key), { initTimeoutMs: 100 }),
    ).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.OpenFailed));
  });

  it("INIT ignores other clients' answers and answers with another nonce", async () => {
    const link = new HidLink(k.key.hid);
    const opening = openHidTransport(link, descriptorOf(k.key));
    const foreign = encodeInitResponse({
      nonce: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      cid: 0x0badcafe,
      protocolVersion: 2,
      versionMajor: 1,
      versionMinor: 0,
      versionBuild: 0,
      capabilities: 0,
    });
    link.emit(
      'data',
      inputReport(CTAPHID_BROADCAST_CID, [0x80 | CtapHidCommand.Init, 0, 17, ...foreign]),
    );
    link.emit(
      'data',
      inputReport(CTAPHID_BROADCAST_CID, [0x80 | CtapHidCommand.Init, 0, 3, 1, 2, 3]),
    );
    const transport = await opening;
    try {
      expect(transport.channel).not.toBe(0x0badcafe);
      expect(k.key.hid.allocatedChannels).toContain(transport.channel);
    } finally {
      await transport.close();
    }
  });

  it("reports on other clients' channels are ignored", async () => {
    const other = await k.openAnother();
    // The other application's multi-packet traffic interleaves with ours.
    const [mine, theirs] = await Promise.all([
      k.transport
        .ping(new Uint8Array(500).fill(1), { timeoutMs: EXCHANGE_MS })
        .catch((e: unknown) => e),
      other.transport
        .ping(new Uint8Array(500).fill(2), { timeoutMs: EXCHANGE_MS })
        .catch((e: unknown) => e),
    ]);
    // One of them may be told CHANNEL_BUSY by the key (one transaction at a time); none is confused.
    for (const [result, fill] of [
      [mine, 1],
      [theirs, 2],
    ] as const) {
      if (result instanceof Uint8Array) expect(result.every((b) => b === fill)).toBe(true);
      else expect(isDeviceError(result, DeviceErrorKind.Busy)).toBe(true);
    }
    await expectWorking(k);
  });

  it('a key that forgot our channel (INVALID_CHANNEL) gets one fresh INIT and the request again', async () => {
    const before = k.transport.channel;
    const answer = k.transport.exchange(getInfo, { timeoutMs: EXCHANGE_MS });
    k.link.emit(
      'data',
      inputReport(before, [0x80 | CtapHidCommand.Error, 0, 1, CtapHidError.InvalidChannel]),
    );
    const response = decodeResponse(Command.GetInfo, await answer);
    expect(response.status).toBe(DeviceErrorCode.OK);
    expect(k.transport.channel).not.toBe(before);
    await expectWorking(k);
  });

  it('other ERROR frames are LinkError with the CTAPHID code', async () => {
    const answer = k.transport.exchange(getInfo, { timeoutMs: EXCHANGE_MS });
    k.link.emit(
      'data',
      inputReport(k.transport.channel, [
        0x80 | CtapHidCommand.Error,
        0,
        1,
        CtapHidError.InvalidSeq,
      ]),
    );
    await expect(answer).rejects.toSatisfy(
      (e) =>
        isDeviceError(e, DeviceErrorKind.LinkError) &&
        e.details?.['ctapHidError'] === CtapHidError.InvalidSeq,
    );
    await expectWorking(k);
  });

  describe('garbage from the device', () => {
    it('while idle it is dropped (and reported by code); the link works on', async () => {
      const cid = k.transport.channel;
      k.link.emit('data', inputReport(cid, [0x05, 1, 2, 3])); // a continuation out of nowhere
      k.link.emit('data', Buffer.from([1, 2])); // shorter than a channel id
      k.link.emit('data', inputReport(cid, [0x80 | CtapHidCommand.HideezMessage, 0, 1, 0])); // nobody asked
      expect(dropped).toEqual(['PROTOCOL_BAD_SEQUENCE', 'PROTOCOL_TRUNCATED', 'UNEXPECTED_FRAME']);
      await expectWorking(k);
    });

    it('during an exchange it fails that exchange with Protocol; the next one works', async () => {
      const answer = k.transport.ping(Uint8Array.of(1, 2, 3), { timeoutMs: EXCHANGE_MS });
      k.link.emit('data', inputReport(k.transport.channel, [0x80 | 0x55, 0, 1, 0])); // unknown command
      await expect(answer).rejects.toSatisfy((e) => isDeviceError(e, DeviceErrorKind.Protocol));
      await expectWorking(k);
    });

    it('random reports, idle or mid-exchange, never crash or wedge the transport', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              bytes: fc.uint8Array({ minLength: 0, maxLength: 70 }),
              ours: fc.boolean(),
            }),
            { maxLength: 6 },
          ),
          fc.boolean(),
          async (reports, midExchange) => {
            const inject = (): void => {
              for (const { bytes, ours } of reports) {
                const report = Buffer.from(bytes);
                if (ours && report.length >= 4) report.writeUInt32BE(k.transport.channel, 0);
                // A forged PING answer on our channel would be indistinguishable from the
                // real one (CTAPHID has no request ids): leave that one out.
                if (ours && report[4] === (0x80 | CtapHidCommand.Ping)) report[4] = 0x80 | 0x55;
                k.link.emit('data', report);
              }
            };
            if (midExchange) {
              const answer = k.transport.ping(Uint8Array.of(42), { timeoutMs: EXCHANGE_MS });
              inject();
              const result = await answer.catch((e: unknown) => e);
              if (!(result instanceof Uint8Array)) {
                expect(result).toBeInstanceOf(DeviceError);
                expect([
                  DeviceErrorKind.Protocol,
                  DeviceErrorKind.LinkError,
                  DeviceErrorKind.Busy,
                ]).toContain((result as DeviceError).code);
              }
            } else {
              inject();
            }
            expect(k.transport.isOpen).toBe(true);
            expect(await k.transport.ping(Uint8Array.of(5), { timeoutMs: EXCHANGE_MS })).toEqual(
              Uint8Array.of(5),
            );
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
