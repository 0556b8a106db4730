// The product as most real hosts want it: logged in as an unprivileged user, every privileged
// command through `sudo -n` (`sudo: true`). One lab, the demo lab file in its sudo flavour:
// state, destroy and apply, captures, a trace, the doctor, scripts and a terminal, each as that
// user; and after every way each of them ends, nothing of it is left on the host.

import { strict as assert } from 'node:assert';
import { planLab, totalChanges } from '../../src/apply/labPlan';
import { runPlans } from '../../src/apply/runPlan';
import { startCapture } from '../../src/capture/captureSession';
import type { CaptureFrame } from '../../src/capture/types';
import { runDoctor } from '../../src/doctor/runDoctor';
import { withDrift } from '../../src/compare/drift';
import { readLabState } from '../../src/hosts/readLabState';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { runLabScript } from '../../src/scripts/runLabScript';
import type { SshPool } from '../../src/ssh/pool';
import { runTrace } from '../../src/trace/runTrace';
import { demoLabSpec, LAB_SUDO_USER, TestLab, waitFor } from '../lab';
import { asSudoUser, labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

const HOSTS = ['ovs-a', 'ovs-b', 'test-a', 'test-b'];
const TEST_B = '10.213.50.12';

async function readLab(file: string): Promise<Lab> {
  const result = await loadLabFile(file);
  assert.ok(result.lab, result.diagnostics.map((d) => d.message).join('\n'));
  return result.lab;
}

describe(`as an unprivileged user with sudo: true (${LAB_SUDO_USER}, NOPASSWD)`, function () {
  this.timeout(120_000);
  let lab: TestLab;
  let model: Lab;
  let pool: SshPool;

  /** What the product may have started on a host: nothing of it may outlive its end. */
  async function nothingLeft(hosts = HOSTS, pattern = /tcpdump|overlay-lab|sleep 4[0-9]{3}|ping -n/): Promise<void> {
    await waitFor(`nothing of ours left on ${hosts.join(', ')}`, 10_000, async () => {
      const left = (await Promise.all(hosts.map(async (host) => (await lab.processes(host, pattern)).map((p) => `${host}: ${p.pid} ${p.argv.join(' ').slice(0, 80)}`)))).flat();
      if (left.length === 0) return true;
      throw new Error(`left: ${left.join('; ')}`);
    }, 100);
  }

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoLabSpec({ prefix: 'olsudo', mgmtSubnet: '10.213.212.1/24' }));
    model = await readLab(writeDemoLabFile(lab, 'sudo', asSudoUser()));
    assert.ok(model.hosts.every((host) => host.sudo && host.ssh.user === LAB_SUDO_USER));
    pool = labPool(model);
  });
  after(async () => {
    pool?.dispose();
    await lab?.down();
  });

  it('logs in as the user, not root, and sudo -n works there', async () => {
    const result = await pool.exec('ovs-a', ['sh', '-c', 'id -un; sudo -n id -un']);
    assert.equal(result.stdout, `${LAB_SUDO_USER}\nroot\n`);
    assert.match(result.stderr, /unable to resolve host ovs-a|^$/, 'at most sudo’s harmless warning (the lab’s /etc/hosts lacks the host’s name)');
  });

  it('applies the lab, reads its state with no drift, and destroys it again', async () => {
    const plan = await planLab(pool, model);
    assert.deepEqual(plan.failures, []);
    const applied = await runPlans(pool, plan.plans, { sudo: (host) => model.hosts.find((h) => h.name === host)?.sudo ?? false });
    for (const result of applied) assert.ok(['changed', 'unchanged'].includes(result.status), `${result.host}: ${result.message}`);
    const state = withDrift(model, await readLabState(pool, model));
    for (const host of HOSTS) assert.ok(state.hosts[host]?.ok, `${host}: ${JSON.stringify(state.hosts[host])}`);
    const ovsA = state.hosts['ovs-a'];
    assert.ok(ovsA?.ok && ovsA.state.ovs.state === 'running', 'ovs-vsctl read the database through sudo');
    assert.deepEqual(state.drift, []);

    const destroy = await planLab(pool, model, { mode: 'destroy' });
    assert.ok(totalChanges(destroy) > 0);
    const destroyed = await runPlans(pool, destroy.plans, { sudo: (host) => model.hosts.find((h) => h.name === host)?.sudo ?? false });
    for (const result of destroyed) assert.ok(['changed', 'unchanged'].includes(result.status), `${result.host}: ${result.message}`);
    assert.equal(totalChanges(await planLab(pool, model, { mode: 'destroy' })), 0, 'nothing left to destroy');
    // Back as declared, for the tests that follow.
    await runPlans(pool, (await planLab(pool, model)).plans, { sudo: () => true });
    await nothingLeft();
  });

  it('captures as root through sudo, and leaves nothing after close, cancel, its count or a lost connection', async () => {
    const frames: CaptureFrame[] = [];
    const closed = startCapture(pool, { host: 'ovs-a', interface: 'eth2', filter: 'icmp', pcap: true, sudo: true, onFrame: (f) => frames.push(f) });
    const abort = new AbortController();
    const cancelled = startCapture(pool, { host: 'ovs-b', interface: 'eth2', sudo: true, signal: abort.signal });
    const counted = startCapture(pool, { host: 'test-b', interface: 'eth2', filter: 'icmp', count: 2, sudo: true });
    await Promise.all([closed.listening, cancelled.listening, counted.listening]);
    lab.assertNamespaces();
    await lab.nsExec('test-a', ['ping', '-n', '-c', '3', '-i', '0.2', '-W', '1', TEST_B], { timeoutMs: 10_000 });
    await waitFor('ovs-a to see the pings', 10_000, async () => (frames.some((f) => f.icmp?.message === 'echo request') ? true : undefined), 50);
    assert.equal((await counted.ended).reason, 'count');
    const folder = closed.remoteFolder;
    assert.ok(folder, 'a pcap folder, made by root');
    await closed.close();
    abort.abort();
    assert.equal((await cancelled.closed).reason, 'cancelled');
    await nothingLeft();
    assert.deepEqual((await lab.nsExec('ovs-a', ['ls', '-d', folder!])).code !== 0, true, 'the pcap folder is gone');

    const lost = startCapture(pool, { host: 'test-a', interface: 'eth2', sudo: true });
    await lost.listening;
    await lab.killSshdHard('test-a');
    assert.equal((await lost.ended).reason, 'connection-lost');
    await nothingLeft(['test-a']);
    await lab.startSshd('test-a');
  });

  it('traces the lab as delivered, and leaves no capture or ping', async () => {
    lab.assertNamespaces();
    await lab.nsExec('test-a', ['ip', 'neigh', 'flush', 'dev', 'eth2']);
    const { result } = await runTrace(pool, model, { from: { host: 'test-a', interface: 'eth2' }, to: TEST_B });
    assert.equal(result.delivered, true, JSON.stringify(result, null, 2));
    await nothingLeft();
  });

  it('runs the doctor with every host reachable and Open vSwitch read', async () => {
    const run = await runDoctor(pool, model);
    assert.deepEqual(run.hosts, Object.fromEntries(HOSTS.map((host) => [host, 'ok'])));
    const sudoFindings = run.findings.filter((finding) => /sudo|permission/i.test(`${finding.message} ${finding.fix ?? ''}`));
    assert.deepEqual(sudoFindings, [], 'nothing the doctor says comes from running unprivileged');
    await nothingLeft();
  });

  it('runs scripts as root through sudo, and stops them on the host when cancelled or timed out', async () => {
    const scripted = await readLab(
      writeDemoLabFile(lab, 'sudo-scripts', (doc: Parameters<NonNullable<Parameters<typeof writeDemoLabFile>[2]>>[0]) => {
        asSudoUser()(doc);
        doc.setIn(['scripts', 'whoami'], doc.createNode({ hosts: ['ovs-a', 'test-b'], run: 'id -un' }));
        doc.setIn(['scripts', 'long'], doc.createNode({ hosts: ['ovs-b'], run: 'sleep 4301; echo never' }));
        doc.setIn(['scripts', 'slow'], doc.createNode({ hosts: ['test-a'], run: 'sleep 4302', timeout: 1 }));
      }),
    );
    const lines: string[] = [];
    const whoami = await runLabScript(pool, scripted, 'whoami', { onLine: (host, stream, line) => stream === 'stdout' && lines.push(`${host} ${line}`) });
    assert.deepEqual(whoami.hosts.map((h) => h.status), ['ok', 'ok']);
    assert.deepEqual(lines.sort(), ['ovs-a root', 'test-b root']);

    // Without a pty (the CLI) and with one (the editor's terminal).
    for (const pty of [false, true]) {
      const abort = new AbortController();
      const long = runLabScript(pool, scripted, 'long', { signal: abort.signal, pty });
      await waitFor('sleep 4301 on ovs-b', 5000, async () => ((await lab.processes('ovs-b', /sleep 4301/)).length ? true : undefined), 50);
      abort.abort();
      assert.equal((await long).hosts[0]?.status, 'cancelled', `pty: ${pty}`);
      await nothingLeft(['ovs-b'], /sleep 4301/);
    }
    assert.equal((await runLabScript(pool, scripted, 'slow')).hosts[0]?.status, 'timeout');
    await nothingLeft(['ovs-b', 'test-a'], /sleep 430[12]/);
  });

  it('opens a terminal as the user, where sudo works, and leaves no shell once it closes', async () => {
    const channel = await pool.shell('ovs-b', { rows: 24, cols: 80 });
    let output = '';
    channel.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    channel.write('echo "user=$(id -un) root=$(sudo -n id -un) marker=4303"; sleep 4304\n');
    await waitFor('the terminal to answer', 10_000, async () => (/user=olabsudo root=root marker=4303/.test(output) ? true : undefined), 50);
    await waitFor('sleep 4304 in the terminal', 5000, async () => ((await lab.processes('ovs-b', /sleep 4304/)).length ? true : undefined), 50);
    channel.close();
    await nothingLeft(['ovs-b'], /sleep 4304|-bash|bash$/);
  });
});
