// The generated docs must match the data they are generated from: a change to the
// lifecycle or the view catalogue without `npm run docs` fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DOCS, renderAllDocs } from '../../build/docs/docs';
import { renderLifecycleDoc } from '../../build/docs/lifecycle-doc';
import { LIFECYCLE_ACTIONS } from '../../shared/vault/lifecycle-action';
import { MESSAGES } from '../../shared/view/messages';
import { VIEW_KIND_ORDER } from '../../shared/view/view-kind';

const onDisk = (path: string): string => {
  try {
    return readFileSync(join(process.cwd(), path), 'utf8');
  } catch {
    return '';
  }
};

describe('generated docs', () => {
  for (const doc of renderAllDocs(onDisk)) {
    it(`${doc.path} is up to date`, () => {
      expect(onDisk(doc.path) === doc.contents, `${doc.path} is stale: run \`npm run docs\``).toBe(
        true,
      );
    });
  }

  it('rendering is deterministic', () => {
    expect(renderAllDocs(onDisk)).toEqual(renderAllDocs(onDisk));
    expect(GENERATED_DOCS.map((d) => d.path)).toContain('docs/lifecycle.md');
  });

  it('docs/lifecycle.md lists every action, every view kind and its messages', () => {
    const text = renderLifecycleDoc();
    for (const action of LIFECYCLE_ACTIONS) expect(text).toContain(action.label);
    for (const kind of VIEW_KIND_ORDER) expect(text).toContain(`\`${kind}\``);
    for (const message of Object.values(MESSAGES))
      expect(text).toContain(message.replace(/\|/g, '\\|'));
    expect(text).toContain('```mermaid');
  });
});
