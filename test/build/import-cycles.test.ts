// No two of the project's modules import each other, directly or around a circle.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, projectImportCycles } from '../../build/lint/import-cycles';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = ['main', 'shared', 'device', 'renderer', 'emulator', 'bench', 'build'];

describe('import cycles', () => {
  it('finds a circle of three, a pair and a self-import, and nothing in a chain', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['e']],
      ['e', ['d']],
      ['f', ['f']],
      ['g', ['h']],
      ['h', []],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f']]);
  });

  it('reads imports, type imports and re-exports, relative ones only', () => {
    const text = [
      "import { x } from './x';",
      "import type { Y } from '../y';",
      "export * from './z';",
      "export { w } from './w/index';",
      "import { z } from 'zod';",
      "const later = await import('./dynamic');",
    ].join('\n');
    const exists = (path: string): boolean => !path.includes('dynamic');
    expect(importsOf('/p/q/file.ts', text, exists)).toEqual([
      '/p/q/x.ts',
      '/p/y.ts',
      '/p/q/z.ts',
      '/p/q/w/index.ts',
    ]);
  });

  it('the project has none', () => {
    expect(projectImportCycles(ROOT, SOURCES)).toEqual([]);
  });
});
