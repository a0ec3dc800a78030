#!/usr/bin/env node
// `npm run security`: Electronegativity (Doyensec's Electron security linter) over
// the whole project (sources, the built out/ when present, package.json; it skips
// node_modules itself). Fails on any finding above INFORMATIONAL that the reviewed
// allowlist (build/security/allowlist.json, each entry with its reason) does not
// name exactly, and on any file it could not parse (an unparsed file is unchecked).
//
// Offline and deterministic, on purpose:
// - Electronegativity fetches translations from the network before every run, and
//   its HTTP client crashes the process when that times out. The runner installs an
//   offline stand-in for that one module: the English texts ship in the package.
// - AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK asks the network for Electron's latest
//   releases; it is skipped (the Electron version is kept current by dependency updates).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ALLOWLIST_FILE = join(root, 'build', 'security', 'allowlist.json');
const SKIPPED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));

function useOfflineTranslations() {
  const i18nModule = join(packageDir, 'dist', 'locales', 'i18n.js');
  const i18n = createRequire(i18nModule)('i18n');
  const stub = new Module(i18nModule);
  stub.filename = i18nModule;
  stub.loaded = true;
  stub.exports = async () => {
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: dirname(i18nModule),
      updateFiles: false,
      objectNotation: true,
      retryInDefaultLocale: true,
      register: globalThis,
    });
    i18n.setLocale('en-US');
  };
  require.cache[i18nModule] = stub;
}

/** @typedef {{ id: string, file: string, sample?: string, reason: string }} AllowEntry */

/** @returns {AllowEntry[]} */
function readAllowlist() {
  const entries = JSON.parse(readFileSync(ALLOWLIST_FILE, 'utf8'));
  if (!Array.isArray(entries)) throw new Error('allowlist.json must be an array');
  for (const entry of entries) {
    const ok =
      typeof entry?.id === 'string' &&
      typeof entry.file === 'string' &&
      (entry.sample === undefined || typeof entry.sample === 'string') &&
      typeof entry.reason === 'string' &&
      entry.reason.trim().length >= 20;
    if (!ok)
      throw new Error(
        `allowlist entry needs id, file, reason (20+ chars): ${JSON.stringify(entry)}`,
      );
  }
  return entries;
}

const sampleOf = (issue) => (typeof issue.sample === 'string' ? issue.sample.trim() : undefined);
const allows = (entry, issue) =>
  entry.id === issue.id &&
  entry.file === issue.file.split('\\').join('/') &&
  (entry.sample === undefined || entry.sample === sampleOf(issue));
const describe = (issue) =>
  `${issue.severity.name} ${issue.id} ${issue.file}:${issue.location.line}` +
  (sampleOf(issue) ? `\n    ${sampleOf(issue)}` : '') +
  `\n    ${issue.description} (${issue.shortenedURL ?? ''})`;

useOfflineTranslations();
const run = require('@doyensec/electronegativity');
const allowlist = readAllowlist();
const result = await run({ input: root, isRelative: true, excludeFromScan: SKIPPED_CHECKS });

// The built main bundle is main/, device/ and shared/ (scanned above as sources)
// plus dependencies; the tool's parser cannot read its class private fields. Any
// other file it cannot parse still fails the run.
const BUNDLES_OF_SCANNED_SOURCES = ['out/main/index.js'];
const isScannedBundle = (file) =>
  BUNDLES_OF_SCANNED_SOURCES.some((bundle) => file.split('\\').join('/').endsWith(bundle));
const unparsed = result.errors.filter((error) => !error.tolerable && !isScannedBundle(error.file));
const above = result.issues.filter((issue) => issue.severity.value > 0);
const used = new Set();
const findings = above.filter((issue) => {
  const entry = allowlist.find((candidate) => allows(candidate, issue));
  if (entry) used.add(entry);
  return !entry;
});

for (const entry of allowlist.filter((e) => !used.has(e))) {
  console.warn(`allowlist entry matched nothing (remove it if stale): ${entry.id} ${entry.file}`);
}
for (const error of unparsed) console.error(`not parsed: ${error.file}: ${error.message}`);
for (const issue of findings) console.error(describe(issue));
console.log(
  `electronegativity: ${result.issues.length} issue(s), ${above.length} above informational, ` +
    `${above.length - findings.length} allowlisted, ${findings.length} unreviewed, ` +
    `${unparsed.length} unparsed file(s)`,
);
process.exit(findings.length > 0 || unparsed.length > 0 ? 1 : 0);
