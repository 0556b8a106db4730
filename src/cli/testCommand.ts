// `overlay-lab test LAB [--name N]... [--json] [--junit FILE] [--doctor]` (lab-format.md, tests):
// runs the lab's tests, a failure traced. Exit 0 when all pass, 1 when any fails, 2 on bad usage.

import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { expandTests, selectTests } from '../labtests/expand';
import { junitXml } from '../labtests/junit';
import { summaryLine, testLine, testsJson } from '../labtests/report';
import { runLabTests } from '../labtests/runLabTests';
import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK, UsageError } from './exitCodes';
import { createPool, loadLabOrExit, type SshCliOptions } from './labContext';

export interface TestCliOptions extends SshCliOptions {
  name?: string[];
  json?: boolean;
  junit?: string;
  doctor?: boolean;
}

export async function testCommand(labFile: string, options: TestCliOptions): Promise<number> {
  const lab = await loadLabOrExit(labFile);
  const all = expandTests(lab);
  const { cases, unknown } = selectTests(all, options.name ?? []);
  if (unknown.length) {
    const names = [...new Set(all.map((c) => c.declared))];
    throw new UsageError(`no test named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in ${labFile}; its tests are: ${names.join(', ') || 'none'}`);
  }
  if (cases.length === 0 && !options.doctor) {
    process.stderr.write(`${labFile}: the lab declares no tests; add a tests: section (or run with --doctor)\n`);
    return EXIT_OK;
  }
  const pool = createPool(lab, options);
  try {
    const run = await withCancellation((signal) =>
      runLabTests(pool, lab, cases, {
        signal,
        doctor: options.doctor,
        onResult: options.json ? undefined : (_test, result) => process.stdout.write(`${testLine(result)}\n`),
      }),
    );
    if (options.json) process.stdout.write(`${JSON.stringify(testsJson(run), null, 2)}\n`);
    else process.stdout.write(`${summaryLine(run)}\n`);
    if (options.junit) writeFileSync(options.junit, junitXml(lab.name, run, { timestamp: new Date(), hostname: hostname() }));
    return run.results.every((r) => r.passed) ? EXIT_OK : EXIT_NOT_AS_ASKED;
  } finally {
    pool.dispose();
  }
}
