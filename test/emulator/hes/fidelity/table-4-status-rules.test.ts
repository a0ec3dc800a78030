// Fidelity table 4: every row proven (or open), with the real @microsoft/signalr client.
import { STATUS_RULES } from '../../../../emulator/hes/fidelity/table-4-status-rules';
import { proveTable } from './prove';

proveTable(STATUS_RULES);
