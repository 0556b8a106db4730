// `overlay-lab test` as text (one line per test, and for a failure its place and cause) and as
// JSON (lab-format.md: `{ tests, passed, failed }`, each test with its trace or null).

import type { LabTestResult, LabTestRun } from './types';

export function testLine(result: LabTestResult): string {
  const mark = result.passed ? 'PASS' : result.cancelled ? 'SKIP' : 'FAIL';
  const what = result.finding || result.name === 'doctor' ? '' : `  ${result.from} -> ${result.to}${result.expect === 'isolated' ? ' (isolated)' : ''}`;
  const lines = [`${mark} ${result.name}${what}  ${result.ms} ms`];
  if (!result.passed && result.message) lines.push(`     ${result.message}`);
  if (!result.passed && !result.cancelled) for (const detail of result.details) lines.push(`       ${detail}`);
  return lines.join('\n');
}

export function summaryLine(run: LabTestRun): string {
  const passed = run.results.filter((r) => r.passed).length;
  const cancelled = run.results.filter((r) => r.cancelled).length;
  const failed = run.results.length - passed - cancelled;
  return `${passed} passed, ${failed} failed${cancelled ? `, ${cancelled} cancelled` : ''} (${(run.ms / 1000).toFixed(1)} s)`;
}

/** The JSON form; keys in the order lab-format.md shows them, then what this project adds. */
export function testsJson(run: LabTestRun): object {
  const tests = run.results.map((r) => ({
    name: r.name,
    from: r.from,
    to: r.to,
    expect: r.expect,
    passed: r.passed,
    ms: r.ms,
    trace: r.trace,
    ...(r.ping ? { sent: r.ping.sent, received: r.ping.received } : {}),
    ...(r.message !== undefined ? { message: r.message } : {}),
    ...(r.cancelled ? { cancelled: true } : {}),
    ...(r.finding ? { finding: r.finding } : {}),
    ...(r.range ? { line: r.range.line } : {}),
  }));
  const passed = run.results.filter((r) => r.passed).length;
  return { tests, passed, failed: run.results.length - passed, ms: run.ms };
}
