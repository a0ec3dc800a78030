#!/usr/bin/env node
// postinstall: `npm ci` may run on any Node ≥ 20, but build, tests and tools run
// on Electron's Node 24 (with-electron-node.mjs). Addons built on the V8 ABI
// (not N-API) must then be rebuilt for that runtime, against its own headers.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Dependencies whose addons use the V8 ABI (node-hid and usb are N-API: prebuilt, no rebuild). */
const V8_ABI_ADDONS = ['@abandonware/bluetooth-hci-socket'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const launcher = join(root, 'build', 'tools', 'with-electron-node.mjs');
const targetAbi = execFileSync(process.execPath, [launcher, 'node', '-p', 'process.versions.modules'], {
  encoding: 'utf8',
}).trim();

if (targetAbi === process.versions.modules) process.exit(0);
console.warn(`Rebuilding native addons for Node ABI ${targetAbi}: ${V8_ABI_ADDONS.join(', ')}`);
const result = spawnSync(process.execPath, [launcher, 'npm', 'rebuild', ...V8_ABI_ADDONS], {
  cwd: root,
  stdio: 'inherit',
});
// A failed Bluetooth addon must not fail the install: the companion reports
// 'Bluetooth unavailable' and keeps USB working.
if (result.status !== 0) console.warn('Native rebuild failed; Bluetooth will be unavailable.');
