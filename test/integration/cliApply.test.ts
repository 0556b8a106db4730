// bin/overlay-lab plan, apply, state and destroy on real hosts, as a user or a CI job runs them.

import { strict as assert } from 'node:assert';
import { demoLabSpec, TestLab } from '../lab';
import { buildCli, cli } from '../lab/productCli';
import { requireRoot, writeDemoLabFile } from '../lab/labFiles';

describe('bin/overlay-lab plan, apply, state, destroy', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let labFile: string;

  before(async function () {
    requireRoot(this);
    buildCli();
    lab = await TestLab.up(demoLabSpec({ prefix: 'olcla', mgmtSubnet: '10.213.162.1/24' }));
    labFile = writeDemoLabFile(lab, 'cli-apply');
  });
  after(async () => {
    await lab?.down();
  });

  it('state on a blank lab reports every declared item as drift, and exits 1', async () => {
    const result = await cli(['state', labFile, '--json']);
    assert.equal(result.status, 1, result.stderr);
    const state = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(state.hosts), ['ovs-a', 'ovs-b', 'test-a', 'test-b']);
    assert.ok(Object.values(state.hosts).every((reading) => (reading as { ok: boolean }).ok));
    const messages: string[] = state.drift.map((item: { message: string }) => item.message);
    assert.ok(messages.includes('bridge br0 is missing'), messages.join('\n'));
    assert.ok(messages.some((m) => /address 10\.213\.50\.11\/24 is missing on eth2/.test(m)), messages.join('\n'));
  });

  it('plan prints the commands, per host, and changes nothing', async () => {
    const first = await cli(['plan', labFile]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^ovs-a: 11 changes$/m);
    assert.match(first.stdout, /^ {4}\$ ovs-vsctl --timeout=30 -- --may-exist add-br br-phy/m);
    assert.match(first.stdout, /^test-b: 2 changes\n {2}\+ set MTU of eth2 to 1450 \(is 1500\)\n {4}\$ ip link set dev eth2 mtu 1450\n {2}\+ add address 10\.213\.50\.12\/24 to eth2\n {4}\$ ip addr replace 10\.213\.50\.12\/24 dev eth2$/m);
    const second = await cli(['plan', labFile]);
    assert.equal(second.stdout, first.stdout, 'planning changed nothing on the hosts');
  });

  it('apply brings every host to the file, then plan says "no changes" and state shows no drift', async () => {
    const applied = await cli(['apply', labFile]);
    assert.equal(applied.status, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /^ovs-a \[1\/6\] add OVS bridge br-phy \(netdev\)/m);
    assert.match(applied.stdout, /^every host is as the lab file says$/m);
    const plan = await cli(['plan', labFile]);
    assert.equal(plan.stdout, 'ovs-a: no changes\novs-b: no changes\ntest-a: no changes\ntest-b: no changes\nno changes\n');
    const state = await cli(['state', labFile, '--json']);
    assert.equal(state.status, 0);
    const parsed = JSON.parse(state.stdout);
    assert.deepEqual(parsed.drift, []);
    const br0 = parsed.hosts['ovs-a'].state.bridges.find((b: { name: string }) => b.name === 'br0');
    const vx0 = br0.ports.find((p: { name: string }) => p.name === 'vx0').interfaces[0];
    assert.equal(vx0.type, 'vxlan');
    assert.equal(vx0.options.remote_ip, '10.213.100.2');
  });

  it('state --host narrows to one host; the text form names bridges, ports and tunnels', async () => {
    const result = await cli(['state', labFile, '--host', 'ovs-b']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^ovs-b {2}.*Open vSwitch 3\./m);
    assert.match(result.stdout, /bridge br0 \(ovs, netdev\)/);
    assert.match(result.stdout, /vx0 +vxlan .*remote_ip=10\.213\.100\.1/);
    assert.match(result.stdout, /1\/1 hosts reachable, 0 drift items/);
  });

  it('destroy removes what the file declares; plan --destroy then has nothing to do', async () => {
    const destroyed = await cli(['destroy', labFile]);
    assert.equal(destroyed.status, 0, destroyed.stdout + destroyed.stderr);
    const again = await cli(['plan', labFile, '--destroy']);
    assert.match(again.stdout, /\nno changes\n$/);
    const ovs = await lab.nsExec('ovs-a', ['ovs-vsctl', 'list-br']);
    assert.equal(ovs.stdout, '');
  });

  it('apply with no host reachable says that nothing was compared, and exits 1', async () => {
    // Every host's sshd stopped: nothing answers, so nothing can be said to be as the file says.
    const hosts = ['ovs-a', 'ovs-b', 'test-a', 'test-b'];
    for (const host of hosts) await lab.stopSshd(host);
    try {
      const result = await cli(['apply', labFile]);
      assert.equal(result.status, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^no host could be read, so nothing was compared with the lab file$/m);
      assert.doesNotMatch(result.stdout, /as the lab file says/);
    } finally {
      for (const host of hosts) await lab.startSshd(host);
    }
  });

  it('state exits 1 and names the host when one is down, while the others are read', async () => {
    await lab.stopSshd('test-b');
    try {
      const result = await cli(['state', labFile, '--json']);
      assert.equal(result.status, 1);
      const state = JSON.parse(result.stdout);
      assert.equal(state.hosts['test-b'].ok, false);
      assert.match(state.hosts['test-b'].failure.message, /^test-b: jump host ovs-b could not open a connection/);
      assert.equal(state.hosts['ovs-a'].ok, true);
    } finally {
      await lab.startSshd('test-b');
    }
  });
});
