// The doctor on real hosts: the demo lab applied with its overlay MTU at 1450 (what fits a
// 1500-byte underlay) is healthy; then faults injected by hand, one at a time and undone after
// each: the underlay ports lowered to 1400, a narrower hop on the underlay network, a VNI
// changed on one side, ovs-vswitchd killed. Each must be found, put on the right host and
// subject, and explained. No ping may be left running on any host.

import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { planLab } from '../../src/apply/labPlan';
import { runPlans } from '../../src/apply/runPlan';
import { runDoctor, type DoctorRun } from '../../src/doctor/runDoctor';
import type { DoctorReport, Finding } from '../../src/doctor/types';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { SshPool } from '../../src/ssh/pool';
import { demoLabSpec, run, TestLab, waitFor } from '../lab';
import { labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

const ROOT = join(__dirname, '..', '..');
const OVS_HOSTS = ['ovs-a', 'ovs-b'];
const HOSTS = ['ovs-a', 'ovs-b', 'test-a', 'test-b'];

/** `severity id host subject` */
function brief(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.id} ${f.host}${f.subject ? ` ${f.subject.bridge ? `${f.subject.bridge}/` : ''}${f.subject.name}` : ''}`);
}

function errors(run: DoctorRun): Finding[] {
  return run.findings.filter((f) => f.severity === 'error');
}

/** The doctor from a terminal: src/cli/main.ts is what the bundle of bin/overlay-lab runs. */
function doctorCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['--import', 'tsx', 'src/cli/main.ts', 'doctor', ...args], { cwd: ROOT, env: { ...process.env, SSH_AUTH_SOCK: '' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('doctor on the demo lab', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let model: Lab;
  let labFile: string;
  let pool: SshPool;
  const timings: Record<string, DoctorRun['timings']> = {};
  const notes: string[] = [];

  async function doctor(name: string): Promise<DoctorRun> {
    lab.assertNamespaces();
    const run = await runDoctor(pool, model);
    timings[name] = run.timings;
    return run;
  }

  /** One bounded ping between hosts the lab built, after checking their namespaces exist. */
  async function ping(from: string, to: string, args: string[] = []): Promise<boolean> {
    lab.assertNamespaces();
    const result = await lab.nsExec(from, ['ping', '-n', '-c', '2', '-i', '0.3', '-W', '1', ...args, to], { timeoutMs: 10_000 });
    return result.code === 0;
  }

  async function must(host: string, argv: string[]): Promise<string> {
    lab.assertNamespaces();
    return (await lab.nsExec(host, argv, { check: true, timeoutMs: 20_000 })).stdout;
  }

  async function linkMtu(host: string, name: string): Promise<number> {
    return Number((await must(host, ['cat', `/sys/class/net/${name}/mtu`])).trim());
  }

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoLabSpec({ prefix: 'oldoc', mgmtSubnet: '10.213.171.1/24' }));
    // The demo as a careful user writes it: the overlay's MTU leaves VXLAN its 50 bytes.
    labFile = writeDemoLabFile(lab, 'doctor', (doc) => {
      for (const host of OVS_HOSTS) {
        doc.setIn(['hosts', host, 'bridges', 'br0', 'mtu'], 1450);
        doc.setIn(['hosts', host, 'interfaces', 'eth2', 'mtu'], 1450);
      }
      for (const host of ['test-a', 'test-b']) doc.setIn(['hosts', host, 'interfaces', 'eth2', 'mtu'], 1450);
    });
    const loaded = await loadLabFile(labFile);
    assert.ok(loaded.lab, loaded.diagnostics.map((d) => d.message).join('\n'));
    model = loaded.lab;
    pool = labPool(model);
    lab.assertNamespaces();
    const plan = await planLab(pool, model);
    const results = await runPlans(pool, plan.plans);
    for (const result of results) assert.ok(['changed', 'unchanged'].includes(result.status), `${result.host}: ${result.message}`);
    assert.equal(await ping('test-a', '10.213.50.12'), true, 'the overlay works before the doctor looks at it');
  });

  afterEach(async () => {
    if (!lab) return;
    // Nothing the doctor started may outlive it: no ping on any host.
    for (const host of HOSTS) {
      await waitFor(`no ping left on ${host}`, 5_000, async () => ((await lab.processes(host, 'ping')).length === 0 ? true : undefined), 50);
    }
  });

  after(async () => {
    pool?.dispose();
    await lab?.down();
    // eslint-disable-next-line no-console
    if (Object.keys(timings).length) console.log(`    doctor timings (ms): ${JSON.stringify(timings)}${notes.length ? `\n    ${notes.join('\n    ')}` : ''}`);
  });

  it('finds no error on the healthy lab, having reached and measured both tunnel ends', async () => {
    // A cold run (new connections) and a warm one, for the timings.
    await doctor('healthy, cold pool');
    const run = await doctor('healthy');
    assert.deepEqual(brief(errors(run)), []);
    assert.deepEqual(run.hosts, { 'ovs-a': 'ok', 'ovs-b': 'ok', 'test-a': 'ok', 'test-b': 'ok' });
    assert.deepEqual(
      run.measurements.tunnels.map((t) => [t.host, t.port, t.local, t.remote, t.reach.ok, t.wanted, t.pathMtu]),
      [
        ['ovs-a', 'vx0', '10.213.100.1', '10.213.100.2', true, 1500, { largestPassed: 1500, probes: 1 }],
        ['ovs-b', 'vx0', '10.213.100.2', '10.213.100.1', true, 1500, { largestPassed: 1500, probes: 1 }],
      ],
    );
    assert.equal(run.measurements.hosts['ovs-a'].ovsModule !== undefined, true);
    assert.equal(run.measurements.hosts['ovs-a'].log?.file, '/var/log/openvswitch/ovs-vswitchd.log');
    // And it is right: a full 1450-byte packet crosses the overlay.
    assert.equal(await ping('test-a', '10.213.50.12', ['-M', 'do', '-s', '1422']), true);

    const json = await doctorCli([labFile, '--json']);
    assert.equal(json.status, 0, json.stderr + json.stdout);
    const report = JSON.parse(json.stdout) as DoctorReport;
    assert.deepEqual(Object.keys(report).sort(), ['findings', 'hosts']);
    assert.deepEqual(report.hosts, { 'ovs-a': 'ok', 'ovs-b': 'ok', 'test-a': 'ok', 'test-b': 'ok' });
    const text = await doctorCli([labFile]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^test-a {2}ok, nothing found$/m);
    assert.match(text.stdout, /^0 errors, \d+ warnings?, \d+ notes?; 4\/4 hosts reachable in \d+\.\d s$/m);
  });

  it('finds underlay ports lowered to 1400 on both OVS hosts, and that ping -M do is refused at once', async () => {
    try {
      for (const host of OVS_HOSTS) await must(host, ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1400']);
      // OVS gives a netdev bridge's own interface the smallest MTU of its ports, by itself.
      for (const host of OVS_HOSTS) await waitFor(`br-phy of ${host} to follow eth0`, 5_000, async () => ((await linkMtu(host, 'br-phy')) === 1400 ? true : undefined), 50);
      const run = await doctor('underlay 1400');
      assert.deepEqual(brief(errors(run)), ['error mtu-underlay-too-small ovs-a br-phy/eth0', 'error mtu-underlay-too-small ovs-b br-phy/eth0']);
      const finding = errors(run)[0];
      assert.deepEqual(finding.hosts, ['ovs-a', 'ovs-b']);
      assert.deepEqual(finding.values, { overlayMtu: 1450, overhead: 50, required: 1500, egressMtu: 1400, device: 'eth0' });
      assert.match(finding.message, /^eth0 on ovs-a, the port of br-phy its packets leave by, has MTU 1400, but tunnel vx0 to ovs-b needs 1500 bytes/);
      assert.match(finding.message, /ping -M do to 10\.213\.100\.2 agrees: the path carries IP packets of up to 1400 bytes; the local kernel said mtu 1400\.$/);
      assert.match(finding.fix ?? '', /^lower the overlay MTU to 1350: .*; or raise the MTU of eth0 \(and br-phy\) on ovs-a and of every underlay hop to ovs-b to 1500$/);
      // The kernel refuses the big probe itself (br-phy is 1400), naming the MTU: three probes.
      assert.deepEqual(run.measurements.tunnels[0].pathMtu, { largestPassed: 1400, smallestFailed: 1401, reportedMtu: { mtu: 1400, by: 'local' }, probes: 3 });
      // And the finding is real: full overlay frames no longer cross, frames that fit still do.
      assert.equal(await ping('test-a', '10.213.50.12', ['-M', 'do', '-s', '1422']), false);
      assert.equal(await ping('test-a', '10.213.50.12', ['-M', 'do', '-s', '1322']), true);
    } finally {
      for (const host of OVS_HOSTS) await must(host, ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1500']);
      for (const host of OVS_HOSTS) await waitFor(`br-phy of ${host} back at 1500`, 5_000, async () => ((await linkMtu(host, 'br-phy')) === 1500 ? true : undefined), 50);
    }
    assert.deepEqual(brief(errors(await doctor('underlay restored'))), []);
  });

  it('finds a narrower hop on the underlay network, which only the measurement can see', async () => {
    // The wan segment's switch ports drop frames over 1400 bytes without a word, like a
    // provider network with a smaller MTU than the hosts were told.
    const wan = lab.segmentNamespace('wan');
    const setWan = async (mtu: string) => {
      lab.assertNamespaces([wan]);
      for (const port of ['p0', 'p1']) await run(['ip', '-n', wan, 'link', 'set', 'dev', port, 'mtu', mtu], { what: `set ${port} of ${wan} to MTU ${mtu}` });
    };
    try {
      await setWan('1400');
      const run = await doctor('narrow hop');
      assert.deepEqual(brief(errors(run)), ['error mtu-path-too-small ovs-a br0/vx0', 'error mtu-path-too-small ovs-b br0/vx0']);
      const finding = errors(run)[0];
      // Linux lets a frame 4 bytes over a port's MTU through (room for a VLAN tag), so a
      // 1400-byte switch carries 1404-byte IP packets, and that is what the doctor measures.
      assert.equal(finding.values?.pathMtu, 1404);
      assert.match(finding.message, /^Between ovs-a \(10\.213\.100\.1\) and ovs-b \(10\.213\.100\.2\) the path carries IP packets of up to 1404 bytes \(measured with ping -M do\), but tunnel vx0 needs 1500 bytes/);
      assert.match(finding.fix ?? '', /^lower the overlay MTU to 1354: /);
      const measured = run.measurements.tunnels[0].pathMtu;
      assert.equal(measured?.largestPassed, 1404);
      assert.equal(measured?.smallestFailed, 1405);
      assert.ok(measured!.probes <= 12, `${measured!.probes} probes`);
      notes.push(`narrow hop: path MTU ${measured!.largestPassed} found in ${measured!.probes} probes`);
      assert.equal(measured?.reportedMtu, undefined, 'a switch port drops silently');

      // The slow case (each silent drop costs a second) is where Ctrl-C matters: the CLI stops
      // the pings on the hosts and still prints what it has (afterEach checks no ping is left).
      const child = spawn('node', ['--import', 'tsx', 'src/cli/main.ts', 'doctor', labFile], { cwd: ROOT, env: { ...process.env, SSH_AUTH_SOCK: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      await waitFor('the CLI doctor to start pinging', 20_000, async () => ((await lab.processes('ovs-a', 'ping')).length > 0 ? true : undefined), 20);
      const interrupted = Date.now();
      child.kill('SIGINT');
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.ok(Date.now() - interrupted < 3_000, `the CLI took ${Date.now() - interrupted} ms to stop`);
      notes.push(`Ctrl-C: the CLI stopped ${Date.now() - interrupted} ms after SIGINT`);
      assert.match(out, /hosts reachable in \d+\.\d s$/m, out);
      assert.ok(status === 0 || status === 1, `exit ${status}`);
    } finally {
      await setWan('1500');
    }
  });

  it('finds a VNI changed by hand on one host, on that host and its tunnel port, and what OVS logged about it', async () => {
    try {
      await must('ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:key=99']);
      assert.equal(await ping('test-a', '10.213.50.12'), false, 'the overlay is broken');
      assert.equal(await ping('test-b', '10.213.50.11'), false, 'both ways');
      const run = await doctor('vni mismatch');
      assert.deepEqual(brief(errors(run)), ['error tunnel-vni-mismatch ovs-b br0/vx0']);
      const finding = errors(run)[0];
      assert.equal(finding.message, 'vx0 on ovs-b uses VNI 99 but its peer vx0 on ovs-a uses VNI 0; each end drops what the other sends. The lab file says 0.');
      assert.equal(finding.fix, 'ovs-vsctl set interface vx0 options:key=0 on ovs-b (or overlay-lab apply)');
      assert.equal(finding.range?.line, model.tunnels.find((t) => t.host === 'ovs-b')!.range.line);
      // Each side logged the other's packets as matching no tunnel port.
      const logged = run.findings.filter((f) => f.id === 'log-tunnel-port-not-found');
      assert.deepEqual(brief(logged), ['warning log-tunnel-port-not-found ovs-a br0/vx0', 'warning log-tunnel-port-not-found ovs-b br0/vx0']);
      assert.match(logged[1].message, /tunnel packets from 10\.213\.100\.1 \(ovs-a\) with key \(VNI\) 0 matched no tunnel port/);
      assert.match(logged[0].message, /tunnel packets from 10\.213\.100\.2 \(ovs-b\) with key \(VNI\) 99 matched no tunnel port/);
    } finally {
      await must('ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'key']);
    }
    assert.equal(await ping('test-a', '10.213.50.12'), true, 'the overlay works again');
  });

  it('finds an OpenFlow rule that drops on a lab bridge, read as the trace reads it', async () => {
    try {
      await must('ovs-b', ['ovs-ofctl', 'add-flow', 'br0', 'priority=100,icmp,nw_dst=10.213.50.12,icmp_type=8,actions=drop']);
      assert.equal(await ping('test-a', '10.213.50.12'), false, 'the rule drops the echo requests');
      const run = await doctor('openflow drop');
      const found = run.findings.filter((f) => f.id === 'openflow-drop-rule');
      assert.deepEqual(brief(found), ['error openflow-drop-rule ovs-b br0']);
      assert.match(found[0].message, /^br0 on ovs-b has an OpenFlow rule that drops what it matches: table=0 priority=100,icmp,nw_dst=10\.213\.50\.12,icmp_type=8 actions=drop \(n_packets [1-9]\d*: it has dropped frames\)\.$/);
    } finally {
      await must('ovs-b', ['ovs-ofctl', 'del-flows', 'br0', 'icmp,nw_dst=10.213.50.12']);
    }
  });

  it('names both values of a wrong remote_ip, and never calls it the far host\'s underlay address', async () => {
    try {
      await must('ovs-a', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:remote_ip=10.213.100.9']);
      const run = await doctor('remote_ip wrong');
      const mismatch = run.findings.find((f) => f.id === 'tunnel-remote-mismatch');
      assert.ok(mismatch, brief(run.findings).join('\n'));
      assert.match(mismatch.message, /vx0 on ovs-a sends to 10\.213\.100\.9, which is not an address of ovs-b; the lab file says 10\.213\.100\.2, which ovs-b holds on br-phy/);
      for (const f of run.findings) assert.doesNotMatch(f.message, /ovs-b's underlay address 10\.213\.100\.9/, f.message);
      const unreachable = run.findings.find((f) => f.id === 'underlay-unreachable' && f.host === 'ovs-a');
      if (unreachable) assert.match(unreachable.message, /cannot reach 10\.213\.100\.9, its remote_ip, which is not an address of ovs-b \(ovs-b's underlay address is 10\.213\.100\.2\)/);
    } finally {
      await must('ovs-a', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:remote_ip=10.213.100.2']);
    }
    assert.equal(await ping('test-a', '10.213.50.12'), true, 'the overlay works again');
  });

  it('finds a stopped ovs-vswitchd, on its host, and the underlay it takes down with it', async () => {
    await must('ovs-b', ['sh', '-c', 'kill -TERM "$(cat /run/openvswitch/ovs-vswitchd.pid)"']);
    await waitFor('ovs-vswitchd of ovs-b to exit', 10_000, async () => ((await lab.processes('ovs-b', 'ovs-vswitchd')).length === 0 ? true : undefined), 50);
    const run = await doctor('vswitchd stopped');
    const stopped = run.findings.find((f) => f.id === 'ovs-daemon-stopped');
    assert.ok(stopped, brief(run.findings).join('\n'));
    assert.deepEqual(brief([stopped]), ['error ovs-daemon-stopped ovs-b']);
    assert.equal(stopped.message, 'ovs-vswitchd is not running on ovs-b, which declares OVS bridges br-phy and br0: the bridges are configured but forward nothing.');
    assert.equal(stopped.fix, 'start Open vSwitch on ovs-b: systemctl start openvswitch-switch');
    assert.equal(stopped.range?.line, model.hosts[1].bridges[0].range.line);
    // ovs-a's end of the tunnel no longer reaches ovs-b's underlay address, and says why.
    const unreachable = run.findings.find((f) => f.id === 'underlay-unreachable' && f.host === 'ovs-a');
    assert.ok(unreachable, brief(run.findings).join('\n'));
    assert.match(unreachable.message, /\(ovs-vswitchd is not running on ovs-b, and ovs-b holds 10\.213\.100\.2 on its OVS bridge br-phy\)/);

    const cli = await doctorCli([labFile, '--json']);
    assert.equal(cli.status, 1, cli.stderr);
    const report = JSON.parse(cli.stdout) as DoctorReport;
    assert.ok(report.findings.some((f) => f.id === 'ovs-daemon-stopped' && f.host === 'ovs-b'));
    const text = await doctorCli([labFile]);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^ovs-b {2}reachable\n {2}✗ error {4}ovs-vswitchd is not running on ovs-b/m);
    assert.match(text.stdout, /^ {13}fix: start Open vSwitch on ovs-b: systemctl start openvswitch-switch$/m);
  });
});
