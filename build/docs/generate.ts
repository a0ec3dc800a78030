// `npm run docs`: writes every generated doc (docs.ts) into the repository.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAllDocs } from './docs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

for (const doc of renderAllDocs()) {
  const target = join(root, doc.path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, doc.contents, 'utf8');
  console.log(`wrote ${doc.path}`);
}
