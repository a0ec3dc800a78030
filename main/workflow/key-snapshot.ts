// What the UI is shown of one key (its KeySnapshot) from the service's entry, the server
// connection and this workstation's history of the key: its link, its view (deriveKeyView)
// and the status HES holds as far as HES's answers reveal it.
import { DeviceErrorKind } from '../../device/errors/device-error';
import type { HistoryEntry, KeySnapshot } from '../../shared/ipc/snapshot';
import { deriveKeyView, type KeyLinkState, type KeyView } from '../../shared/view/key-view';
import { inferServerStatus } from '../../shared/view/server-status';
import type { ServerAnswer, ServerConnection } from '../../shared/view/server-state';
import type { VaultStatus } from '../../shared/vault/vault-status';
import { pinField, type KeyEntry } from './key-entry';

/** What the snapshot of a key reads beyond its entry. */
export interface KeyContext {
  readonly connection: ServerConnection;
  /** The last vault status this workstation recorded for the key (HES never sends one). */
  readonly lastKnownStatus: VaultStatus | undefined;
  readonly history: readonly HistoryEntry[];
  /** The key's view, when already derived with the same connection and status. */
  readonly view?: KeyView;
}

/** Where the key's link stands, including why it could not be opened when the user can act. */
export function keyLinkOf(e: KeyEntry): KeyLinkState {
  if (e.connected) return 'connected';
  const openError = e.record?.openError?.code;
  if (openError === DeviceErrorKind.PairingRequired) return 'pairingRequired';
  if (openError === DeviceErrorKind.NotGenuine) return 'notGenuine';
  return e.record?.state === 'connecting' ? 'connecting' : 'disconnected';
}

/**
 * The server's last answer as the view may read it. An Ok about a key locked by code says
 * nothing of the key once it is unlocked: the server has not made it Active yet (the flow
 * reports at once), so until it answers about the unlocked key the view is "checking", never
 * an early Active.
 */
function answerForView(e: KeyEntry): ServerAnswer {
  const unlockedSince = e.answerKey?.lockedByCode === true && e.info?.lockedByCode === false;
  return e.answer.kind === 'ok' && unlockedSince ? { kind: 'ok', needStateUpdate: true } : e.answer;
}

export function keyViewOf(
  e: KeyEntry,
  connection: ServerConnection,
  lastKnownStatus: VaultStatus | undefined,
): KeyView {
  return deriveKeyView({
    key: e.info,
    answer: answerForView(e),
    connection,
    keyLink: keyLinkOf(e),
    ...(lastKnownStatus !== undefined ? { lastKnownStatus } : {}),
  });
}

/**
 * The status HES holds, as far as its last answer proves it, read with the key's state that
 * answer was about: a key unlocked since (offline) has not changed the server's status.
 */
export function serverStatusOf(
  e: KeyEntry,
  lastKnownStatus: VaultStatus | undefined,
): VaultStatus | undefined {
  return e.answerAwaitsKey ? undefined : inferServerStatus(e.answer, e.answerKey, lastKnownStatus);
}

export function keySnapshotOf(e: KeyEntry, context: KeyContext): KeySnapshot {
  const record = e.record;
  const link = record?.activeLink;
  const status = serverStatusOf(e, context.lastKnownStatus);
  return {
    serialNo: e.serialNo,
    name: record?.links[0]?.name ?? e.serialNo,
    ...(link ? { link } : {}),
    ...(record?.rssi !== undefined ? { rssi: record.rssi } : {}),
    connection: e.connected
      ? 'connected'
      : record?.state === 'connecting'
        ? 'connecting'
        : 'disconnected',
    ...(e.info
      ? {
          battery: e.info.battery,
          firmwareVersion: e.info.firmwareVersion,
          minPinLength: e.info.minPinLength,
        }
      : {}),
    ...pinField(e),
    ...(e.owner?.name ? { ownerName: e.owner.name } : {}),
    ...(e.owner?.email ? { ownerEmail: e.owner.email } : {}),
    ...(e.lastSync ? { lastSync: e.lastSync } : {}),
    step: e.step,
    ...(e.prompt ? { prompt: { ...e.prompt } } : {}),
    view: context.view ?? keyViewOf(e, context.connection, context.lastKnownStatus),
    ...(status !== undefined ? { serverStatus: status } : {}),
    history: context.history,
    ...(e.error ? { error: { ...e.error } } : {}),
  };
}
