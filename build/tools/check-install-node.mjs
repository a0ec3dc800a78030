#!/usr/bin/env node
// postinstall, first: is the Node that ran npm one that installs a complete tree? npm
// silently skips an optional dependency whose `engines` that Node fails (Vite's native
// rolldown binding needs Node ^20.19 || >=22.12), and the project's .npmrc hides npm's
// engine warnings (false for the tools that run on the bundled Node 24). So the
// root's own `engines.node` is checked here, loudly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let satisfies;
try {
  ({ satisfies } = createRequire(join(root, 'package.json'))('semver'));
} catch {
  process.exit(0); // semver comes with the tree; without it there is nothing to check against
}
if (!satisfies(process.version, engines.node)) {
  console.error(
    `npm ran on Node ${process.version}, but installing this project needs Node ${engines.node} ` +
      '(npm skipped dependencies this Node does not support). Upgrade Node and run "npm ci" again.',
  );
  process.exit(1);
}
