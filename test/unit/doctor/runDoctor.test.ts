import { strict as assert } from 'node:assert';
import { renderDoctorText } from '../../../src/doctor/doctorText';
import { hasErrors, runChecks } from '../../../src/doctor/runChecks';
import { runDoctor } from '../../../src/doctor/runDoctor';
import { brief, configured, demoLab, healthy, healthyLab, input } from './support';
import { FakeHosts } from './fakeHosts';

describe('doctor: a whole run', () => {
  it('finds nothing wrong with a healthy lab', () => {
    assert.deepEqual(runChecks(input(healthyLab(), healthy())), []);
  });

  it('reads states, measures every tunnel end and runs the checks, one round trip of facts and one of counters per host', async () => {
    const hosts = new FakeHosts({ pathMtu: 1500, answering: new Set(['10.213.100.1', '10.213.100.2']) });
    const run = await runDoctor(hosts, demoLab());
    assert.deepEqual(run.hosts, { 'ovs-a': 'ok', 'ovs-b': 'ok', 'test-a': 'ok', 'test-b': 'ok' });
    assert.deepEqual(
      run.measurements.tunnels.map((t) => [t.host, t.remote, t.reach.ok, t.wanted, t.pathMtu?.largestPassed, t.pathMtu?.smallestFailed]),
      [
        ['ovs-a', '10.213.100.2', true, 1550, 1500, 1501],
        ['ovs-b', '10.213.100.1', true, 1550, 1500, 1501],
      ],
    );
    for (const host of ['ovs-a', 'ovs-b', 'test-a', 'test-b']) {
      assert.equal(hosts.commands.filter((c) => c.host === host && c.argv[0] === 'sh').length, 3, `${host}: the state probe, the facts and the counters (OpenFlow rules, firewall)`);
    }
    // The recorded demo's overlay MTU is 1500 on a 1500 underlay, and its logs hold old faults.
    assert.deepEqual(brief(run.findings.filter((f) => f.severity === 'error')), ['error mtu-underlay-too-small ovs-a br-phy/eth0', 'error mtu-underlay-too-small ovs-b br-phy/eth0']);
    assert.equal(hasErrors(run.findings), true);
    assert.equal(hosts.running, 0);
  });

  it('makes an unreachable host a finding and checks the rest', async () => {
    const hosts = new FakeHosts({ pathMtu: 1500, answering: new Set(['10.213.100.2']), down: new Set(['ovs-b']) });
    const run = await runDoctor(hosts, demoLab());
    assert.equal(run.hosts['ovs-b'], 'unreachable');
    const unreachable = run.findings.find((f) => f.id === 'host-unreachable');
    assert.ok(unreachable);
    assert.equal(unreachable.host, 'ovs-b');
    assert.match(unreachable.message, /^ovs-b: connection refused/);
    assert.ok(run.findings.some((f) => f.host === 'ovs-a'), 'ovs-a is still checked');
    assert.ok(!hosts.commands.some((c) => c.host === 'ovs-b'));
  });

  it('keeps going when a check throws, saying so', () => {
    const states = configured();
    (states['ovs-a'] as { bridges: unknown }).bridges = null;
    const findings = runChecks(input(demoLab(), states));
    assert.ok(findings.some((f) => f.id === 'doctor-check-failed'));
  });

  it('prints findings per host with their severity, subject, fix and line', () => {
    const lab = demoLab();
    const report = { findings: runChecks(input(lab, configured())), hosts: { 'ovs-a': 'ok' as const, 'ovs-b': 'ok' as const, 'test-a': 'ok' as const, 'test-b': 'unreachable' as const } };
    const text = renderDoctorText(lab, report, 1234);
    const lines = text.split('\n');
    assert.equal(lines[0], 'ovs-a  reachable');
    assert.match(lines[1], /^ {2}✗ error {4}br-phy\/eth0: eth0 on ovs-a, the port of br-phy its packets leave by, has MTU 1500/);
    assert.match(lines[2], /^ {13}fix: lower the overlay MTU to 1450/);
    assert.equal(lines[3], `             at demo.lab.yaml:${lab.tunnels[0].range.line}`);
    assert.ok(lines.includes('test-a  ok, nothing found'));
    assert.ok(lines.includes('test-b  unreachable'));
    assert.equal(lines[lines.length - 2], '2 errors, 0 warnings, 0 notes; 3/4 hosts reachable in 1.2 s');
  });
});
