// Which notices a key's new view earns: one when its view changes to a kind the user should
// notice (locked, suspended, wiped, compromised, not approved, …), and one per low-battery
// spell. The entry remembers what was told, so a snapshot published again tells nothing twice.
import type { Notice } from '../../shared/ipc/contract';
import { isLowBattery } from '../../shared/key/battery';
import { VERDICTS, type KeyView } from '../../shared/view/key-view';
import type { KeyEntry } from './key-entry';

/** View kinds the user is told about with a notice. */
export const NOTICE_KINDS: ReadonlySet<KeyView['kind']> = new Set<KeyView['kind']>([
  'compromised',
  ...VERDICTS,
  'notApproved',
  'alarm',
  'notGenuine',
  'pairingRequired',
  'bootloader',
  'lockedByPin',
  'lockedByCode',
  'suspended',
  'awaitingActivation',
  'locked',
  'serverError',
  'serverUnreachable',
  'notInitialized',
  'active',
]);

/** The notices `view` earns for the key; updates what the entry remembers of them. */
export function noticesFor(e: KeyEntry, view: KeyView): Notice[] {
  const notices: Notice[] = [];
  if (view.kind !== e.lastViewKind) {
    e.lastViewKind = view.kind;
    if (NOTICE_KINDS.has(view.kind)) {
      notices.push({ serialNo: e.serialNo, kind: view.kind, severity: view.severity });
    }
  }
  // Once per low spell: a key that is charged (or replaced) and runs low again is told again.
  const low = isLowBattery(e.info?.battery);
  if (low && !e.lowBatteryNoticed)
    notices.push({ serialNo: e.serialNo, kind: 'lowBattery', severity: 'warning' });
  e.lowBatteryNoticed = low;
  return notices;
}
