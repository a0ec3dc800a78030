// `npm run screenshots`: builds the renderer, then runs the end-to-end walks with
// UPDATE_SCREENSHOTS=1 so they write docs/screenshots/ (a plain test run writes to a
// temp folder). A script rather than an inline env var so it also works on Windows.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) =>
  join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (command, args, env = process.env) => {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(bin('electron-vite'), ['build']);
run(bin('vitest'), ['run', 'test/e2e'], { ...process.env, UPDATE_SCREENSHOTS: '1' });
