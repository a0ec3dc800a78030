// Every vector of the vendor's vectors.json (copied into fixtures/: CI has only the
// repository), reproduced byte for byte through the individual modules — both ends
// of the handshake, the sealed messages, packets, commits, counters, the decoded
// info block and STATUS fields — and through the conformance run as a whole.
import { describe, expect, it } from 'vitest';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { runConformance } from '../../../device/key3/conformance/conformance';
import {
  certificateDigest,
  makeRootKeyCertificate,
  verifyRootKeyCertificate,
} from '../../../device/key3/crypto/certificate';
import { ecdhSharedSecret, publicKeyOf } from '../../../device/key3/crypto/ecdsa';
import {
  type HostHandshakeResult,
  answerHandshake,
  deriveSessionKeys,
  startHostHandshake,
  verifyHandshake,
} from '../../../device/key3/crypto/handshake';
import { aesCmac, aesCtr, sha256 } from '../../../device/key3/crypto/primitives';
import { Key3Session } from '../../../device/key3/crypto/session';
import {
  REAL_VENDOR_PUBLIC_KEY,
  TEST_VENDOR_PUBLIC_KEY,
} from '../../../device/key3/crypto/vendor-keys';
import {
  Key3Command,
  decodeRequest,
  getInfo,
  getRootKey,
  unlockDeviceCode,
  verify,
} from '../../../device/key3/protocol/commands';
import { toDeviceErrorCode } from '../../../device/key3/protocol/errors';
import { decodeInfoBlock } from '../../../device/key3/protocol/info-block';
import {
  decodeReply,
  encodeErrorReply,
  encodeMessage,
} from '../../../device/key3/protocol/message';
import {
  classifyNotification,
  commitPacket,
  encodeMessagePackets,
  resetPacket,
} from '../../../device/key3/protocol/packets';
import { PacketReassembler } from '../../../device/key3/protocol/reassembler';
import {
  decodeStatus,
  decodeStatusPacket,
  encodeStatus,
} from '../../../device/key3/protocol/status';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { bytesOf, hex, loadVectors, refusal, stringOf, vector } from './helpers';

const file = loadVectors();
const ofKind = (kind: string) => file.vectors.filter((v) => v.kind === kind);
const hexList = (v: unknown): string[] => v as string[];
const packetsHex = (ch: number, m: Uint8Array): string[] => encodeMessagePackets(ch, m).map(hex);

/** The receiving side: notifications → one message, and the COMMIT it would send. */
function receive(ch: number, packets: readonly string[]): { message: Uint8Array; commit: string } {
  const r = new PacketReassembler(ch);
  let message: Uint8Array | undefined;
  for (const p of packets) {
    const n = classifyNotification(Uint8Array.from(Buffer.from(p, 'hex')));
    if (n.kind !== 'data') throw new Error('not a data packet');
    message = r.push(n) ?? message;
  }
  if (message === undefined) throw new Error('no message');
  return { message, commit: hex(commitPacket(ch, r.packetCount)) };
}

describe('vendor vectors: primitives', () => {
  it.each(ofKind('sha256'))('$id', (v) => {
    expect(hex(sha256(bytesOf(v.inputs, 'message')))).toBe(v.expected['digest']);
  });
  it.each(ofKind('aes128ctr'))('$id', (v) => {
    const { output, counterAfter } = aesCtr(
      bytesOf(v.inputs, 'key'),
      bytesOf(v.inputs, 'counterBlock'),
      bytesOf(v.inputs, 'plaintext'),
    );
    expect(hex(output)).toBe(v.expected['ciphertext']);
    expect(hex(counterAfter)).toBe(v.expected['counterBlockAfter']);
  });
  it.each(ofKind('cmac'))('$id', (v) => {
    expect(hex(aesCmac(bytesOf(v.inputs, 'key'), bytesOf(v.inputs, 'message')))).toBe(
      v.expected['mac'],
    );
  });
  it.each(ofKind('status'))('$id', (v) => {
    const packet = bytesOf(v.inputs, 'packet');
    expect(decodeStatus(packet, v.inputs['channel'] as number)).toEqual(v.expected);
    expect(encodeStatus(decodeStatusPacket(packet))).toEqual(packet);
  });
});

describe('vendor vectors: one session, handshake to counter resync', () => {
  const hs = vector(file, 'handshake-channel1');
  const I = hs.inputs;
  const E = hs.expected;
  const ch = I['channel'] as number;
  let result: HostHandshakeResult;
  let key: Key3Session;
  let keys: { aesKey: Uint8Array; macKey: Uint8Array };

  it('handshake: RESET, VERIFY, VERIFYREPLY and the session keys', () => {
    expect(hex(resetPacket(ch))).toBe(E['resetPacket']);
    const host = startHostHandshake(ch, {
      ephemeralPrivateKey: bytesOf(I, 'hostEphemeralPrivateKey'),
      nonce: bytesOf(I, 'hostNonce'),
    });
    expect(hex(host.request73)).toBe(E['hostRequest73']);
    expect(hex(host.hostPublicKey65)).toBe(E['hostEphemeralPublicKey65']);
    expect(hex(host.verifyMessage)).toBe(E['verifyCommandPlain']);
    expect(hex(verify(ch, host.hostPublicKey65, host.hostNonce))).toBe(E['verifyCommandPlain']);
    expect(packetsHex(ch, host.verifyMessage)).toEqual(E['verifyPackets']);
    const atKey = receive(ch, hexList(E['verifyPackets']));
    expect(atKey.commit).toBe(E['verifyCommit']);

    const request = decodeRequest(atKey.message);
    const answer = answerHandshake({
      channel: ch,
      verifyPayload: request.payload,
      rootPrivateKey: bytesOf(I, 'keyRootPrivateKey'),
      keyEphemeralPrivateKey: bytesOf(I, 'keyEphemeralPrivateKey'),
      keyNonce: bytesOf(I, 'keyNonce'),
      signatureNonce: bytesOf(I, 'ecdsaNonceForSessionSignature'),
    });
    key = answer.session;
    expect(hex(answer.replyPayload137)).toBe(E['verifyReplyPayload137']);
    expect(hex(answer.replyMessage)).toBe(E['verifyReplyPlain']);
    expect(packetsHex(ch, answer.replyMessage)).toEqual(E['verifyReplyPackets']);
    const atHost = receive(ch, hexList(E['verifyReplyPackets']));
    expect(atHost.commit).toBe(E['verifyReplyCommit']);

    const reply = decodeReply(atHost.message, Key3Command.VERIFYREPLY);
    if (!reply.ok) throw new Error('error reply');
    result = host.finish(reply.payload);
    expect(hex(result.keyPublicKey65)).toBe(E['keyEphemeralPublicKey65']);
    expect(hex(result.sessionDigest)).toBe(E['sessionDigest']);
    expect(hex(result.signature64)).toBe(E['sessionSignature']);
    const secret = ecdhSharedSecret(bytesOf(I, 'hostEphemeralPrivateKey'), result.keyPublicKey65);
    expect(hex(secret)).toBe(E['sharedSecret']);
    expect(hex(ecdhSharedSecret(bytesOf(I, 'keyEphemeralPrivateKey'), host.hostPublicKey65))).toBe(
      E['sharedSecret'],
    );
    keys = deriveSessionKeys(secret);
    expect(hex(keys.aesKey)).toBe(E['aesKey']);
    expect(hex(keys.macKey)).toBe(E['macKey']);
    expect(hex(result.session.counterBlock)).toBe(E['initialCounterBlock']);
    expect(hex(key.counterBlock)).toBe(E['initialCounterBlock']);
  });

  it('handshake: the certificate, GETROOTKEY/ROOTKEY and both checks', () => {
    const rootPublic = publicKeyOf(bytesOf(I, 'keyRootPrivateKey'));
    expect(hex(rootPublic.subarray(1))).toBe(E['keyRootPublicKey64']);
    expect(hex(publicKeyOf(bytesOf(I, 'testVendorPrivateKey')))).toBe(E['testVendorPublicKey65']);
    const certificate = makeRootKeyCertificate({
      rootPublicKey65: rootPublic,
      devInfo: bytesOf(I, 'certDevInfo'),
      byte0: bytesOf(I, 'certByte0')[0] ?? 0,
      vendorPrivateKey: bytesOf(I, 'testVendorPrivateKey'),
      signatureNonce: bytesOf(I, 'ecdsaNonceForCertificateSignature'),
    });
    expect(hex(certificate)).toBe(E['certificate']);
    expect(hex(certificateDigest(certificate))).toBe(E['certificateSignedDigest']);

    expect(hex(getRootKey())).toBe(E['getRootKeyPlain']);
    expect(hex(result.session.counterBlock)).toBe(E['getRootKeyCounterBlock']);
    const sealed = result.session.sealRequest(getRootKey());
    expect(hex(sealed)).toBe(E['getRootKeyMessage']);
    expect(hex(sealed.subarray(0, 16))).toBe(E['getRootKeyCiphertext']);
    expect(hex(aesCmac(keys.macKey, sealed.subarray(0, 16)))).toBe(E['getRootKeyCmacFull']);
    expect(packetsHex(ch, sealed)).toEqual(E['getRootKeyPackets']);
    const atKey = receive(ch, hexList(E['getRootKeyPackets']));
    expect(atKey.commit).toBe(E['getRootKeyCommit']);
    expect(decodeRequest(key.openRequest(atKey.message)).command).toBe(Key3Command.GETROOTKEY);

    const replyPlain = encodeMessage(Key3Command.ROOTKEY, certificate);
    expect(hex(replyPlain)).toBe(E['rootKeyReplyPlain']);
    expect(hex(key.counterBlock)).toBe(E['rootKeyReplyCounterBlock']);
    const reply = key.sealReply(replyPlain);
    expect(hex(reply)).toBe(E['rootKeyReplyMessage']);
    expect(packetsHex(ch, reply)).toEqual(E['rootKeyReplyPackets']);
    const atHost = receive(ch, hexList(E['rootKeyReplyPackets']));
    expect(atHost.commit).toBe(E['rootKeyReplyCommit']);
    const rootKey = decodeReply(result.session.openReply(atHost.message), Key3Command.ROOTKEY);
    if (!rootKey.ok) throw new Error('error reply');
    expect(hex(rootKey.payload)).toBe(E['certificate']);
    expect(
      hex(verifyHandshake(result, rootKey.payload, TEST_VENDOR_PUBLIC_KEY).rootPublicKey65),
    ).toBe(hex(rootPublic));
    // The library's sc_setRootKey fails (08) with the real vendor key.
    refusal(
      () => verifyRootKeyCertificate(rootKey.payload, REAL_VENDOR_PUBLIC_KEY),
      ProtocolErrorCode.BadCertificate,
    );
    expect(hex(result.session.counterBlock)).toBe(E['counterBlockAfterHandshake']);
    expect(hex(key.counterBlock)).toBe(E['counterBlockAfterHandshake']);
  });

  it('GETINFO / INFO', () => {
    const v = vector(file, 'getinfo-encrypted');
    const X = v.expected;
    expect(hex(bytesOf(v.inputs, 'aesKey'))).toBe(hex(keys.aesKey));
    expect(hex(bytesOf(v.inputs, 'macKey'))).toBe(hex(keys.macKey));
    const host = result.session;
    expect(hex(getInfo())).toBe(X['requestPlain']);
    expect(hex(host.counterBlock)).toBe(X['requestCounterBlock']);
    expect(host.counter16).toBe(X['requestCounter16']);
    const sealed = host.sealRequest(getInfo());
    expect(hex(sealed)).toBe(X['requestMessage']);
    expect(hex(sealed.subarray(0, 16))).toBe(X['requestCiphertext']);
    expect(hex(aesCmac(keys.macKey, sealed.subarray(0, 16)))).toBe(X['requestCmacFull']);
    expect(hex(sealed.subarray(16))).toBe(X['requestTrailer']);
    expect(packetsHex(ch, sealed)).toEqual(X['requestPackets']);
    const atKey = receive(ch, hexList(X['requestPackets']));
    expect(atKey.commit).toBe(X['requestCommit']);
    expect(decodeRequest(key.openRequest(atKey.message)).command).toBe(Key3Command.GETINFO);

    const replyPlain = encodeMessage(Key3Command.INFO, bytesOf(v.inputs, 'infoBlock'));
    expect(hex(replyPlain)).toBe(X['replyPlain']);
    expect(hex(key.counterBlock)).toBe(X['replyCounterBlock']);
    const reply = key.sealReply(replyPlain);
    expect(hex(reply)).toBe(X['replyMessage']);
    expect(hex(reply.subarray(0, reply.length - 16))).toBe(X['replyCiphertext']);
    expect(hex(reply.subarray(reply.length - 16))).toBe(X['replyCmac']);
    expect(packetsHex(ch, reply)).toEqual(X['replyPackets']);
    const atHost = receive(ch, hexList(X['replyPackets']));
    expect(atHost.commit).toBe(X['replyCommit']);
    const decrypted = host.openReply(atHost.message);
    expect(hex(decrypted)).toBe(X['replyDecrypted']);
    const info = decodeReply(decrypted, Key3Command.INFO);
    if (!info.ok) throw new Error('error reply');
    expect(decodeInfoBlock(info.payload)).toEqual(X['decodedInfo']);
    expect(hex(host.counterBlock)).toBe(X['counterBlockAfter']);
  });

  it('UNLOCKDEVICECODE and its three alternative answers', () => {
    const v = vector(file, 'unlock-device-code-123456');
    const X = v.expected;
    const host = result.session;
    const plain = unlockDeviceCode(bytesOf(v.inputs, 'code'));
    expect(hex(plain)).toBe(X['requestPlain']);
    expect(hex(host.counterBlock)).toBe(X['requestCounterBlock']);
    expect(host.counter16).toBe(X['requestCounter16']);
    const sealed = host.sealRequest(plain);
    expect(hex(sealed)).toBe(X['requestMessage']);
    expect(hex(sealed.subarray(0, 16))).toBe(X['requestCiphertext']);
    expect(hex(sealed.subarray(16))).toBe(X['requestTrailer']);
    expect(packetsHex(ch, sealed)).toEqual(X['requestPackets']);
    expect(receive(ch, hexList(X['requestPackets'])).commit).toBe(X['requestCommit']);
    const request = decodeRequest(key.openRequest(sealed));
    expect(request).toMatchObject({
      command: Key3Command.UNLOCKDEVICECODE,
      code: bytesOf(v.inputs, 'code'),
    });

    const replies = X['replies'] as Record<string, Record<string, unknown>>;
    const answers = {
      success: { plain: encodeMessage(Key3Command.SUCCESS), status: DeviceErrorCode.OK },
      wrongCode: {
        plain: encodeErrorReply('firmware', 0x13),
        status: DeviceErrorCode.ERR_PIN_WRONG,
      },
      noAttemptsLeft: {
        plain: encodeErrorReply('firmware', 0x07),
        status: DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
      },
    };
    expect(Object.keys(replies)).toEqual(Object.keys(answers));
    for (const [name, answer] of Object.entries(answers)) {
      const R = replies[name] ?? {};
      const keyFork = new Key3Session({ ...keys, counterBlock: key.counterBlock });
      const hostFork = new Key3Session({ ...keys, counterBlock: host.counterBlock });
      expect(hex(answer.plain)).toBe(R['plain']);
      expect(hex(keyFork.counterBlock)).toBe(R['counterBlock']);
      const message = keyFork.sealReply(answer.plain);
      expect(hex(message)).toBe(R['message']);
      expect(hex(message.subarray(0, 16))).toBe(R['ciphertext']);
      expect(hex(message.subarray(16))).toBe(R['cmac']);
      expect(packetsHex(ch, message)).toEqual(R['packets']);
      const atHost = receive(ch, hexList(R['packets']));
      expect(atHost.commit).toBe(R['commit']);
      const decoded = decodeReply(hostFork.openReply(atHost.message), Key3Command.SUCCESS);
      expect(
        decoded.ok ? DeviceErrorCode.OK : toDeviceErrorCode(decoded.source, decoded.error),
      ).toBe(answer.status);
    }
    // The success reply is the one the session goes on with.
    host.openReply(key.sealReply(answers.success.plain));
  });

  it('counter progression, resync and the update rule', () => {
    const v = vector(file, 'counter-progression');
    const X = v.expected;
    const host = result.session;
    const messages = X['messages'] as Record<string, unknown>[];
    (v.inputs['messages'] as string[]).forEach((plainHex, i) => {
      const M = messages[i] ?? {};
      const plain = Uint8Array.from(Buffer.from(plainHex, 'hex'));
      expect(hex(plain)).toBe(M['plain']);
      expect(plain.length / 16).toBe(M['blocks']);
      expect(hex(host.counterBlock)).toBe(M['counterBlockBefore']);
      expect(host.counter16).toBe(M['counter16InTrailer']);
      const sealed = host.sealRequest(plain);
      expect(hex(sealed)).toBe(M['message']);
      expect(hex(sealed.subarray(sealed.length - 16))).toBe(M['trailer']);
      expect(hex(host.counterBlock)).toBe(M['counterBlockAfter']);
      expect(key.openRequest(sealed)).toEqual(plain);
    });
    expect(hex(host.counterBlock)).toBe(X['counterBeforeResync']);
    host.resync();
    expect(hex(host.counterBlock)).toBe(X['afterSyncPlus0x1000']);
    host.updateCounter16(0x0005);
    expect(hex(host.counterBlock)).toBe(X['afterUpdateTo0005']);
  });
});

describe('vendor vectors: the conformance run', () => {
  it('recomputes every expected exactly, in the same structure', () => {
    const output = runConformance(file) as unknown as typeof file;
    expect(output.vectors.map((v) => v.id)).toEqual(file.vectors.map((v) => v.id));
    for (const [i, v] of file.vectors.entries()) {
      const out = output.vectors[i];
      expect(out, v.id).toEqual(v);
      expect(JSON.stringify(out?.expected), v.id).toBe(JSON.stringify(v.expected));
      expect(stringOf(out ?? {}, 'id')).toBe(v.id);
    }
    expect(output).toEqual(file);
  });
});
