// The `{code, message, data}` envelope every hub method returns (hes-contract.md
// §4.3), turned into a typed result: code 0 → the validated data (or null); any
// other code → HesError carrying it; a missing code reads as 1000 UnknownError, as
// the SDK's default constructor does; any other shape → HesError malformedResponse.
import { HesErrorCode } from '../../shared/errors/hes-error-code';
import { hesError } from './hes-error';
import { integer, nullableString, object, ShapeError } from './shape';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Reads an envelope; `data` validates a non-null payload (throwing ShapeError). */
export function readEnvelope<T>(
  target: string,
  raw: unknown,
  data: (value: unknown) => T,
): T | null {
  try {
    const o = object(raw, 'result');
    const code =
      o['code'] === undefined || o['code'] === null
        ? HesErrorCode.UnknownError
        : integer(o['code'], 'result.code', INT32_MIN, INT32_MAX);
    const message = nullableString(o['message'], 'result.message');
    if (code !== HesErrorCode.Ok) throw hesError.server(code, message, target);
    const payload = o['data'];
    return payload === undefined || payload === null ? null : data(payload);
  } catch (e) {
    if (e instanceof ShapeError) throw hesError.malformed(target, e.message);
    throw e;
  }
}

/** An envelope whose data the caller ignores (`HesResponse` without T). */
export const readOk = (target: string, raw: unknown): void => {
  readEnvelope(target, raw, () => null);
};
