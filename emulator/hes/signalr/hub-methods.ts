// Method lookup, argument binding and invocation with ASP.NET Core 5's outcomes (detailed
// errors off unless asked): names match case-insensitively; an unknown name, a wrong argument
// count or an argument the binder refuses is a binding failure ("Failed to invoke …", with
// " HubException: Method does not exist." for an unknown name, because that one is a
// HubException); a thrown error becomes a generic text, so no exception message ever reaches
// the client.

import { isHubBindingError } from './argument-binder';
import type { HubCaller, HubDefinition, HubMethodDefinition } from './hub-definition';
import { SignalRError, SignalRErrorCode } from './signalr-error';

export type MethodTable = ReadonlyMap<string, HubMethodDefinition>;

export type InvocationOutcome =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

/** The invocation as the client sent it. */
export interface Invocation {
  readonly target: string;
  readonly arguments: readonly unknown[];
  /** Client-to-server streams passed as arguments (none of the hubs take one). */
  readonly streamIds?: readonly string[];
}

/** ASP.NET's text for a binding failure; `detail` is "<ExceptionType>: <message>". */
export const bindingFailure = (target: string, detail?: string): string =>
  `Failed to invoke '${target}' due to an error on the server.${detail === undefined ? '' : ` ${detail}`}`;

/** DefaultHubDispatcher.GetParameterTypes throws a HubException, whose text is always sent. */
export const unknownMethodError = (target: string): string =>
  bindingFailure(target, 'HubException: Method does not exist.');

export const arityDetail = (provided: number, expected: number): string =>
  `InvalidDataException: Invocation provides ${provided} argument(s) but target expects ${expected}.`;

export const BINDING_DETAIL =
  'InvalidDataException: Error binding arguments. Make sure that the types of the provided ' +
  'values match the types of the hub method being invoked.';

export const unexpectedError = (target: string): string =>
  `An unexpected error occurred invoking '${target}' on the server.`;

/** Stream ids on a method without stream parameters: a HubException, so its text is sent. */
export const streamCountError = (target: string, sent: number): string =>
  `${unexpectedError(target)} HubException: Client sent ${sent} stream(s), Hub method expects 0.`;

export const streamingInvocationError = (target: string): string =>
  `The client attempted to invoke the non-streaming '${target}' method with a streaming invocation.`;

const fold = (name: string): string => name.toUpperCase();

/** Builds the case-insensitive table; refuses names equal but for case, and bad arities. */
export function methodTable(hubPath: string, hub: HubDefinition): MethodTable {
  const table = new Map<string, HubMethodDefinition>();
  for (const [name, method] of Object.entries(hub.methods)) {
    if (table.has(fold(name))) {
      throw new SignalRError(
        SignalRErrorCode.BadHubDefinition,
        `Duplicate definitions of '${name}' on hub '${hubPath}'.`,
        { hub: hubPath, method: name },
      );
    }
    if (!Number.isInteger(method.arity) || method.arity < 0) {
      throw new SignalRError(
        SignalRErrorCode.BadHubDefinition,
        `Method '${name}' on hub '${hubPath}' has an invalid arity.`,
        { hub: hubPath, method: name },
      );
    }
    table.set(fold(name), method);
  }
  return table;
}

export const findMethod = (table: MethodTable, target: string): HubMethodDefinition | undefined =>
  table.get(fold(target));

type Bound =
  | { readonly ok: true; readonly method: HubMethodDefinition; readonly args: readonly unknown[] }
  | { readonly ok: false; readonly error: string };

/** What ASP.NET's JSON protocol does while parsing: find the method and bind the arguments. */
function bind(table: MethodTable, invocation: Invocation, detailed: boolean): Bound {
  const { target, arguments: args } = invocation;
  const method = findMethod(table, target);
  if (method === undefined) return { ok: false, error: unknownMethodError(target) };
  if (args.length !== method.arity) {
    const detail = detailed ? arityDetail(args.length, method.arity) : undefined;
    return { ok: false, error: bindingFailure(target, detail) };
  }
  try {
    return { ok: true, method, args: method.bind ? method.bind(args) : args };
  } catch {
    // Any exception while binding is a binding failure, whatever threw it.
    return { ok: false, error: bindingFailure(target, detailed ? BINDING_DETAIL : undefined) };
  }
}

/** Binds and runs the target method; never throws. */
export async function invokeMethod(
  table: MethodTable,
  caller: HubCaller,
  invocation: Invocation,
  detailed = false,
): Promise<InvocationOutcome> {
  const { target } = invocation;
  const bound = bind(table, invocation, detailed);
  if (!bound.ok) return bound;
  const streams = invocation.streamIds?.length ?? 0;
  if (streams > 0) return { ok: false, error: streamCountError(target, streams) };
  try {
    return { ok: true, result: await bound.method.handler(caller, bound.args) };
  } catch (e) {
    // A handler that reads its own arguments reports a refused one the same way.
    if (isHubBindingError(e)) {
      return { ok: false, error: bindingFailure(target, detailed ? BINDING_DETAIL : undefined) };
    }
    return { ok: false, error: unexpectedError(target) };
  }
}

/** A StreamInvocation: bound like any invocation, then refused (no method streams). */
export function refuseStreamInvocation(
  table: MethodTable,
  invocation: Invocation,
  detailed = false,
): string {
  const bound = bind(table, invocation, detailed);
  return bound.ok ? streamingInvocationError(invocation.target) : bound.error;
}
