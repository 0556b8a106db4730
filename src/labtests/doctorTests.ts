// `test --doctor`: the doctor's checks in the same run, so that a lab's CI job is one command.
// Each error finding becomes a failed test named after it, at the finding's line; the doctor
// passes as one test `doctor` when it finds no error (warnings are in the details).

import { runDoctor } from '../doctor/runDoctor';
import type { Finding } from '../doctor/types';
import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import type { LabTestResult } from './types';

/** `doctor: tunnel-vni-mismatch on ovs-b vx0`: stable across runs, unique within one. */
export function findingTestName(finding: Finding, taken: Set<string>): string {
  const stem = `doctor: ${finding.id} on ${finding.host}${finding.subject ? ` ${finding.subject.name}` : ''}`;
  let name = stem;
  for (let n = 2; taken.has(name); n++) name = `${stem} (${n})`;
  taken.add(name);
  return name;
}

export function findingsAsResults(findings: readonly Finding[], ms: number): LabTestResult[] {
  const errors = findings.filter((f) => f.severity === 'error');
  const others = findings.filter((f) => f.severity !== 'error').map((f) => `${f.severity}: ${f.message}`);
  const common = { to: '', expect: 'reach' as const, trace: null, ping: null, ms };
  if (errors.length === 0) return [{ ...common, name: 'doctor', from: '', passed: true, details: others }];
  const taken = new Set<string>();
  return errors.map((finding) => ({
    ...common,
    name: findingTestName(finding, taken),
    from: finding.host,
    passed: false,
    message: finding.message,
    details: [...(finding.fix ? [`fix: ${finding.fix}`] : []), ...Object.entries(finding.values ?? {}).map(([key, value]) => `measured: ${key} = ${value}`)],
    finding,
    range: finding.range,
  }));
}

export async function doctorResults(pool: SshPool, lab: Lab, options: { signal?: AbortSignal; now: () => number }): Promise<LabTestResult[]> {
  const started = options.now();
  try {
    const run = await runDoctor(pool, lab, { signal: options.signal });
    return findingsAsResults(run.findings, Math.round(options.now() - started));
  } catch (error) {
    return [{ name: 'doctor', from: '', to: '', expect: 'reach', passed: false, ms: Math.round(options.now() - started), trace: null, ping: null, message: `the doctor could not run: ${(error as Error).message}`, details: [] }];
  }
}
