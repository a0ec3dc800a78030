// `npm run bench`: measures what users feel (time to Online or to the activation
// prompt) and what the companion costs (CPU, wake-ups, memory), and the limits behind
// them. Prints each section's tables and writes <section>.json, latest.json and tables.md
// to bench/results/local/ (gitignored), or to the committed bench/results/ with
// --update-committed. Benchmarks report numbers; they never fail a test.
// docs/performance.md explains every figure.
import { cpus, loadavg } from 'node:os';
import { parseArgs, SECTIONS, type SectionId } from './args';
import { nowMs } from './clock';
import { FULL, QUICK } from './config';
import { PROFILE_IDS } from './link-profiles';
import { writeResult, writeTables } from './report/results';
import { renderTable, type Table } from './report/table';
import type { Section } from './section';
import { auditSection } from './sections/audit';
import { codecsSection } from './sections/codecs';
import { flowsSection } from './sections/flows';
import { idleSection } from './sections/idle';
import { rendererSection } from './sections/renderer';
import { scaleSection } from './sections/scale';

/**
 * Sections in order; a group runs at once. Each runs alone: the idle windows read the
 * idle companion's own counters, but a neighbour saturating both cores (the audit
 * section) still makes its few wake-ups cost more (the 5-key window measured 0.087 and
 * 0.126 % CPU in two runs beside it, 0.082 to 0.095 % in three alone).
 */
const GROUPS: readonly (readonly SectionId[])[] = [
  ['codecs'],
  ['flows'],
  ['idle'],
  ['audit'],
  ['scale'],
  ['renderer'],
];

const RUNNERS: Readonly<Record<SectionId, Section>> = {
  codecs: codecsSection,
  flows: flowsSection,
  idle: idleSection,
  scale: scaleSection,
  audit: auditSection,
  renderer: rendererSection,
};

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const config = args.quick ? QUICK : FULL;
  const started = nowMs();
  const elapsed = (): string => `${((nowMs() - started) / 1000).toFixed(0)} s`;
  const log = (line: string): void => console.log(`[${elapsed()}] ${line}`);
  const machine = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    date: new Date().toISOString(),
    quick: args.quick,
    /** Other work on the machine skews every figure: the 1-minute load at the start. */
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
  log(
    `bench${args.quick ? ' --quick' : ''}: ${args.only.join(', ')} (profiles ${args.profiles.join(', ')}) on ${machine.cpus} × ${machine.cpuModel}`,
  );
  const partial =
    args.quick || args.only.length < SECTIONS.length || args.profiles.length < PROFILE_IDS.length;
  const place = { updateCommitted: args.updateCommitted, partial };
  const results: Partial<Record<SectionId, unknown>> = {};
  const tables: Partial<Record<SectionId, readonly Table[]>> = {};
  let failed = 0;
  const runSection = async (id: SectionId): Promise<void> => {
    log(`${id} …`);
    const sectionStart = nowMs();
    try {
      const result = await RUNNERS[id]({
        config,
        quick: args.quick,
        profiles: args.profiles,
        log,
      });
      for (const table of result.tables) console.log(renderTable(table));
      tables[id] = result.tables;
      const data = { machine, seconds: (nowMs() - sectionStart) / 1000, result: result.data };
      results[id] = data;
      await writeResult(id, data, place);
      log(`${id} done in ${((nowMs() - sectionStart) / 1000).toFixed(0)} s`);
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results[id] = { error: message };
      console.error(`${id} failed: ${message}`);
    }
  };
  for (const group of GROUPS) {
    await Promise.all(group.filter((id) => args.only.includes(id)).map(runSection));
  }
  const loadAverageAtEnd = loadavg()[0] ?? 0;
  log(
    `load average (1 min): ${machine.loadAverageAtStart.toFixed(2)} at start, ${loadAverageAtEnd.toFixed(2)} at the end`,
  );
  await writeTables(
    SECTIONS.flatMap((id) => tables[id] ?? []),
    place,
  );
  const file = await writeResult(
    'latest',
    {
      machine: { ...machine, loadAverageAtEnd },
      seconds: (nowMs() - started) / 1000,
      sections: results,
    },
    place,
  );
  log(`total ${elapsed()}; results in ${file}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
