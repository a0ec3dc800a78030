// device/key3/protocol and device/key3/crypto stay pure (no Node built-ins, no
// Buffer, no process): they could run in a renderer, a worker or another runtime.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../device/key3/', import.meta.url));
const files = ['protocol', 'crypto'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f)),
);

describe('Key 3 protocol and crypto purity', () => {
  it.each(files)('%s uses no Node APIs', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(code).not.toMatch(/from ['"]node:/);
    expect(code).not.toMatch(/from ['"](fs|path|crypto|os|util|buffer)['"]/);
    expect(code).not.toMatch(/\b(Buffer|process|require|__dirname)\b/);
  });

  it('has a header comment and stays small', () => {
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text.startsWith('//'), file).toBe(true);
      expect(text.split('\n').length, file).toBeLessThan(300);
    }
  });
});
