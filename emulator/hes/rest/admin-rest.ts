// The admin REST API as an http request handler on the stand-in's server: finds the route,
// reads the size-limited JSON body, runs the domain action and answers JSON. On HES's routes a
// failure takes HES's shape (hes-replies.ts: ProblemDetails 400/404, `{error}` 500); on the
// /api/standin extras a domain refusal (HesAdminError) is 409, or 404 for a missing
// vault/employee/workstation, with HES's error code, and bad input 400. Nothing a request
// carries can crash the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HesStandIn } from '../domain/hes-stand-in';
import { HesAdminErrorCode, isHesAdminError } from '../domain/hes-admin-error';
import { adminRoutes, matchPath, notFound, type Route, type RouteResult } from './admin-routes';
import { hesFailure, HesReply } from './hes-replies';
import {
  DEFAULT_MAX_BODY_BYTES,
  readJsonBody,
  sendError,
  sendJson,
  sendNoContent,
} from './http-json';
import { RestError, RestErrorCode } from './rest-error';

export interface AdminRestOptions {
  readonly standIn: HesStandIn;
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

export function createAdminRest(options: AdminRestOptions): AdminRestHandler {
  const routes = adminRoutes(options.standIn);
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
    if (result.body === undefined) return sendNoContent(res, result.status);
    sendJson(res, result.status, result.body);
  };

  return async (req, res) => {
    let route: Route | undefined;
    try {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const found = find(req.method ?? 'GET', path);
      route = found.route;
      const body = await readJsonBody(req, maxBodyBytes);
      send(res, found.route.run({ params: found.params, body }));
    } catch (e) {
      const reply = e instanceof HesReply ? e : route?.hes ? hesFailure(e) : undefined;
      if (reply) {
        sendJson(res, reply.status, reply.body, reply.contentType);
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
