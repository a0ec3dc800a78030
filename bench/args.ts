// `npm run bench [-- --quick] [-- --only flows,idle,…] [-- --profiles key3-ble-23,…]
// [-- --update-committed]`.
import { isProfileId, PROFILE_IDS, type ProfileId } from './link-profiles';

export const SECTIONS = ['codecs', 'flows', 'idle', 'scale', 'audit', 'renderer'] as const;
export type SectionId = (typeof SECTIONS)[number];

export interface BenchArgs {
  readonly quick: boolean;
  readonly only: readonly SectionId[];
  /** The link profiles the flows run on (all unless --profiles names some). */
  readonly profiles: readonly ProfileId[];
  /** Write the committed bench/results/ instead of the gitignored bench/results/local/. */
  readonly updateCommitted: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only ${SECTIONS.join(',')}] [--profiles ${PROFILE_IDS.join(',')}] [--update-committed]`;

const isSection = (name: string): name is SectionId =>
  (SECTIONS as readonly string[]).includes(name);

/** A comma-separated list of known names, or an error naming the unknown ones. */
function list<T extends string>(
  value: string | undefined,
  known: (name: string) => name is T,
): T[] {
  const names = (value ?? '').split(',').filter((n) => n !== '');
  const bad = names.filter((n) => !known(n));
  if (names.length === 0 || bad.length > 0)
    throw new Error(`unknown name: ${bad.join(',')}\n${USAGE}`);
  return names.filter(known);
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let only: SectionId[] = [...SECTIONS];
  let profiles: ProfileId[] = [...PROFILE_IDS];
  let updateCommitted = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only = list(argv[++i], isSection);
    else if (arg === '--profiles') profiles = list(argv[++i], isProfileId);
    else if (arg === '--update-committed') updateCommitted = true;
    else throw new Error(`unknown argument ${arg ?? ''}\n${USAGE}`);
  }
  return { quick, only, profiles, updateCommitted };
}
