import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { doctorMarkdown, doctorSummary, findingRange } from '../../../src/commands/doctorReport';
import type { DoctorReport } from '../../../src/doctor/types';
import { loadLabText } from '../../../src/lab/load';

const file = join(__dirname, '..', '..', '..', 'examples', 'demo.lab.yaml');
const lab = loadLabText(readFileSync(file, 'utf8'), file).lab;
assert.ok(lab);
const vx0 = lab.hosts.find((h) => h.name === 'ovs-b')?.bridges.find((b) => b.name === 'br0')?.ports.find((p) => p.name === 'vx0');
assert.ok(vx0);

const report: DoctorReport = {
  hosts: { 'ovs-a': 'ok', 'ovs-b': 'ok', 'test-a': 'ok', 'test-b': 'unreachable' },
  findings: [
    { id: 'tunnel-vni-mismatch', check: 'tunnel-symmetry', severity: 'error', host: 'ovs-b', hosts: ['ovs-b', 'ovs-a'], subject: { kind: 'port', name: 'vx0', bridge: 'br0' }, message: 'vx0 on ovs-b has key 99 but vx0 on ovs-a has key 0.', fix: 'set the same key on both ends', range: vx0.range },
    { id: 'host-unreachable', check: 'host-reachable', severity: 'error', host: 'test-b', hosts: ['test-b'], message: 'test-b: timed out.' },
  ],
};

describe('the doctor in the editor', () => {
  it('reports per host, with the subject, the fix, and the unreachable host', () => {
    const markdown = doctorMarkdown(lab, report, 1234);
    assert.match(markdown, /^# Doctor: demo$/m);
    assert.match(markdown, /^2 error\(s\), 0 warning\(s\) on 4 host\(s\), in 1\.2 s\.$/m);
    assert.match(markdown, /^## ovs-a ✔$/m);
    assert.match(markdown, /^- ✘ \*\*br0\/vx0\*\*: vx0 on ovs-b has key 99 .*\n {2}\*Fix:\* set the same key on both ends$/m);
    assert.match(markdown, /^## test-b \(unreachable\)$/m);
    assert.equal(doctorSummary(report), 'the doctor found 2 error(s) and 0 warning(s).');
  });

  it('puts a finding at its declaration, else at its host', () => {
    assert.deepEqual(findingRange(lab, report.findings[0]), vx0.range);
    assert.deepEqual(findingRange(lab, report.findings[1]), lab.hosts.find((h) => h.name === 'test-b')?.range);
  });
});
