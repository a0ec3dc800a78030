// The audit queue's `send` (main/audit, `openAuditQueue`) over the HES client: one
// SaveClientEvents per batch. It rejects (so the queue keeps the batch for a later
// flush) when the client is not connected and registered, or when the server answers
// with a non-zero code; it resolves only when the server accepted the batch. The
// server skips event ids it already has, so a batch resent after a lost answer is
// stored once.
import type { WorkstationEventDto } from '../../shared/hes/dto';
import type { ServerConnection } from '../../shared/view/server-state';
import { hesError } from './hes-error';
import { AppHubMethod } from './vault-calls';

/** The part of the HES client the sender uses (a `HesClient` fits). */
export interface AuditSenderClient {
  readonly state: ServerConnection;
  saveClientEvents(events: readonly WorkstationEventDto[]): Promise<void>;
}

export type AuditSend = (batch: WorkstationEventDto[]) => Promise<void>;

export function auditSender(client: AuditSenderClient): AuditSend {
  return async (batch) => {
    // Not approved or in alarm, the server would answer 604 / 618: not worth a call.
    if (client.state.state !== 'connected') {
      throw hesError.notConnected(AppHubMethod.SaveClientEvents);
    }
    await client.saveClientEvents(batch);
  };
}
