// Method lookup and invocation with ASP.NET Core's outcomes (no detailed errors):
// names match case-insensitively, arity must match exactly, and a thrown error
// becomes a generic text so no exception message ever reaches the client.

import type { HubCaller, HubDefinition, HubMethodDefinition } from './hub-definition';
import { SignalRError, SignalRErrorCode } from './signalr-error';

export type MethodTable = ReadonlyMap<string, HubMethodDefinition>;

export type InvocationOutcome =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

export const unknownMethodError = (target: string): string => `Unknown hub method '${target}'`;

export const arityError = (target: string, provided: number, expected: number): string =>
  `Failed to invoke '${target}' due to an error on the server. InvalidDataException: ` +
  `Invocation provides ${provided} argument(s) but target expects ${expected}.`;

export const unexpectedError = (target: string): string =>
  `An unexpected error occurred invoking '${target}' on the server.`;

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

/** Runs the target method; never throws. */
export async function invokeMethod(
  table: MethodTable,
  caller: HubCaller,
  target: string,
  args: readonly unknown[],
): Promise<InvocationOutcome> {
  const method = findMethod(table, target);
  if (method === undefined) return { ok: false, error: unknownMethodError(target) };
  if (args.length !== method.arity) {
    return { ok: false, error: arityError(target, args.length, method.arity) };
  }
  try {
    return { ok: true, result: await method.handler(caller, args) };
  } catch {
    return { ok: false, error: unexpectedError(target) };
  }
}
