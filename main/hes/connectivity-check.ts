// The connectivity check before switching servers: the negotiate POST the SignalR
// client itself starts with (`<appHub>/negotiate?negotiateVersion=1`), with a time
// limit. A server that answers it with a connection id speaks SignalR on /appHub.
import { WORKSTATION_ID_HEADER } from '../../shared/hes/dto';
import { hesError } from './hes-error';
import type { ServerUrl } from './server-url';

export const CONNECTIVITY_TIMEOUT_MS = 30_000;

export async function checkConnectivity(
  url: ServerUrl,
  workstationId: string,
  timeoutMs: number = CONNECTIVITY_TIMEOUT_MS,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url.appHub}/negotiate?negotiateVersion=1`, {
      method: 'POST',
      headers: { [WORKSTATION_ID_HEADER]: workstationId, 'Content-Type': 'text/plain' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    const name = e instanceof Error ? e.name : 'Error';
    throw hesError.unreachable(
      name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'connection failed',
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw hesError.unreachable(`negotiate answered HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw hesError.unreachable('negotiate answered something other than JSON');
  }
  const id =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)['connectionId']
      : undefined;
  if (typeof id !== 'string')
    throw hesError.unreachable('negotiate answered without a connection id');
}
