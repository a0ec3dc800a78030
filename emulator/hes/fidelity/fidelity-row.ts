// The shape of the stand-in's fidelity catalogue: one row per observable behaviour of HES
// 3.8.4 the companion can meet (hub methods, DTO fields, error codes, status rules, the
// remote channel, licences/audit/alarm/approval/proximity/REST), with what HES does and
// whether the stand-in does the same. The catalogue is data: the fidelity tests prove each
// row and `npm run docs` prints it into docs/hes-stand-in.md.

export type FidelityState =
  /** Observably the same as HES: proven by a test named after the row. */
  | 'same'
  /** Different on purpose: the note gives the reason, and a test proves what we do instead. */
  | 'deliberate'
  /** Still different: the note says what is left (work in progress, no proof yet). */
  | 'differs';

export type FidelityRow =
  | {
      readonly id: string;
      readonly item: string;
      readonly hes: string;
      readonly state: 'same';
      readonly note?: string;
    }
  | {
      readonly id: string;
      readonly item: string;
      readonly hes: string;
      readonly state: 'deliberate' | 'differs';
      readonly note: string;
    };

export interface FidelityTable {
  /** '1'…'6', the table's number in the catalogue. */
  readonly number: string;
  readonly title: string;
  readonly rows: readonly FidelityRow[];
}

/** The ids of a table's rows, as a type (so a proof map must name every one). */
export type RowId<T extends FidelityTable> = T['rows'][number]['id'];
