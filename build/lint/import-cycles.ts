// Import cycles between the project's own modules (type-only imports and re-exports
// included: a cycle of types still ties two modules so neither can change alone). Reads
// the static `import … from` / `export … from` of each file; dynamic imports break no
// cycle the bundler would see and are not counted. Used by test/build/import-cycles.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const STATIC_FROM = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

/** Every .ts/.tsx file under `dirs` (absolute paths), node_modules and .d.ts left out. */
export function sourceFiles(dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules') walk(path);
      } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir);
  return files;
}

/** The relative imports of one file's text, resolved against its path. */
export function importsOf(
  file: string,
  text: string,
  exists: (path: string) => boolean = existsSync,
): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(STATIC_FROM)) {
    const base = resolve(dirname(file), match[1] ?? '');
    const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => exists(c));
    if (target !== undefined) found.push(target);
  }
  return found;
}

/** Each group of modules that import one another in a circle (Tarjan's components). */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    order.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const dep of graph.get(node) ?? []) {
      if (!order.has(dep)) {
        visit(dep);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(dep) ?? 0));
      } else if (onStack.has(dep)) {
        low.set(node, Math.min(low.get(node) ?? 0, order.get(dep) ?? 0));
      }
    }
    if (low.get(node) !== order.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    const selfImport = (graph.get(node) ?? []).includes(node);
    if (group.length > 1 || selfImport) cycles.push(group.sort());
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return cycles;
}

/** The cycles among the files under `dirs`, as paths relative to `root`. */
export function projectImportCycles(root: string, dirs: readonly string[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(dirs.map((d) => join(root, d)))) {
    graph.set(file, importsOf(file, readFileSync(file, 'utf8')));
  }
  return importCycles(graph).map((group) => group.map((f) => relative(root, f)));
}
