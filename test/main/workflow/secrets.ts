// Scans everything the companion produced for the codes and PINs the test typed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CompanionRig } from './companion-rig';

export async function expectNoSecrets(c: CompanionRig): Promise<void> {
  await c.service.ready();
  const texts = [
    JSON.stringify(c.snapshots),
    JSON.stringify(c.service.snapshot()),
    JSON.stringify(c.notices),
    // No status observed yet: no history file.
    existsSync(c.historyFile) ? readFileSync(c.historyFile, 'utf8') : '',
  ];
  for (const name of readdirSync(c.rig.dir)) {
    if (name.startsWith('audit'))
      texts.push(readFileSync(join(c.rig.dir, name)).toString('latin1'));
  }
  for (const secret of c.typed) {
    for (const text of texts) expect(text.includes(secret), `a typed secret leaked`).toBe(false);
  }
}
