// Fidelity table 2: every row proven (or open), with the real @microsoft/signalr client.
import { DTO_FIELDS } from '../../../../emulator/hes/fidelity/table-2-dto-fields';
import { proveTable } from './prove';

proveTable(DTO_FIELDS);
