// The list of generated docs: each is a path under the repository and a pure
// render function of the file's current text (a whole generated file ignores it; a
// generated section inside a hand-written file keeps the rest). Add a doc here and
// both `npm run docs` and the freshness test pick it up.
import { renderFidelitySection } from './hes-fidelity-doc';
import { renderLifecycleDoc } from './lifecycle-doc';

export interface GeneratedDoc {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly render: (current: string) => string;
}

export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  { path: 'docs/lifecycle.md', render: renderLifecycleDoc },
  { path: 'docs/hes-stand-in.md', render: renderFidelitySection },
];

/** Every generated doc's path and contents, computed in memory from the files' current text. */
export const renderAllDocs = (
  current: (path: string) => string,
): { path: string; contents: string }[] =>
  GENERATED_DOCS.map((doc) => ({ path: doc.path, contents: doc.render(current(doc.path)) }));
