// The emulator's command-line tools share one way to start: run only when the
// file is the script Node was given (not when a test imports runCli), and turn
// the result into the process exit code.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const EXIT_FAILURE = 1;

const isMain = (moduleUrl: string): boolean => {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return moduleUrl === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
};

/** Runs `runCli` with the process's arguments when `moduleUrl` is the main script. */
export function runAsMain(
  moduleUrl: string,
  name: string,
  runCli: (argv: readonly string[], io: CliIo) => Promise<number>,
): void {
  if (!isMain(moduleUrl)) return;
  runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`${name}: unexpected failure`, e instanceof Error ? e.message : String(e));
      process.exitCode = EXIT_FAILURE;
    },
  );
}
