// What every part of the stand-in's domain shares: the store, the pushes to workstations,
// the clock, the vaults' remote sessions, and the lookups and checks HES makes the same way
// everywhere (the AppHub gate, a vault a client names → 607, a vault or workstation an
// admin names → HES's admin error).
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { HesStore } from '../store/hes-store';
import type { VaultRecord, WorkstationRecord } from '../store/records';
import { hesError } from './envelope';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import {
  NonHideezError,
  NonHideezReason,
  NULL_REFERENCE_TEXT,
  type WorkstationNotifier,
} from './ports';
import type { VaultSessions } from './vault-sessions';
import type { Actor } from './vault-writes';

export interface DomainContext {
  readonly store: HesStore;
  readonly notifier: WorkstationNotifier;
  readonly now: () => Date;
  readonly sessions: VaultSessions;
}

export const ADMIN: Actor = 'admin';
const NO_WORKSTATION_ID = 'AppHub does not contain WorkstationId!';

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

export function invalid(what: string): HesAdminError {
  return new HesAdminError(HesAdminErrorCode.InvalidArgument, `invalid ${what}`);
}

/** The AppHub gate: 1001 without a WorkstationId, 604 unknown or unapproved, 618 alarm. */
export function gate(store: HesStore, wsId: string | undefined): string {
  if (!isNonEmptyString(wsId)) throw new Error(NO_WORKSTATION_ID);
  const ws = store.workstations.get(wsId);
  if (!ws || !ws.approved) throw hesError(HesErrorCode.HesWorkstationNotApproved);
  if (store.settings.alarm()) throw hesError(HesErrorCode.HesAlarm);
  return ws.id;
}

/** A vault the client names: 607 if unknown. */
export function clientVault(store: HesStore, id: unknown): VaultRecord {
  const vault = isNonEmptyString(id) ? store.vaults.get(id) : undefined;
  if (!vault) throw hesError(HesErrorCode.HesDeviceNotFound);
  return vault;
}

/** A vault an admin names. */
export function adminVault(store: HesStore, id: string): VaultRecord {
  const vault = isNonEmptyString(id) ? store.vaults.get(id) : undefined;
  if (!vault)
    throw new HesAdminError(HesAdminErrorCode.HardwareVaultNotFound, 'hardware vault not found');
  return vault;
}

/** A workstation an admin names. */
export function adminWorkstation(store: HesStore, id: string): WorkstationRecord {
  const ws = isNonEmptyString(id) ? store.workstations.get(id) : undefined;
  if (!ws) throw new HesAdminError(HesAdminErrorCode.WorkstationNotFound, 'workstation not found');
  return ws;
}

/**
 * The vault's master key as bytes (HES keeps it as hex). HES converts a null one without a
 * check and fails inside the SDK's hex conversion: 1001 (its exact text is the SDK's; .NET's
 * NullReferenceException text here).
 */
export function masterKeyOf(vault: VaultRecord): Uint8Array {
  if (vault.masterPassword === null) {
    throw new NonHideezError(NonHideezReason.NullReference, NULL_REFERENCE_TEXT);
  }
  return new Uint8Array(Buffer.from(vault.masterPassword, 'hex'));
}
