// What a user needs to install the project, told truthfully and installed quietly:
// package.json's engines.node is the Node that `npm ci` must run on (the floor at which npm
// installs the whole locked tree, nothing skipped), the README says the same, npm at each
// edge of that range installs the tree with no warning, and below it the install refuses.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string; npm: string };
};
const semver = createRequire(join(ROOT, 'package.json'))('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};
/** npm's own entry: the `npm` on PATH (a link to .../npm/bin/npm-cli.js), as the user runs it. */
const NPM_CLI = ((): string => {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'npm');
    if (!existsSync(candidate)) continue;
    const target = realpathSync(candidate);
    if (target.endsWith('npm-cli.js')) return target;
  }
  throw new Error('npm is not on PATH');
})();
const scratch = mkdtempSync(join(tmpdir(), 'engines-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs a Node script as if on Node `version`: npm decides engines from process.version
 * alone, so this is npm as it runs on that Node (the runtime itself is the bundled one).
 */
function asNode(version: string, args: readonly string[]) {
  const preload = join(scratch, `as-${version}.mjs`);
  writeFileSync(preload, `Object.defineProperty(process, 'version', { value: 'v${version}' });\n`);
  return spawnSync(process.execPath, ['--import', preload, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** The lowest version of each `||` branch of the range. */
const edges = (range: string): string[] =>
  range.split('||').map((branch) => semver.minVersion(branch.trim())!.version);

describe('the Node that npm ci needs', () => {
  it('is what the README says', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const requirement = /^- \*\*Node\.js\*\*:[^\n]*(?:\n {2}[^\n]*)*/m.exec(readme)?.[0] ?? '';
    expect(requirement).toContain(`\`${pkg.engines.node}\``);
    expect(pkg.engines.npm).toBe('>=11');
    expect(requirement).toContain('npm ≥ 11');
    // npm 11 itself runs on ^20.17.0 || >=22.9.0: the floor is never below npm's own.
    for (const edge of edges(pkg.engines.node)) {
      expect(semver.satisfies(edge, '^20.17.0 || >=22.9.0')).toBe(true);
    }
  });

  it.each(edges(pkg.engines.node))(
    'on Node %s npm ci installs the whole locked tree, without a warning',
    (version) => {
      const run = asNode(version, [NPM_CLI, 'ci', '--dry-run', '--ignore-scripts']);
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status, output).toBe(0);
      expect(output).not.toMatch(/npm warn/i);
      // Nothing added or removed: no optional dependency skipped on this Node.
      expect(output).toMatch(/up to date/);
    },
    150_000,
  );

  it('below the floor, the install refuses with the reason', () => {
    const floor = semver.minVersion(pkg.engines.node)!.version;
    const [major, minor] = floor.split('.').map(Number) as [number, number];
    const below = `${major}.${minor - 1}.0`;
    expect(semver.satisfies(below, pkg.engines.node)).toBe(false);
    const run = asNode(below, [join(ROOT, 'build', 'tools', 'check-install-node.mjs')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(pkg.engines.node);
    expect(asNode(floor, [join(ROOT, 'build', 'tools', 'check-install-node.mjs')]).status).toBe(0);
  });
});
