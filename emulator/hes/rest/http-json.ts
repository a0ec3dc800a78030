// JSON in and out of the admin REST API: a size-limited body reader (a larger body is refused
// without reading it all into memory) and the reply writers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidRequest, RestError, RestErrorCode } from './rest-error';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The request body parsed as JSON; an empty body is `undefined`. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest('The request body is not valid JSON');
  }
}

const tooLarge = (maxBytes: number): RestError =>
  new RestError(
    413,
    RestErrorCode.BodyTooLarge,
    `The request body is larger than ${maxBytes} bytes`,
  );

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** 204, or another status with an empty body (ASP.NET's `Ok()`). */
export function sendNoContent(res: ServerResponse, status = 204): void {
  res.writeHead(status, {
    'cache-control': 'no-store',
    ...(status === 204 ? {} : { 'content-length': 0 }),
  });
  res.end();
}

export function sendError(res: ServerResponse, error: RestError): void {
  // A refused body may still be arriving: close the connection rather than read it.
  if (error.status === 413) res.setHeader('connection', 'close');
  sendJson(res, error.status, error.body());
}
