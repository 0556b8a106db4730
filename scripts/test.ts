// `npm test`: unit tests, then integration tests against the namespace test lab, then the
// packaged extension end to end in code-server and Chromium (root only; they say so and skip
// elsewhere, except in CI, which installs what they need). Ends with the plain totals line
// `N passed, N failed` so that a run that executed no test is plain to see.
//
// Usage: node --import tsx scripts/test.ts [unit|integration|all|e2e] [--grep PATTERN] [--file PART]
// (`--file scale` runs only the suite files whose path holds `scale`: one e2e suite brings up
// its own lab and code-server, which the others need not wait for.)

import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SUITES: Record<string, string[]> = {
  unit: ['test/unit'],
  integration: ['test/integration'],
  all: ['test/unit', 'test/integration', 'test/e2e'],
  // The packaged extension in code-server, driven in Chromium (also `npm run test:e2e`).
  e2e: ['test/e2e'],
};

function testFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const grepAt = args.indexOf('--grep');
  const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
  const fileAt = args.indexOf('--file');
  const filePart = fileAt >= 0 ? args[fileAt + 1] : undefined;
  const values = new Set([grepAt, fileAt].filter((at) => at >= 0).map((at) => at + 1));
  const suite = args.find((arg, index) => !arg.startsWith('--') && !values.has(index)) ?? 'all';
  const folders = SUITES[suite];
  if (!folders) throw new Error(`unknown suite "${suite}"; one of: ${Object.keys(SUITES).join(', ')}`);

  const mocha = new Mocha({ reporter: 'spec', timeout: 30_000, grep });
  for (const folder of folders) for (const file of testFiles(folder)) if (!filePart || file.includes(filePart)) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const runner = mocha.run();
  await new Promise<void>((resolve) => runner.on('end', () => resolve()));
  const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
  const ran = stats.passes + stats.failures;
  if (ran === 0) process.stdout.write('no test was executed\n');
  process.stdout.write(`${stats.passes} passed, ${stats.failures} failed${stats.pending ? `, ${stats.pending} skipped` : ''}\n`);
  process.exitCode = stats.failures > 0 || ran === 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exitCode = 1;
});
