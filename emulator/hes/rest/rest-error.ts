// The admin REST API's typed failure: an HTTP status, a stable code and a plain message, sent
// as `{"error": code, "message": …}` (HES answers `{error}`; the code is ours).
import { CompanionError } from '../../../shared/errors/companion-error';

export const RestErrorCode = {
  /** The body is not JSON, or a field is missing or of the wrong type. */
  InvalidRequest: 'InvalidRequest',
  /** The body is larger than the server accepts. */
  BodyTooLarge: 'BodyTooLarge',
  /** No such route. */
  NotFound: 'NotFound',
  /** The route exists for another HTTP method. */
  MethodNotAllowed: 'MethodNotAllowed',
  /** Something failed inside the stand-in (details are not sent). */
  InternalError: 'InternalError',
  /** No administrator session (HES: 401 from its cookie events). */
  Unauthorized: 'Unauthorized',
  /** Signed in, but not an Administrator (HES: 403). */
  Forbidden: 'Forbidden',
  /** The Host header names another server (DNS rebinding). */
  HostNotAllowed: 'HostNotAllowed',
  /** A browser request from another site. */
  OriginNotAllowed: 'OriginNotAllowed',
  /** A request that may change state without `Content-Type: application/json`. */
  UnsupportedMediaType: 'UnsupportedMediaType',
  /** Too many connections open at once. */
  TooManyConnections: 'TooManyConnections',
} as const;
export type RestErrorCode = (typeof RestErrorCode)[keyof typeof RestErrorCode];

export interface RestErrorBody {
  readonly error: string;
  readonly message: string;
}

/** An admin API refusal: its HTTP status, and the body HES answers with (`body()`). */
export class RestError extends CompanionError<string> {
  override readonly name = 'RestError';

  constructor(
    readonly status: number,
    /** One of RestErrorCode, or a domain code such as 'HardwareVaultCannotReserve'. */
    code: string,
    message: string,
  ) {
    super(code, message);
  }

  /** The HTTP body the admin API answers: `{error, message}`. */
  body(): RestErrorBody {
    return { error: this.code, message: this.message };
  }
}

export const invalidRequest = (message: string): RestError =>
  new RestError(400, RestErrorCode.InvalidRequest, message);
