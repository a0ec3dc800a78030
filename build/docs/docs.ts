// The list of generated docs: each is a path under the repository and a pure
// render function. Add a doc here and both `npm run docs` and the freshness test
// pick it up.
import { renderLifecycleDoc } from './lifecycle-doc';

export interface GeneratedDoc {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly render: () => string;
}

export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  { path: 'docs/lifecycle.md', render: renderLifecycleDoc },
];

/** Every generated doc's path and contents, computed in memory. */
export const renderAllDocs = (): { path: string; contents: string }[] =>
  GENERATED_DOCS.map((doc) => ({ path: doc.path, contents: doc.render() }));
