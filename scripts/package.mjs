// `npm run package`: the production bundles, then the extension packaged by @vscode/vsce into
// dist/overlay-lab.vsix. .vscodeignore keeps the package to what runs (the bundles, the
// webview's stylesheets and icon font, icons, the schema, README, CHANGELOG, LICENSE): the
// bundles carry every dependency, so node_modules stays out (--no-dependencies). ssh2's optional
// native accelerators (cpu-features, sshcrypto.node) are left out of the bundles on purpose:
// ssh2 falls back to Node's own crypto without them.
//
// Usage: node scripts/package.mjs [--out FILE] [--quiet]

import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(root, outAt >= 0 ? args[outAt + 1] : join('dist', 'overlay-lab.vsix'));
const quiet = args.includes('--quiet');

function step(what, argv) {
  const started = Date.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`package: ${what} failed (${result.error?.message ?? `exit ${result.status}`})\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    process.exit(1);
  }
  if (!quiet && result.stderr) process.stderr.write(result.stderr);
  return Date.now() - started;
}

const vsce = join(root, 'node_modules', '.bin', 'vsce');
const buildMs = step('the production build', [process.execPath, join(root, 'scripts', 'build.mjs'), '--production']);
// The production build writes no source maps: those of an earlier development build no longer match.
for (const name of readdirSync(join(root, 'dist'))) if (name.endsWith('.map')) rmSync(join(root, 'dist', name));
// No repository in package.json: the README's relative links (docs/…) stay as they are.
const packMs = step('vsce package', [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
const size = statSync(out).size;
process.stdout.write(`Packaged ${relative(process.cwd(), out) || out}: ${(size / 1024).toFixed(0)} KiB (build ${(buildMs / 1000).toFixed(1)} s, vsce ${(packMs / 1000).toFixed(1)} s)\n`);
