// The admin REST API as an http request handler on the stand-in's server: finds the route,
// reads the size-limited JSON body, runs the domain action and answers JSON. On HES's routes a
// failure takes HES's shape (hes-replies.ts: ProblemDetails 400/404, `{error}` 500); on the
// /api/standin extras a domain refusal (HesAdminError) is 409, or 404 for a missing
// vault/employee/workstation, with HES's error code, and bad input 400. Nothing a request
// carries can crash the server. Before any route runs: the Host and Origin checks
// (request-guard.ts), then, as HES's endpoint routing does, the route (404/405), then the
// administrator's session (401 without one, 403 for another role, HES's cookie events), then
// the JSON content type of a request that may change state (415), and only then the body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HesStandIn } from '../domain/hes-stand-in';
import { HesAdminErrorCode, isHesAdminError } from '../domain/hes-admin-error';
import { Role, type AdminIdentity, type SignedInUser } from './admin-identity';
import { adminRoutes, matchPath, notFound, type Route, type RouteResult } from './admin-routes';
import { hesFailure, HesReply, problem } from './hes-replies';
import {
  DEFAULT_MAX_BODY_BYTES,
  readJsonBody,
  sendError,
  sendJson,
  sendNoContent,
} from './http-json';
import { createRequestGuard } from './request-guard';
import { RestError, RestErrorCode } from './rest-error';
import { identityRoutes } from './routes-identity';

export interface AdminRestOptions {
  readonly standIn: HesStandIn;
  /** Who may sign in, and the live sessions. */
  readonly identity: AdminIdentity;
  /** The port the server listens on (the Host header must name it). */
  readonly port: () => number;
  /** Host names the server answers to besides IP literals and localhost. */
  readonly allowedHosts?: readonly string[];
  /** Largest accepted request body (default 1 MiB: a thousand provisioning records fit). */
  readonly maxBodyBytes?: number;
  /** Unexpected failures (the client gets 500 InternalError without details). */
  readonly onError?: (e: unknown) => void;
}

export type AdminRestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const NOT_FOUND_CODES: readonly string[] = [
  HesAdminErrorCode.HardwareVaultNotFound,
  HesAdminErrorCode.EmployeeNotFound,
  HesAdminErrorCode.WorkstationNotFound,
];

function asRestError(e: unknown): RestError | undefined {
  if (e instanceof RestError) return e;
  if (isHesAdminError(e)) {
    if (e.code === HesAdminErrorCode.InvalidArgument) {
      return new RestError(400, RestErrorCode.InvalidRequest, e.message);
    }
    return new RestError(NOT_FOUND_CODES.includes(e.code) ? 404 : 409, e.code, e.message);
  }
  return undefined;
}

const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';

export function createAdminRest(options: AdminRestOptions): AdminRestHandler {
  const routes = [...identityRoutes(options.identity), ...adminRoutes(options.standIn)];
  const guard = createRequestGuard({
    port: options.port,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onError = options.onError ?? (() => undefined);

  const find = (method: string, path: string): { route: Route; params: string[] } => {
    let pathMatched = false;
    for (const route of routes) {
      const params = matchPath(route.path, path);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { route, params };
    }
    if (pathMatched) {
      throw new RestError(405, RestErrorCode.MethodNotAllowed, `${method} is not allowed here`);
    }
    throw notFound();
  };

  const send = (res: ServerResponse, result: RouteResult): void => {
    if (result.status === 204) return sendNoContent(res, 204);
    if (result.location !== undefined) res.setHeader('location', result.location);
    if (result.setCookie !== undefined) res.setHeader('set-cookie', result.setCookie);
    if (result.body === undefined) return sendNoContent(res, result.status);
    sendJson(res, result.status, result.body);
  };

  /** HES's cookie events answer 401/403 with no body; the extras say why, typed. */
  const authorize = (req: IncomingMessage, route: Route): SignedInUser | undefined => {
    if (route.anonymous) return undefined;
    const user = options.identity.userOf(req.headers.cookie);
    if (user?.role === Role.Administrator) return user;
    const status = user ? 403 : 401;
    if (route.hes) throw new HesReply(status, undefined, '');
    throw user
      ? new RestError(403, RestErrorCode.Forbidden, 'Only an Administrator may do this')
      : new RestError(401, RestErrorCode.Unauthorized, 'Log in first: POST /api/Identity/Login');
  };

  return async (req, res) => {
    let route: Route | undefined;
    try {
      guard.checkSite(req);
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const found = find(req.method ?? 'GET', path);
      route = found.route;
      const user = authorize(req, found.route);
      if (guard.needsJson(req)) {
        throw found.route.hes
          ? problem(415)
          : new RestError(415, RestErrorCode.UnsupportedMediaType, 'Send JSON (application/json)');
      }
      const body = await readJsonBody(req, maxBodyBytes);
      send(res, found.route.run({ params: found.params, body, user }));
    } catch (e) {
      // A refusal before a body was read: close rather than drain it.
      if (!req.complete && hasBody(req) && !res.headersSent) res.setHeader('connection', 'close');
      const reply = e instanceof HesReply ? e : route?.hes ? hesFailure(e) : undefined;
      if (reply) {
        if (reply.body === undefined) sendNoContent(res, reply.status);
        else sendJson(res, reply.status, reply.body, reply.contentType);
        return;
      }
      const known = asRestError(e);
      if (!known) onError(e);
      const error =
        known ?? new RestError(500, RestErrorCode.InternalError, 'The stand-in failed to answer');
      if (res.headersSent) res.destroy();
      else sendError(res, error);
    }
  };
}
