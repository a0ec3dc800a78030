// `npm run -s key3 -- conformance FILE`: recomputes every vector of a Hideez Key 3
// vectors file (shaped like the vendor's vectors.json) with device/key3, ignoring
// its `expected` values, and prints the whole file as JSON with each `expected`
// replaced by what this code computed (or `"error"` for a vector it cannot
// compute). Exit 0 when the file was read, whatever the vectors gave; 2 for a
// usage error or an unreadable or invalid file. runCli() is the in-process entry.
import { readFile } from 'node:fs/promises';
import { runConformance } from '../../device/key3/conformance/conformance';
import { runAsMain, type CliIo } from '../../emulator/cli/run-as-main';

export type { CliIo };

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  npm run -s key3 -- conformance <file>   recompute every vector's "expected" from its inputs; prints the file as JSON
`;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function conformance(path: string, io: CliIo): Promise<number> {
  let file: unknown;
  try {
    file = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    io.stderr(`key3: cannot read ${path}: ${message(e)}\n`);
    return EXIT_USAGE;
  }
  let output: unknown;
  try {
    output = runConformance(file);
  } catch (e) {
    io.stderr(`key3: ${path}: ${message(e)}\n`);
    return EXIT_USAGE;
  }
  io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  return EXIT_OK;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'conformance':
      if (rest.length !== 1 || rest[0] === undefined || rest[0] === '') {
        io.stderr(`key3: conformance takes one file\n${USAGE}`);
        return EXIT_USAGE;
      }
      return conformance(rest[0], io);
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE);
      return EXIT_OK;
    case undefined:
      io.stderr(USAGE);
      return EXIT_USAGE;
    default:
      io.stderr(`key3: unknown command: ${command}\n${USAGE}`);
      return EXIT_USAGE;
  }
}

runAsMain(import.meta.url, 'key3', runCli);
