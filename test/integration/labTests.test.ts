// Lab tests on real hosts (`overlay-lab test`, as CI runs it): the demo lab's declared tests and
// its mesh pass on the healthy lab; a fault the test injects (an OpenFlow rule on ovs-b that
// drops ICMP echo requests to test-b) fails exactly the tests whose pings it drops, each traced
// to the place; an `isolated` test fails when traffic passes; a `size` test catches an underlay
// MTU that small pings cross. No capture or ping is left on any host.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planLab } from '../../src/apply/labPlan';
import { runPlans } from '../../src/apply/runPlan';
import { loadLabFile } from '../../src/lab/load';
import { demoLabSpec, TestLab } from '../lab';
import { buildCli, cli } from '../lab/productCli';
import { labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

interface TestJson {
  name: string;
  from: string;
  to: string;
  expect: string;
  passed: boolean;
  ms: number;
  message?: string;
  trace: null | { version: 2; delivered: boolean; lostBetween: { direction: string; probe: string; from: { host: string; interface: string }; to: { host: string; interface: string } } | null; cause: { kind: string; confidence: string; evidence: string[] } | null };
}

const TEST_B = '10.213.50.12';

describe('lab tests on the test lab (overlay-lab test)', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let labFile: string;

  async function noProcessLeft(): Promise<void> {
    for (const host of ['ovs-a', 'ovs-b', 'test-a', 'test-b']) {
      assert.deepEqual(await lab.processes(host, /tcpdump|ping/), [], `${host} still runs a capture or ping`);
    }
  }

  async function runTests(args: string[], file = labFile): Promise<{ status: number | null; tests: TestJson[]; stderr: string }> {
    lab.assertNamespaces();
    const run = await cli(['test', file, '--json', ...args]);
    assert.ok(run.stdout.trim(), `no JSON on stdout; stderr:\n${run.stderr}`);
    const report = JSON.parse(run.stdout) as { tests: TestJson[]; passed: number; failed: number };
    assert.equal(report.passed + report.failed, report.tests.length);
    return { status: run.status, tests: report.tests, stderr: run.stderr };
  }

  const failedNames = (tests: TestJson[]) => tests.filter((t) => !t.passed).map((t) => t.name).sort();

  before(async function () {
    requireRoot(this);
    buildCli();
    lab = await TestLab.up(demoLabSpec({ prefix: 'oltt', mgmtSubnet: '10.213.164.1/24' }));
    const ovsB = lab.hosts().find((h) => h.name === 'ovs-b');
    labFile = writeDemoLabFile(lab, 'labtests', (doc) => {
      // The management test aims at ovs-b's SSH address in this lab.
      doc.setIn(['tests', 'management-isolated', 'to'], ovsB?.sshHost);
    });
    const loaded = await loadLabFile(labFile);
    assert.ok(loaded.lab, loaded.diagnostics.map((d) => d.message).join('\n'));
    const pool = labPool(loaded.lab);
    try {
      const results = await runPlans(pool, (await planLab(pool, loaded.lab)).plans);
      assert.ok(results.every((r) => r.status === 'changed'), results.map((r) => r.message).join('\n'));
    } finally {
      pool.dispose();
    }
    // Userspace OVS drops the first packets while it resolves the tunnel's next hop; one ping each way settles it.
    await lab.nsExec('test-a', ['ping', '-n', '-c', '3', '-W', '2', TEST_B], { check: false });
  });
  after(async () => {
    await lab?.down();
  });

  it('passes every declared test and every pair of the mesh on the healthy lab, and writes JUnit', async () => {
    const junit = join(lab.paths.workDir, 'labtests.junit.xml');
    const run = await runTests(['--junit', junit]);
    assert.equal(run.status, 0, `${JSON.stringify(run.tests.filter((t) => !t.passed), null, 2)}\n${run.stderr}`);
    const names = run.tests.map((t) => t.name);
    for (const declared of ['sites-reach', 'full-size', 'gateways-reach', 'underlay-isolated', 'management-isolated']) assert.ok(names.includes(declared), declared);
    assert.equal(names.filter((n) => n.startsWith('all-pairs: ')).length, 12, 'every ordered pair of the four overlay addresses');
    assert.ok(run.tests.every((t) => t.passed && t.trace === null));
    const xml = readFileSync(junit, 'utf8');
    assert.equal(xml.match(/<testcase /g)?.length, run.tests.length);
    assert.match(xml, /<testsuite name="demo" tests="17" failures="0"/);
    await noProcessLeft();
  });

  it('fails exactly the tests whose pings an OpenFlow drop on ovs-b takes, each traced to ovs-b', async () => {
    await lab.nsExec('ovs-b', ['ovs-ofctl', 'add-flow', 'br0', `priority=100,icmp,nw_dst=${TEST_B},icmp_type=8,actions=drop`], { check: true });
    try {
      const run = await runTests([]);
      assert.equal(run.status, 1);
      // Every echo request to test-b crosses ovs-b's br0 towards eth2; the answers to test-b's own pings are replies, which pass.
      assert.deepEqual(failedNames(run.tests), ['all-pairs: ovs-a:br0 -> test-b:eth2', 'all-pairs: ovs-b:br0 -> test-b:eth2', 'all-pairs: test-a:eth2 -> test-b:eth2', 'full-size', 'sites-reach']);
      for (const test of run.tests.filter((t) => !t.passed)) {
        assert.equal(test.to, TEST_B);
        assert.ok(test.trace, `${test.name} carries its trace`);
        assert.equal(test.trace.version, 2);
        assert.equal(test.trace.delivered, false);
        // The place as measured: the frame reached ovs-b and never left it on eth2.
        assert.equal(test.trace.lostBetween?.from.host, 'ovs-b', test.name);
        assert.deepEqual(test.trace.lostBetween?.to, { host: 'ovs-b', interface: 'eth2' }, test.name);
        assert.equal(test.trace.lostBetween?.direction, 'request');
        // The cause as measured: the flow table's verdict names the rule.
        assert.deepEqual([test.trace.cause?.kind, test.trace.cause?.confidence], ['openflow-drop', 'proved'], JSON.stringify(test.trace.cause));
        assert.match(test.trace.cause?.evidence.join(' ') ?? '', /priority=100/, 'the evidence names the rule');
        assert.match(test.message ?? '', /lost between ovs-b:\S+ and ovs-b:eth2/);
      }
    } finally {
      await lab.nsExec('ovs-b', ['ovs-ofctl', 'del-flows', 'br0', `icmp,nw_dst=${TEST_B}`], { check: true });
    }
    await noProcessLeft();
  });

  it('fails an isolated test when traffic does pass, without a trace', async () => {
    const file = writeDemoLabFile(lab, 'labtests-leak', (doc) => {
      doc.setIn(['tests', 'sites-isolated'], doc.createNode({ from: 'test-a', to: 'test-b', expect: 'isolated' }));
    });
    const run = await runTests(['--name', 'sites-isolated', '--name', 'underlay-isolated'], file);
    assert.equal(run.status, 1);
    const leak = run.tests.find((t) => t.name === 'sites-isolated');
    assert.deepEqual([leak?.passed, leak?.trace, leak?.message], [false, null, 'expected isolated, but 1 of 1 ping answered: traffic passes']);
    assert.equal(run.tests.find((t) => t.name === 'underlay-isolated')?.passed, true);
    await noProcessLeft();
  });

  it('catches with a size test an underlay MTU that small pings cross', async () => {
    await lab.nsExec('ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1400'], { check: true });
    try {
      const run = await runTests(['--name', 'sites-reach', '--name', 'full-size']);
      assert.equal(run.status, 1);
      assert.equal(run.tests.find((t) => t.name === 'sites-reach')?.passed, true, 'a small ping crosses');
      const full = run.tests.find((t) => t.name === 'full-size');
      assert.equal(full?.passed, false);
      assert.equal(full?.trace?.lostBetween?.from.host, 'ovs-a', JSON.stringify(full?.trace));
      assert.equal(full?.trace?.cause?.kind, 'mtu', JSON.stringify(full?.trace?.cause));
      assert.match(full?.trace?.cause?.evidence.join(' ') ?? '', /1400/, 'the evidence names the MTU it read');
      assert.match(full?.message ?? '', /lost between ovs-a:/);
    } finally {
      await lab.nsExec('ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1500'], { check: true });
    }
    await noProcessLeft();
  });

  it('adds the doctor’s verdict to the run with --doctor, and refuses an unknown test name', async () => {
    const run = await runTests(['--doctor', '--name', 'sites-reach']);
    const doctor = run.tests.filter((t) => t.name === 'doctor' || t.name.startsWith('doctor: '));
    assert.ok(doctor.length >= 1, 'the doctor is part of the run');
    assert.equal(run.status, doctor.every((t) => t.passed) ? 0 : 1);
    const unknown = await cli(['test', labFile, '--name', 'nope']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no test named "nope".*its tests are: sites-reach, full-size/);
  });
});
