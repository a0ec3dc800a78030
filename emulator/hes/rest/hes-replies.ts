// The replies HES's ASP.NET controllers give besides their data: ProblemDetails for a 400 or
// 404 the controller asks for (`BadRequest()`, `NotFound()`) or for a body that fails model
// binding or validation ([ApiController]'s automatic 400), and `{error: <exception text>}` for a
// failure an action catches (500; EditWorkstation's "Workstation not approved" is a 400).
import { randomBytes } from 'node:crypto';
import { HesAdminErrorCode, isHesAdminError } from '../domain/hes-admin-error';
import { HES_EXCEPTION_TEXT } from '../domain/hes-texts';
import { RestError, RestErrorCode } from './rest-error';

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

const PROBLEM_TYPES: Readonly<Record<number, { type: string; title: string }>> = {
  400: { type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1', title: 'Bad Request' },
  404: { type: 'https://tools.ietf.org/html/rfc7231#section-6.5.4', title: 'Not Found' },
  415: {
    type: 'https://tools.ietf.org/html/rfc7231#section-6.5.13',
    title: 'Unsupported Media Type',
  },
};

/** A W3C trace id, as ASP.NET Core 5 puts in every ProblemDetails. */
const traceId = (): string =>
  `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;

/** A reply a HES route gives instead of its data (thrown by the route, sent by the handler). */
export class HesReply extends Error {
  override readonly name = 'HesReply';

  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType: string,
  ) {
    super(`HES reply ${status}`);
  }
}

/** `BadRequest()` / `NotFound()` of an [ApiController] (415: its body formatter): ProblemDetails. */
export function problem(status: 400 | 404 | 415): HesReply {
  const { type, title } = PROBLEM_TYPES[status] as { type: string; title: string };
  return new HesReply(status, { type, title, status, traceId: traceId() }, PROBLEM_JSON);
}

/** The automatic 400 for a body that fails binding or validation, errors by field. */
export function validationProblem(errors: Readonly<Record<string, readonly string[]>>): HesReply {
  return new HesReply(
    400,
    {
      type: PROBLEM_TYPES[400]?.type,
      title: 'One or more validation errors occurred.',
      status: 400,
      traceId: traceId(),
      errors,
    },
    PROBLEM_JSON,
  );
}

/**
 * The stand-in's admin errors whose message is not HES's own text: HES's sentence for the
 * code. Errors raised by the REST-only paths already carry HES's text.
 */
const HES_TEXT_BY_CODE: Partial<Record<HesAdminErrorCode, string>> = {
  [HesAdminErrorCode.HardwareVaultNotFound]: HES_EXCEPTION_TEXT.HardwareVaultNotFound,
  [HesAdminErrorCode.EmployeeNotFound]: HES_EXCEPTION_TEXT.EmployeeNotFound,
  [HesAdminErrorCode.EmployeeAlreadyExists]: HES_EXCEPTION_TEXT.EmployeeAlreadyExist,
  [HesAdminErrorCode.OneHardwareVaultConstraint]: HES_EXCEPTION_TEXT.OneHardwareVaultConstraint,
  [HesAdminErrorCode.HardwareVaultCannotReserve]: HES_EXCEPTION_TEXT.HardwareVaultCannotReserve,
  [HesAdminErrorCode.HardwareVaultDoesNotAllowToRemove]:
    HES_EXCEPTION_TEXT.HardwareVaultDoesNotAllowToRemove,
  [HesAdminErrorCode.ActivationCodeNotFound]: HES_EXCEPTION_TEXT.ActivationCodeNotFound,
};

/**
 * A failure on a HES route in HES's shape: a body that is not JSON is a binding error (400
 * ValidationProblemDetails); a domain refusal is `{error: <HES's exception text>}`, 500 (or 400,
 * see above). undefined: not HES's to shape (too large, an internal failure).
 */
export function hesFailure(e: unknown): HesReply | undefined {
  if (e instanceof RestError && e.code === RestErrorCode.InvalidRequest) {
    return validationProblem({ '': [e.message] });
  }
  if (!isHesAdminError(e)) return undefined;
  const text = HES_TEXT_BY_CODE[e.code] ?? e.message;
  const status = e.code === HesAdminErrorCode.WorkstationNotApproved ? 400 : 500;
  return new HesReply(status, { error: text }, 'application/json; charset=utf-8');
}
