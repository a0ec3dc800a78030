// Fidelity table 3: every row proven (or open), with the real @microsoft/signalr client.
import { ERROR_CODES } from '../../../../emulator/hes/fidelity/table-3-error-codes';
import { proveTable } from './prove';

proveTable(ERROR_CODES);
