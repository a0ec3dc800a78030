// Snapshots for the renderer's tests: a view of every kind with sample parameters, a
// key, and the app. Each is checked against the IPC schema (fixtures.test.ts), so the
// components are tested with data main could really send.
import type { AppSnapshot, KeySnapshot } from '../../shared/ipc/snapshot';
import type { KeyView, ViewParamsByKind } from '../../shared/view/key-view';
import type { MessageKey } from '../../shared/view/messages';
import { VIEW_KINDS, type ViewKind } from '../../shared/view/view-kind';
import { VaultStatus, VaultStatusReason } from '../../shared/vault/vault-status';

export const SAMPLE_PARAMS: { readonly [K in ViewKind]: ViewParamsByKind[K] } = {
  compromised: {},
  wiped: {},
  manuallyWiped: {},
  linkedToAnotherServer: {},
  wipedOnAnotherServer: {},
  notAssigned: {},
  unknownToServer: {},
  notApproved: {},
  alarm: {},
  notGenuine: {},
  pairingRequired: {},
  disconnected: {},
  bootloader: {},
  reading: {},
  lockedByPin: {},
  lockedByCode: {},
  suspended: { attemptsRemain: 3 },
  awaitingActivation: { attemptsRemain: 3 },
  locked: {},
  checking: { phase: 'connecting' },
  syncInterrupted: { code: 601 },
  serverError: { code: 600 },
  notInitialized: {},
  newPinRequired: { minPinLength: 4 },
  pinRequired: { attemptsRemain: 2, minPinLength: 4 },
  buttonRequired: {},
  serverUnreachable: { reason: 'unreachable' },
  noServer: {},
  active: {},
};

/** The view of `kind` as shared/view builds it (its first message unless told). */
export function viewFor(kind: ViewKind, messageKey?: MessageKey): KeyView {
  const info = VIEW_KINDS[kind];
  return {
    kind,
    messageKey: messageKey ?? info.messages[0],
    params: SAMPLE_PARAMS[kind],
    severity: info.severity,
    actions: [...info.actions],
  } as KeyView;
}

export const SERIAL = 'ST10000000000001';

export function keySnapshot(overrides: Partial<KeySnapshot> = {}): KeySnapshot {
  return {
    serialNo: SERIAL,
    name: 'Hideez Key 4',
    link: 'usb',
    connection: 'connected',
    battery: 80,
    firmwareVersion: '1.4.0',
    ownerName: 'Olena Kovalenko',
    ownerEmail: 'olena@example.com',
    lastSync: '2025-03-01T09:30:00.000Z',
    step: 'online',
    view: viewFor('active'),
    history: [
      {
        time: '2025-03-01T09:30:00.000Z',
        from: VaultStatus.Reserved,
        to: VaultStatus.Active,
        reason: null,
        source: 'server',
      },
      {
        time: '2025-03-01T09:00:00.000Z',
        from: null,
        to: VaultStatus.Reserved,
        reason: VaultStatusReason.None,
        source: 'server',
      },
    ],
    ...overrides,
  };
}

export function appSnapshot(
  keys: readonly KeySnapshot[] = [keySnapshot()],
  overrides: Partial<AppSnapshot> = {},
): AppSnapshot {
  return {
    server: { connection: { state: 'connected' }, url: 'https://hes.example.com' },
    links: { usb: 'ready', ble: 'ready' },
    keys,
    ...overrides,
  };
}

/** A key waiting for its activation code. */
export const awaitingCode = (attemptsRemain = 3, extra: Partial<KeySnapshot> = {}): KeySnapshot =>
  keySnapshot({
    step: 'awaitingActivationCode',
    prompt: { kind: 'activationCode', attemptsRemain, reason: 'firstActivation' },
    view: { ...viewFor('awaitingActivation'), params: { attemptsRemain } } as KeyView,
    ...extra,
  });
