// The first step of `npm run demo`, `npm test` and `.ci/run` on a fresh clone: installs what
// is missing, says what it installs, or prints the one command to run and stops. Node's own
// modules only: it runs before `npm ci`. What to do is decided in setupPlan.mjs.
//
// Usage: node scripts/setup.mjs demo|test|ci

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeModulesState, packagesFor, planSetup, TOOLS_FOR_PACKAGES } from './setupPlan.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`setup: ${line}\n`);

function onPath(tool) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Packages dpkg does not list as installed; undefined where there is no dpkg to ask. */
function missingPackages(names) {
  if (!onPath('dpkg-query')) return undefined;
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...names], { encoding: 'utf8' });
  const installed = new Set(
    (result.stdout ?? '')
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0].split(':')[0]),
  );
  return names.filter((name) => !installed.has(name));
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function run(argv, what, env = process.env) {
  const started = Date.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    say(`${what} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); the command was: ${argv.join(' ')}`);
    process.exit(1);
  }
  say(`${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

const purpose = process.argv[2] ?? 'test';
if (!['demo', 'test', 'ci'].includes(purpose)) {
  process.stderr.write(`usage: node scripts/setup.mjs demo|test|ci\n`);
  process.exit(2);
}
const wanted = packagesFor(purpose);
const facts = {
  purpose,
  platform: process.platform,
  root: process.getuid?.() === 0,
  hasApt: onPath('apt-get'),
  missingPackages: process.platform === 'linux' ? missingPackages(wanted) : undefined,
  missingTools: process.platform === 'linux' ? TOOLS_FOR_PACKAGES.filter((tool) => !onPath(tool)) : [],
  nodeModules: nodeModulesState(readJson(join(ROOT, 'package-lock.json')), readJson(join(ROOT, 'node_modules', '.package-lock.json'))),
};

for (const step of planSetup(facts)) {
  switch (step.kind) {
    case 'stop':
      say(`cannot run here: ${step.why}.`);
      process.exit(1);
    case 'tell':
      say(`${step.why}. Run this, then the same npm command again:\n\n    ${step.command}\n`);
      process.exit(1);
    case 'apt':
      say(`installing with apt-get (root on Debian/Ubuntu): ${step.packages.join(' ')}`);
      run(['apt-get', 'update', '-qq'], 'apt-get update', { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
      run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...step.packages], 'apt-get install', { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
      break;
    case 'npm-ci':
      say(`npm ci (${step.why})`);
      run(['npm', 'ci', '--no-audit', '--no-fund'], 'npm ci');
      break;
    case 'code-server':
      if (!existsSync(join(ROOT, 'node_modules', 'tsx'))) {
        say('node_modules has no tsx; run npm ci');
        process.exit(1);
      }
      // A no-op when the cache holds it already; else node@24 and code-server (a few minutes, once).
      run([process.execPath, '--import', 'tsx', 'scripts/codeServer.ts', 'install'], 'code-server');
      break;
  }
}
