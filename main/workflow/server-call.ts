// One server call inside a key's flow: offline errors give undefined (the flow goes on
// locally and reports later), a verdict that the key is gone for this user ends the flow
// with its pairing forgotten, and any other refusal ends it with the server's code.
import { isHesError } from '../hes/hes-error';
import type { FlowHost } from './flow-host';
import { WorkflowError } from './workflow-error';

/** Thrown when the server says the key is no longer this user's (wiped, compromised, …). */
export class Gone extends Error {}

export async function serverCall<T>(
  host: FlowHost,
  call: () => Promise<T>,
  signal: AbortSignal,
): Promise<T | undefined> {
  try {
    return await host.server(call, signal);
  } catch (e) {
    if (signal.aborted || !isHesError(e)) throw e;
    const verdict = host.setError(e);
    if (verdict === 'gone') throw new Gone();
    if (verdict === 'offline') {
      host.reportLater();
      return undefined;
    }
    throw new WorkflowError(e.code, e.message);
  }
}
