// What every section of the bench returns: its tables (printed, and quoted in
// docs/performance.md) and its data (written as JSON).
import type { BenchConfig } from './config';
import type { ProfileId } from './link-profiles';
import type { Table } from './report/table';

export interface SectionResult {
  readonly tables: readonly Table[];
  readonly data: unknown;
}

export interface SectionContext {
  readonly config: BenchConfig;
  readonly quick: boolean;
  /** The link profiles the flows run on (--profiles). */
  readonly profiles: readonly ProfileId[];
  readonly log: (line: string) => void;
}

export type Section = (ctx: SectionContext) => Promise<SectionResult>;
