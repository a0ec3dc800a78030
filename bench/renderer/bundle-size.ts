// The production renderer bundle (out/renderer): each file's size raw and gzipped
// (node:zlib, default level, as a web server would send it), totals per kind.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFile {
  readonly path: string;
  readonly kind: string;
  readonly raw: number;
  readonly gzip: number;
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat();
}

const kindOf = (path: string): string => {
  const ext = extname(path).slice(1).toLowerCase();
  return ['js', 'mjs'].includes(ext)
    ? 'JavaScript'
    : ext === 'css'
      ? 'CSS'
      : ext === 'html'
        ? 'HTML'
        : ext === 'map'
          ? 'source map'
          : 'other';
};

export async function bundleFiles(root: string): Promise<BundleFile[]> {
  const paths = (await files(root)).sort();
  return Promise.all(
    paths.map(async (path) => {
      const content = await readFile(path);
      return {
        path: relative(root, path),
        kind: kindOf(path),
        raw: content.length,
        gzip: gzipSync(content).length,
      };
    }),
  );
}
