// Fidelity table 5: every row proven (or open), with the real @microsoft/signalr client.
import { REMOTE_CHANNEL } from '../../../../emulator/hes/fidelity/table-5-remote-channel';
import { proveTable } from './prove';

proveTable(REMOTE_CHANNEL);
