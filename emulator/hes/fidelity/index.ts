// Every table of the fidelity catalogue, in order.
import type { FidelityTable } from './fidelity-row';
import { HUB_METHODS } from './table-1-hub-methods';
import { DTO_FIELDS } from './table-2-dto-fields';
import { ERROR_CODES } from './table-3-error-codes';
import { STATUS_RULES } from './table-4-status-rules';
import { REMOTE_CHANNEL } from './table-5-remote-channel';
import { LICENCES_AUDIT_REST } from './table-6-licences-audit-rest';

export type { FidelityRow, FidelityState, FidelityTable, RowId } from './fidelity-row';

export const FIDELITY_TABLES: readonly FidelityTable[] = [
  HUB_METHODS,
  DTO_FIELDS,
  ERROR_CODES,
  STATUS_RULES,
  REMOTE_CHANNEL,
  LICENCES_AUDIT_REST,
];
