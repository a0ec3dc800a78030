// Conformance computations for the handshake and session-message kinds: both
// ends are run with this code — host handshake against the key's answer, then
// sealed requests opened by the key side and sealed replies opened by the host —
// and every intermediate value the vectors record is read off the way.
import { certificateDigest, makeRootKeyCertificate } from '../crypto/certificate';
import { ecdhSharedSecret, publicKeyOf } from '../crypto/ecdsa';
import {
  answerHandshake,
  deriveSessionKeys,
  startHostHandshake,
  verifyHandshake,
} from '../crypto/handshake';
import { aesCmac } from '../crypto/primitives';
import { Key3Session } from '../crypto/session';
import {
  Key3Command,
  decodeRequest,
  getInfo,
  getRootKey,
  unlockDeviceCode,
} from '../protocol/commands';
import { Key3FirmwareError } from '../protocol/errors';
import { decodeInfoBlock } from '../protocol/info-block';
import { decodeReply, encodeErrorReply, encodeMessage } from '../protocol/message';
import { commitPacket, encodeMessagePackets, resetPacket } from '../protocol/packets';
import { type Json, type JsonObject, type SessionState, VectorError, toHex } from './inputs';
import { type KindContext, type KindResult, startState } from './primitive-kinds';

const packetsHex = (channel: number, message: Uint8Array): Json[] =>
  encodeMessagePackets(channel, message).map(toHex);
const commitHex = (channel: number, message: Uint8Array): string =>
  toHex(commitPacket(channel, message.length / 16));
const body = (message: Uint8Array): Uint8Array => message.subarray(0, message.length - 16);
const tail = (message: Uint8Array): Uint8Array => message.subarray(message.length - 16);

function expectCommand(plain: Uint8Array, command: number): ReturnType<typeof decodeRequest> {
  const request = decodeRequest(plain);
  if (request.command !== command) throw new VectorError('the key side decoded another command');
  return request;
}

export function handshakeKind({ inputs }: KindContext): KindResult {
  const channel = inputs.integer('channel', 1, 6);
  const hostPrivate = inputs.bytes('hostEphemeralPrivateKey', 32);
  const rootPrivate = inputs.bytes('keyRootPrivateKey', 32);
  const vendorPrivate = inputs.bytes('testVendorPrivateKey', 32);
  const host = startHostHandshake(channel, {
    ephemeralPrivateKey: hostPrivate,
    nonce: inputs.bytes('hostNonce', 8),
  });
  const verifyRequest = expectCommand(host.verifyMessage, Key3Command.VERIFY);
  const key = answerHandshake({
    channel,
    verifyPayload: verifyRequest.payload,
    rootPrivateKey: rootPrivate,
    keyEphemeralPrivateKey: inputs.bytes('keyEphemeralPrivateKey', 32),
    keyNonce: inputs.bytes('keyNonce', 8),
    signatureNonce: inputs.bytes('ecdsaNonceForSessionSignature', 32),
  });
  const verifyReply = decodeReply(key.replyMessage, Key3Command.VERIFYREPLY);
  if (!verifyReply.ok) throw new VectorError('the key answered VERIFY with an error');
  const result = host.finish(verifyReply.payload);
  const sharedSecret = ecdhSharedSecret(hostPrivate, result.keyPublicKey65);
  const { aesKey, macKey } = deriveSessionKeys(sharedSecret);
  const initialCounterBlock = result.session.counterBlock;

  const rootPublic = publicKeyOf(rootPrivate);
  const vendorPublic = publicKeyOf(vendorPrivate);
  const certificate = makeRootKeyCertificate({
    rootPublicKey65: rootPublic,
    devInfo: inputs.bytes('certDevInfo'),
    byte0: inputs.bytes('certByte0', 1)[0] ?? 0,
    vendorPrivateKey: vendorPrivate,
    signatureNonce: inputs.bytes('ecdsaNonceForCertificateSignature', 32),
  });

  const getRootKeyPlain = getRootKey();
  const getRootKeyCounterBlock = result.session.counterBlock;
  const getRootKeyMessage = result.session.sealRequest(getRootKeyPlain);
  expectCommand(key.session.openRequest(getRootKeyMessage), Key3Command.GETROOTKEY);
  const rootKeyReplyPlain = encodeMessage(Key3Command.ROOTKEY, certificate);
  const rootKeyReplyCounterBlock = key.session.counterBlock;
  const rootKeyReplyMessage = key.session.sealReply(rootKeyReplyPlain);
  const rootKeyReply = decodeReply(
    result.session.openReply(rootKeyReplyMessage),
    Key3Command.ROOTKEY,
  );
  if (!rootKeyReply.ok) throw new VectorError('the key answered GETROOTKEY with an error');
  verifyHandshake(result, rootKeyReply.payload, vendorPublic);

  const after = result.session.counterBlock;
  result.session.destroy();
  key.session.destroy();
  const expected: JsonObject = {
    resetPacket: toHex(resetPacket(channel)),
    hostRequest73: toHex(host.request73),
    hostEphemeralPublicKey65: toHex(host.hostPublicKey65),
    verifyCommandPlain: toHex(host.verifyMessage),
    verifyPackets: packetsHex(channel, host.verifyMessage),
    verifyCommit: commitHex(channel, host.verifyMessage),
    keyEphemeralPublicKey65: toHex(result.keyPublicKey65),
    sessionDigest: toHex(result.sessionDigest),
    sessionSignature: toHex(result.signature64),
    verifyReplyPayload137: toHex(key.replyPayload137),
    verifyReplyPlain: toHex(key.replyMessage),
    verifyReplyPackets: packetsHex(channel, key.replyMessage),
    verifyReplyCommit: commitHex(channel, key.replyMessage),
    sharedSecret: toHex(sharedSecret),
    aesKey: toHex(aesKey),
    macKey: toHex(macKey),
    initialCounterBlock: toHex(initialCounterBlock),
    testVendorPublicKey65: toHex(vendorPublic),
    keyRootPublicKey64: toHex(rootPublic.subarray(1)),
    certificate: toHex(certificate),
    certificateSignedDigest: toHex(certificateDigest(certificate)),
    getRootKeyPlain: toHex(getRootKeyPlain),
    getRootKeyCounterBlock: toHex(getRootKeyCounterBlock),
    getRootKeyCiphertext: toHex(body(getRootKeyMessage)),
    getRootKeyCmacFull: toHex(aesCmac(macKey, body(getRootKeyMessage))),
    getRootKeyMessage: toHex(getRootKeyMessage),
    getRootKeyPackets: packetsHex(channel, getRootKeyMessage),
    getRootKeyCommit: commitHex(channel, getRootKeyMessage),
    rootKeyReplyPlain: toHex(rootKeyReplyPlain),
    rootKeyReplyCounterBlock: toHex(rootKeyReplyCounterBlock),
    rootKeyReplyMessage: toHex(rootKeyReplyMessage),
    rootKeyReplyPackets: packetsHex(channel, rootKeyReplyMessage),
    rootKeyReplyCommit: commitHex(channel, rootKeyReplyMessage),
    counterBlockAfterHandshake: toHex(after),
  };
  return { expected, state: { channel, aesKey, macKey, counterBlock: after } };
}

/** A host request sealed, checked by the key side; the fields every session vector records. */
function sealedRequest(
  state: SessionState,
  host: Key3Session,
  key: Key3Session,
  plain: Uint8Array,
  command: number,
): { fields: JsonObject; decoded: ReturnType<typeof decodeRequest> } {
  const counterBlock = host.counterBlock;
  const counter16 = host.counter16;
  const message = host.sealRequest(plain);
  const decoded = expectCommand(key.openRequest(message), command);
  return {
    decoded,
    fields: {
      requestPlain: toHex(plain),
      requestCounterBlock: toHex(counterBlock),
      requestCounter16: counter16,
      requestCiphertext: toHex(body(message)),
      requestCmacFull: toHex(aesCmac(state.macKey, body(message))),
      requestTrailer: toHex(tail(message)),
      requestMessage: toHex(message),
      requestPackets: packetsHex(state.channel, message),
      requestCommit: commitHex(state.channel, message),
    },
  };
}

function getInfoExchange(state: SessionState, infoBlock: Uint8Array): KindResult {
  const host = new Key3Session(state);
  const key = new Key3Session(state);
  const { fields } = sealedRequest(state, host, key, getInfo(), Key3Command.GETINFO);
  const replyPlain = encodeMessage(Key3Command.INFO, infoBlock);
  const replyCounterBlock = key.counterBlock;
  const replyMessage = key.sealReply(replyPlain);
  const replyDecrypted = host.openReply(replyMessage);
  const reply = decodeReply(replyDecrypted, Key3Command.INFO);
  if (!reply.ok) throw new VectorError('the INFO reply decoded as an error');
  const counterBlock = host.counterBlock;
  host.destroy();
  key.destroy();
  const expected: JsonObject = {
    ...fields,
    replyPlain: toHex(replyPlain),
    replyCounterBlock: toHex(replyCounterBlock),
    replyCiphertext: toHex(body(replyMessage)),
    replyCmac: toHex(tail(replyMessage)),
    replyMessage: toHex(replyMessage),
    replyPackets: packetsHex(state.channel, replyMessage),
    replyCommit: commitHex(state.channel, replyMessage),
    replyDecrypted: toHex(replyDecrypted),
    decodedInfo: { ...decodeInfoBlock(reply.payload) },
    counterBlockAfter: toHex(counterBlock),
  };
  return { expected, state: { ...state, counterBlock } };
}

/** UNLOCKDEVICECODE and three alternative key answers at the same counter; the state goes on after success. */
function unlockExchange(state: SessionState, code: Uint8Array): KindResult {
  const host = new Key3Session(state);
  const key = new Key3Session(state);
  const { fields } = sealedRequest(
    state,
    host,
    key,
    unlockDeviceCode(code),
    Key3Command.UNLOCKDEVICECODE,
  );
  const { requestCmacFull: _unrecorded, ...requestFields } = fields;
  const answers = {
    success: encodeMessage(Key3Command.SUCCESS),
    wrongCode: encodeErrorReply('firmware', Key3FirmwareError.WrongPinOrCode),
    noAttemptsLeft: encodeErrorReply('firmware', Key3FirmwareError.LockedByCode),
  };
  let afterSuccess = host.counterBlock;
  const replies: JsonObject = {};
  for (const [name, plain] of Object.entries(answers)) {
    const keyFork = new Key3Session({ ...state, counterBlock: key.counterBlock });
    const hostFork = new Key3Session({ ...state, counterBlock: host.counterBlock });
    const counterBlock = keyFork.counterBlock;
    const message = keyFork.sealReply(plain);
    const opened = decodeReply(hostFork.openReply(message), Key3Command.SUCCESS);
    if (opened.ok !== (name === 'success'))
      throw new VectorError(`the ${name} reply decoded wrongly`);
    if (name === 'success') afterSuccess = hostFork.counterBlock;
    replies[name] = {
      plain: toHex(plain),
      counterBlock: toHex(counterBlock),
      ciphertext: toHex(body(message)),
      cmac: toHex(tail(message)),
      message: toHex(message),
      packets: packetsHex(state.channel, message),
      commit: commitHex(state.channel, message),
    };
    keyFork.destroy();
    hostFork.destroy();
  }
  host.destroy();
  key.destroy();
  return {
    expected: { ...requestFields, replies },
    state: { ...state, counterBlock: afterSuccess },
  };
}

export function sessionMessageKind(context: KindContext): KindResult {
  const state = startState(context);
  if (context.inputs.has('infoBlock'))
    return getInfoExchange(state, context.inputs.bytes('infoBlock'));
  if (context.inputs.has('code')) return unlockExchange(state, context.inputs.bytes('code'));
  throw new VectorError('unsupported session-message: inputs carry neither infoBlock nor code');
}
