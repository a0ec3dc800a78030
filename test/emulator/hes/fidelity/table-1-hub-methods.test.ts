// Fidelity table 1: every row proven (or open), with the real @microsoft/signalr client.
import { HUB_METHODS } from '../../../../emulator/hes/fidelity/table-1-hub-methods';
import { proveTable } from './prove';

proveTable(HUB_METHODS);
