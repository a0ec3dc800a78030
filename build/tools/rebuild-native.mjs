#!/usr/bin/env node
// postinstall: build, tests and tools run on Electron's Node 24
// (with-electron-node.mjs), but npm may have compiled addons against another
// Node's headers (a machine npmrc `nodedir`, or npm itself running on Node 20).
// Addons on the V8 ABI (not N-API) then refuse to load. Rebuild those that do
// not load on Node 24, against the headers the bundled Node ships.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Dependencies whose addons use the V8 ABI, with the addon file to probe. node-hid and usb are N-API. */
const V8_ABI_ADDONS = {
  '@abandonware/bluetooth-hci-socket': 'build/Release/bluetooth_hci_socket.node',
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const launcher = join(root, 'build', 'tools', 'with-electron-node.mjs');
const require = createRequire(join(root, 'package.json'));

function loadsOnElectronNode(pkg, file) {
  let path;
  try {
    path = join(dirname(require.resolve(`${pkg}/package.json`)), file);
  } catch {
    return true; // optional dependency not installed on this platform: nothing to rebuild
  }
  // Load only the shared object (no sockets are opened): this checks the ABI alone.
  const probe = `try { process.dlopen({ exports: {} }, ${JSON.stringify(path)}); } catch (e) { process.exit(/NODE_MODULE_VERSION|ENOENT|cannot open/.test(String(e.message)) ? 3 : 0); }`;
  const result = spawnSync(process.execPath, [launcher, 'node', '-e', probe], { cwd: root });
  return result.status !== 3;
}

const stale = Object.entries(V8_ABI_ADDONS)
  .filter(([pkg, file]) => !loadsOnElectronNode(pkg, file))
  .map(([pkg]) => pkg);
if (stale.length === 0) process.exit(0);

console.warn(`Rebuilding native addons for Electron's Node: ${stale.join(', ')}`);
const result = spawnSync(process.execPath, [launcher, 'npm', 'rebuild', ...stale], {
  cwd: root,
  stdio: 'inherit',
});
// A failed Bluetooth addon must not fail the install: the companion reports
// 'Bluetooth unavailable' and keeps USB working.
if (result.status !== 0) console.warn('Native rebuild failed; Bluetooth will be unavailable.');
