// Runs the fidelity catalogue's proofs: one test per row, named "<id> <item>", so the count of
// rows proven is what vitest prints. A row that is the same as HES or different on purpose
// must have a proof (a row without one fails); an open row ("differs") is a todo until fixed.
import { afterEach, describe, it } from 'vitest';
import type { FidelityTable } from '../../../../emulator/hes/fidelity';
import { closeAll } from '../server/stand-in-hosts';
import { ALL_PROOFS } from './proofs';

const MAX_NAME = 120;

const testName = (id: string, item: string): string => {
  const name = `${id} ${item.replace(/`/g, '')}`;
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
};

export function proveTable(table: FidelityTable): void {
  describe(`HES fidelity ${table.number}. ${table.title}`, () => {
    afterEach(closeAll);
    for (const row of table.rows) {
      const name = testName(row.id, row.item);
      const proof = ALL_PROOFS.get(row.id);
      if (row.state === 'differs') {
        it.todo(name);
      } else if (proof === undefined) {
        it(name, () => {
          throw new Error(`row ${row.id} is "${row.state}" but no proof names it`);
        });
      } else {
        it(name, proof, 60_000);
      }
    }
  });
}
