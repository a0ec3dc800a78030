// Fidelity table 6: every row proven (or open), with the real @microsoft/signalr client.
import { LICENCES_AUDIT_REST } from '../../../../emulator/hes/fidelity/table-6-licences-audit-rest';
import { proveTable } from './prove';

proveTable(LICENCES_AUDIT_REST);
