// The JSON hub protocol (version 1), server side: parses one incoming record into
// a typed message, validated as ASP.NET Core's JsonHubProtocol does (a missing or
// mistyped field, an unknown `type`, or nesting past the reader's depth of 64 is a
// protocol error that ends the connection), and writes the records the server sends.

import { writeRecord } from './records';
import { SignalRError, SignalRErrorCode } from './signalr-error';

export const HubMessageType = {
  Invocation: 1,
  StreamItem: 2,
  Completion: 3,
  StreamInvocation: 4,
  CancelInvocation: 5,
  Ping: 6,
  Close: 7,
} as const;

export interface InvocationMessage {
  readonly type: 1;
  /** Absent for fire-and-forget invocations. */
  readonly invocationId?: string;
  readonly target: string;
  readonly arguments: readonly unknown[];
  /** Ids of client-to-server streams passed as arguments (unsupported here). */
  readonly streamIds?: readonly string[];
}
export interface StreamItemMessage {
  readonly type: 2;
  readonly invocationId: string;
  readonly item: unknown;
}
export interface CompletionMessage {
  readonly type: 3;
  readonly invocationId: string;
  readonly result?: unknown;
  readonly error?: string;
}
export interface StreamInvocationMessage {
  readonly type: 4;
  readonly invocationId: string;
  readonly target: string;
  readonly arguments: readonly unknown[];
}
export interface CancelInvocationMessage {
  readonly type: 5;
  readonly invocationId: string;
}
export interface PingMessage {
  readonly type: 6;
}
export interface CloseMessage {
  readonly type: 7;
  readonly error?: string;
  readonly allowReconnect?: boolean;
}
export type HubMessage =
  | InvocationMessage
  | StreamItemMessage
  | CompletionMessage
  | StreamInvocationMessage
  | CancelInvocationMessage
  | PingMessage
  | CloseMessage;

export interface HandshakeRequest {
  readonly protocol: string;
  readonly version: number;
}

type JsonObject = Readonly<Record<string, unknown>>;

/** Utf8JsonReader's default MaxDepth: a record nested deeper fails to parse. */
const MAX_DEPTH = 64;

/** Whether objects and arrays nest deeper than `max` (iterative: no recursion on client input). */
function nestsDeeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [value, depth] = entry;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

const badMessage = (message: string, details?: Record<string, string | number>): SignalRError =>
  new SignalRError(SignalRErrorCode.BadMessage, message, details);

function parseObject(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SignalRError(SignalRErrorCode.BadJson, 'The message is not valid JSON.', {
      length: text.length,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SignalRError(SignalRErrorCode.BadJson, 'The message is not a JSON object.', {
      length: text.length,
    });
  }
  if (nestsDeeperThan(value, MAX_DEPTH)) {
    throw new SignalRError(SignalRErrorCode.BadJson, 'The message nests too deeply.', {
      maxDepth: MAX_DEPTH,
    });
  }
  return value as JsonObject;
}

const has = (o: JsonObject, name: string): boolean => Object.hasOwn(o, name);

function requiredString(o: JsonObject, name: string): string {
  const value = o[name];
  if (!has(o, name) || value === null) {
    throw badMessage(`Missing required property '${name}'.`, { property: name });
  }
  if (typeof value !== 'string') {
    throw badMessage(`Expected '${name}' to be of type String.`, { property: name });
  }
  return value;
}

/** A string, or undefined when absent or null (as .NET reads a nullable string). */
function optionalString(o: JsonObject, name: string): string | undefined {
  const value = o[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw badMessage(`Expected '${name}' to be of type String.`, { property: name });
  }
  return value;
}

function requiredArray(o: JsonObject, name: string): readonly unknown[] {
  const value = o[name];
  if (!has(o, name)) throw badMessage(`Missing required property '${name}'.`, { property: name });
  if (!Array.isArray(value)) {
    throw badMessage(`Expected '${name}' to be of type Array.`, { property: name });
  }
  return value as readonly unknown[];
}

function parseType(o: JsonObject): number {
  const type = o['type'];
  if (!has(o, 'type')) throw badMessage("Missing required property 'type'.", { property: 'type' });
  if (typeof type !== 'number' || !Number.isInteger(type)) {
    throw badMessage("Expected 'type' to be of type Integer.", { property: 'type' });
  }
  return type;
}

function parseStreamIds(o: JsonObject): readonly string[] | undefined {
  if (o['streamIds'] === undefined || o['streamIds'] === null) return undefined;
  const ids = requiredArray(o, 'streamIds');
  if (!ids.every((id) => typeof id === 'string')) {
    throw badMessage("Expected 'streamIds' to be an array of String.", { property: 'streamIds' });
  }
  return ids;
}

function parseInvocation(o: JsonObject): InvocationMessage {
  const invocationId = optionalString(o, 'invocationId');
  const target = requiredString(o, 'target');
  const args = requiredArray(o, 'arguments');
  const streamIds = parseStreamIds(o);
  return {
    type: 1,
    target,
    arguments: args,
    ...(invocationId !== undefined ? { invocationId } : {}),
    ...(streamIds !== undefined ? { streamIds } : {}),
  };
}

function parseCompletion(o: JsonObject): CompletionMessage {
  const invocationId = requiredString(o, 'invocationId');
  const error = optionalString(o, 'error');
  const hasResult = has(o, 'result');
  if (error !== undefined && hasResult) {
    throw badMessage("The 'error' and 'result' properties are mutually exclusive.");
  }
  if (error !== undefined) return { type: 3, invocationId, error };
  return hasResult ? { type: 3, invocationId, result: o['result'] } : { type: 3, invocationId };
}

function parseClose(o: JsonObject): CloseMessage {
  const error = optionalString(o, 'error');
  const allowReconnect = o['allowReconnect'];
  if (allowReconnect !== undefined && typeof allowReconnect !== 'boolean') {
    throw badMessage("Expected 'allowReconnect' to be of type Boolean.", {
      property: 'allowReconnect',
    });
  }
  return {
    type: 7,
    ...(error !== undefined ? { error } : {}),
    ...(allowReconnect !== undefined ? { allowReconnect } : {}),
  };
}

/** Parses one record (without its separator). Throws only SignalRError. */
export function parseHubMessage(text: string): HubMessage {
  const o = parseObject(text);
  const type = parseType(o);
  switch (type) {
    case HubMessageType.Invocation:
      return parseInvocation(o);
    case HubMessageType.StreamItem: {
      const invocationId = requiredString(o, 'invocationId');
      if (!has(o, 'item'))
        throw badMessage("Missing required property 'item'.", { property: 'item' });
      return { type: 2, invocationId, item: o['item'] };
    }
    case HubMessageType.Completion:
      return parseCompletion(o);
    case HubMessageType.StreamInvocation:
      return {
        type: 4,
        invocationId: requiredString(o, 'invocationId'),
        target: requiredString(o, 'target'),
        arguments: requiredArray(o, 'arguments'),
      };
    case HubMessageType.CancelInvocation:
      return { type: 5, invocationId: requiredString(o, 'invocationId') };
    case HubMessageType.Ping:
      return { type: 6 };
    case HubMessageType.Close:
      return parseClose(o);
    default:
      throw new SignalRError(SignalRErrorCode.UnknownMessageType, `Unknown message type: ${type}`, {
        type,
      });
  }
}

/** Parses the handshake request record `{"protocol":"json","version":1}`. Throws only SignalRError. */
export function parseHandshakeRequest(text: string): HandshakeRequest {
  let o: JsonObject;
  try {
    o = parseObject(text);
  } catch (e) {
    throw new SignalRError(
      SignalRErrorCode.BadHandshake,
      'The handshake request is not a JSON object.',
      {
        cause: e instanceof SignalRError ? e.code : 'unknown',
      },
    );
  }
  const protocol = o['protocol'];
  const version = o['version'];
  if (typeof protocol !== 'string') {
    throw new SignalRError(SignalRErrorCode.BadHandshake, "Missing required property 'protocol'.");
  }
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new SignalRError(SignalRErrorCode.BadHandshake, "Missing required property 'version'.");
  }
  return { protocol, version };
}

// Outgoing records. JSON.stringify may throw for values JSON cannot carry (BigInt,
// cycles); callers that pass handler results catch that.

export const handshakeResponseRecord = (error?: string): string =>
  writeRecord(error === undefined ? '{}' : JSON.stringify({ error }));

export const invocationRecord = (target: string, args: readonly unknown[]): string =>
  writeRecord(JSON.stringify({ type: 1, target, arguments: args }));

export const completionResultRecord = (invocationId: string, result: unknown): string =>
  writeRecord(
    JSON.stringify(
      result === undefined ? { type: 3, invocationId } : { type: 3, invocationId, result },
    ),
  );

export const completionErrorRecord = (invocationId: string, error: string): string =>
  writeRecord(JSON.stringify({ type: 3, invocationId, error }));

export const pingRecord = (): string => writeRecord('{"type":6}');

export const closeRecord = (error?: string): string =>
  writeRecord(JSON.stringify(error === undefined ? { type: 7 } : { type: 7, error }));
