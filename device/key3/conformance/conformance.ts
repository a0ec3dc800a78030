// The conformance run (`npm run key3 -- conformance FILE`): takes a file shaped
// like the vendor's vectors.json, ignores every `expected`, recomputes it from the
// vector's inputs with this code base, and returns the whole file with each
// `expected` replaced by what was computed — or by `"error"` when a vector cannot
// be computed. Every other key passes through unchanged, in its place.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import {
  Inputs,
  type Json,
  type JsonObject,
  type SessionState,
  VectorError,
  isObject,
} from './inputs';
import {
  type KindContext,
  type KindResult,
  aes128ctrKind,
  cmacKind,
  counterKind,
  sha256Kind,
  statusKind,
} from './primitive-kinds';
import { handshakeKind, sessionMessageKind } from './session-kinds';

export type { Json, JsonObject } from './inputs';

const KINDS: Readonly<Record<string, (context: KindContext) => KindResult>> = {
  sha256: sha256Kind,
  aes128ctr: aes128ctrKind,
  cmac: cmacKind,
  handshake: handshakeKind,
  'session-message': sessionMessageKind,
  counter: counterKind,
  status: statusKind,
};

export const CONFORMANCE_KINDS: readonly string[] = Object.keys(KINDS);

type Outcome =
  | { readonly ok: true; readonly result: KindResult }
  | { readonly ok: false; readonly error: string };

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Refuses a file that is not `{vectors: [object, …]}` (the CLI exits 2 on it). */
function checkFile(
  file: unknown,
): asserts file is Record<string, unknown> & { vectors: Record<string, unknown>[] } {
  if (!isObject(file) || !Array.isArray(file['vectors'])) {
    throw protocolError(ProtocolErrorCode.BadField, 'not a vectors file: no "vectors" list', {
      field: 'vectors',
    });
  }
  const at = file['vectors'].findIndex((v) => !isObject(v));
  if (at >= 0) {
    throw protocolError(
      ProtocolErrorCode.BadField,
      'not a vectors file: a vector is not an object',
      {
        field: 'vectors',
        index: at,
      },
    );
  }
}

export function runConformance(file: unknown): JsonObject {
  checkFile(file);
  const vectors = file.vectors;
  const byId = new Map<string, number>();
  vectors.forEach((v, i) => {
    const id = v['id'];
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, i);
  });
  const outcomes = new Map<number, Outcome>();
  const running = new Set<number>();

  const compute = (index: number): Outcome => {
    const done = outcomes.get(index);
    if (done !== undefined) return done;
    running.add(index);
    let outcome: Outcome;
    try {
      outcome = { ok: true, result: computeVector(vectors[index] ?? {}, previousOf) };
    } catch (error) {
      outcome = { ok: false, error: reason(error) };
    }
    running.delete(index);
    outcomes.set(index, outcome);
    return outcome;
  };

  const previousOf = (id: string): SessionState => {
    const index = byId.get(id);
    if (index === undefined) throw new VectorError(`continuesFrom not found: ${id}`);
    if (running.has(index)) throw new VectorError(`continuesFrom cycle through: ${id}`);
    const outcome = compute(index);
    if (!outcome.ok) throw new VectorError(`continuesFrom ${id} failed: ${outcome.error}`);
    if (outcome.result.state === undefined)
      throw new VectorError(`continuesFrom ${id} leaves no session`);
    return outcome.result.state;
  };

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(file)) {
    out[key] =
      key === 'vectors' ? vectors.map((v, i) => withOutcome(v, compute(i))) : (value as Json);
  }
  return out;
}

function computeVector(
  vector: Record<string, unknown>,
  previousOf: (id: string) => SessionState,
): KindResult {
  const kind = vector['kind'];
  if (typeof kind !== 'string') throw new VectorError('missing kind');
  const run = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (run === undefined) throw new VectorError(`unknown kind: ${kind}`);
  const raw = vector['inputs'];
  if (!isObject(raw)) throw new VectorError('missing inputs');
  const inputs = new Inputs(raw);
  return run({
    inputs,
    previous: () => {
      const id = inputs.continuesFrom();
      if (id === undefined) throw new VectorError('missing input: continuesFrom');
      return previousOf(id);
    },
  });
}

/** The vector with `expected` recomputed (or `error`), in the place `expected` had. */
function withOutcome(vector: Record<string, unknown>, outcome: Outcome): JsonObject {
  const out: JsonObject = {};
  let placed = false;
  const place = (): void => {
    if (outcome.ok) out['expected'] = outcome.result.expected;
    else out['error'] = outcome.error;
    placed = true;
  };
  for (const [key, value] of Object.entries(vector)) {
    if (key === 'expected') place();
    else if (key !== 'error') out[key] = value as Json;
  }
  if (!placed) place();
  return out;
}
