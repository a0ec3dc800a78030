// `npm run docs`: writes every generated doc (docs.ts) into the repository.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAllDocs } from './docs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const current = (path: string): string => {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return '';
  }
};

for (const doc of renderAllDocs(current)) {
  const target = join(root, doc.path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, doc.contents, 'utf8');
  console.log(`wrote ${doc.path}`);
}
