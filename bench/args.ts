// `npm run bench [-- --quick] [-- --only flows,idle,…]`.

export const SECTIONS = ['codecs', 'flows', 'idle', 'scale', 'audit', 'renderer'] as const;
export type SectionId = (typeof SECTIONS)[number];

export interface BenchArgs {
  readonly quick: boolean;
  readonly only: readonly SectionId[];
}

export const USAGE = `usage: npm run bench -- [--quick] [--only ${SECTIONS.join(',')}]`;

const isSection = (name: string): name is SectionId =>
  (SECTIONS as readonly string[]).includes(name);

export function parseArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let only: SectionId[] = [...SECTIONS];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter((n) => n !== '');
      const bad = names.filter((n) => !isSection(n));
      if (names.length === 0 || bad.length > 0)
        throw new Error(`unknown section: ${bad.join(',')}\n${USAGE}`);
      only = names.filter(isSection);
    } else throw new Error(`unknown argument ${arg ?? ''}\n${USAGE}`);
  }
  return { quick, only };
}
