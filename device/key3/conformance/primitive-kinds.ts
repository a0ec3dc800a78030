// Conformance computations for the stateless vector kinds (sha256, aes128ctr,
// cmac, status) and the counter-progression kind, each from its inputs alone
// (plus, for counter, the session state it continues from).
import { Key3Session } from '../crypto/session';
import { aesCmac, aesCtr, sha256 } from '../crypto/primitives';
import { counterLow16 } from '../crypto/counter';
import { decodeStatus } from '../protocol/status';
import { type Inputs, type JsonObject, type SessionState, VectorError, toHex } from './inputs';

export interface KindContext {
  readonly inputs: Inputs;
  /** The state left by the vector named in continuesFrom (VectorError if none). */
  readonly previous: () => SessionState;
}

export interface KindResult {
  readonly expected: JsonObject;
  readonly state?: SessionState;
}

export const sha256Kind = ({ inputs }: KindContext): KindResult => ({
  expected: { digest: toHex(sha256(inputs.bytes('message'))) },
});

export function aes128ctrKind({ inputs }: KindContext): KindResult {
  const { output, counterAfter } = aesCtr(
    inputs.bytes('key', 16),
    inputs.bytes('counterBlock', 16),
    inputs.bytes('plaintext'),
  );
  return { expected: { ciphertext: toHex(output), counterBlockAfter: toHex(counterAfter) } };
}

export const cmacKind = ({ inputs }: KindContext): KindResult => ({
  expected: { mac: toHex(aesCmac(inputs.bytes('key', 16), inputs.bytes('message'))) },
});

export function statusKind({ inputs }: KindContext): KindResult {
  const status = decodeStatus(inputs.bytes('packet'), inputs.integer('channel', 1, 6));
  return { expected: { ...status, accessLevel: { ...status.accessLevel } } };
}

/** The state a session-message or counter vector starts from: continuesFrom, or explicit inputs. */
export function startState(context: KindContext): SessionState {
  const { inputs } = context;
  const base = inputs.continuesFrom() !== undefined ? context.previous() : undefined;
  const channel = inputs.has('channel') ? inputs.integer('channel', 1, 6) : base?.channel;
  const aesKey = inputs.optionalBytes('aesKey', 16) ?? base?.aesKey;
  const macKey = inputs.optionalBytes('macKey', 16) ?? base?.macKey;
  const counterBlock = inputs.optionalBytes('counterBlock', 16) ?? base?.counterBlock;
  if (channel === undefined) throw new VectorError('missing input: channel (or continuesFrom)');
  if (aesKey === undefined) throw new VectorError('missing input: aesKey (or continuesFrom)');
  if (macKey === undefined) throw new VectorError('missing input: macKey (or continuesFrom)');
  if (counterBlock === undefined) {
    throw new VectorError('missing input: counterBlock (or continuesFrom)');
  }
  return { channel, aesKey, macKey, counterBlock };
}

/**
 * Host messages sealed back to back, then the SDK's +0x1000 resync, then the
 * vendor update rule to `updateCounter16` (default 0x0005: the vector names the
 * value only in its field name "afterUpdateTo0005").
 */
export function counterKind(context: KindContext): KindResult {
  const state = startState(context);
  const updateTo = context.inputs.has('updateCounter16')
    ? context.inputs.integer('updateCounter16', 0, 0xffff)
    : 0x0005;
  const host = new Key3Session(state);
  const messages = context.inputs.bytesList('messages').map((plain): JsonObject => {
    const before = host.counterBlock;
    const message = host.sealRequest(plain);
    return {
      plain: toHex(plain),
      blocks: plain.length / 16,
      counterBlockBefore: toHex(before),
      counter16InTrailer: counterLow16(before),
      trailer: toHex(message.subarray(message.length - 16)),
      message: toHex(message),
      counterBlockAfter: toHex(host.counterBlock),
    };
  });
  const counterBeforeResync = toHex(host.counterBlock);
  host.resync();
  const afterSync = toHex(host.counterBlock);
  host.updateCounter16(updateTo);
  const expected: JsonObject = {
    messages,
    counterBeforeResync,
    afterSyncPlus0x1000: afterSync,
    [`afterUpdateTo${updateTo.toString(16).padStart(4, '0')}`]: toHex(host.counterBlock),
  };
  const after = { ...state, counterBlock: host.counterBlock };
  host.destroy();
  return { expected, state: after };
}
