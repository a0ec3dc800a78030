// What an admin REST route is: a method, a path pattern ('{}' for a parameter), whether HES
// names it (its errors then take HES's shapes, hes-replies.ts), whether it is open without an
// administrator's session, and the action.
import type { SignedInUser } from './admin-identity';
import { problem } from './hes-replies';

/** 204 without a body; otherwise the status and the JSON (undefined: an empty body). */
export type RouteResult =
  | { readonly status: 204 }
  | {
      readonly status: 200 | 201;
      readonly body: unknown;
      readonly location?: string;
      /** A Set-Cookie header (the login's session). */
      readonly setCookie?: string;
    };

export interface RouteRequest {
  /** Decoded path parameters, in order. */
  readonly params: readonly string[];
  /** The parsed JSON body (undefined when empty). */
  readonly body: unknown;
  /** The signed-in administrator (undefined on an anonymous route). */
  readonly user: SignedInUser | undefined;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path segments; '{}' is a parameter. */
  readonly path: string;
  /** HES names this endpoint (false: a stand-in extra under /api/standin). */
  readonly hes: boolean;
  /** Open without a session (HES's [AllowAnonymous]: the login). */
  readonly anonymous?: boolean;
  readonly run: (request: RouteRequest) => RouteResult;
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
export const noContent: RouteResult = { status: 204 };

/** `CreatedAtAction(<get action>, {id})`: 201 with the entity and its Location. */
export const created = (body: unknown, location: string): RouteResult => ({
  status: 201,
  body,
  location,
});

export const param = (request: RouteRequest, index: number): string => request.params[index] ?? '';

/** An entity a `Get…ById` found, or HES's 404 ProblemDetails. */
export function found<T>(entity: T | undefined): RouteResult {
  if (entity === undefined) throw problem(404);
  return ok(entity);
}

/** HES's `if (id != dto.Id) return BadRequest();`. */
export function samePathId(request: RouteRequest, bodyId: string | null): void {
  if (param(request, 0) !== bodyId) throw problem(400);
}
