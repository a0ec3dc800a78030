#!/usr/bin/env node
// Runs a command on the Node.js that Electron ships (Node 24 for Electron 45),
// installed by the project itself as the optional dependency node-<platform>-<arch>.
// Build, tests and tools then run on the same runtime as the packaged app's main
// process, whatever Node the machine happens to have.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkgName = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const binDir = join(root, 'node_modules', pkgName, process.platform === 'win32' ? '' : 'bin');
const env = { ...process.env };
const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
const bins = [join(root, 'node_modules', '.bin')];

const bundled = existsSync(join(binDir, process.platform === 'win32' ? 'node.exe' : 'node'));
if (bundled) {
  bins.unshift(binDir);
} else if (Number(process.versions.node.split('.')[0]) < REQUIRED_MAJOR) {
  console.error(
    `Node ${REQUIRED_MAJOR} is required (Electron's runtime) and ${pkgName} is not installed. ` +
      `Run "npm ci", or install Node ${REQUIRED_MAJOR} yourself.`,
  );
  process.exit(1);
}
env[pathKey] = [...bins, env[pathKey] ?? ''].join(delimiter);
// The machine's npmrc may point node-gyp at the system Node's headers; native
// addons must build against the runtime that loads them (the package ships its headers).
delete env.NPM_CONFIG_NODEDIR;
if (bundled) env.npm_config_nodedir = join(root, 'node_modules', pkgName);
else delete env.npm_config_nodedir;

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: with-electron-node.mjs <command> [args...]');
  process.exit(2);
}
const child = spawn(command, args, { env, stdio: 'inherit', shell: process.platform === 'win32' });
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
