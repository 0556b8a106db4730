import { strict as assert } from 'node:assert';
import { desiredHost } from '../../../src/compare/desired';
import { changeCount, planDestroy, planHost } from '../../../src/apply/plan';
import { shellCommand } from '../../../src/util/shell';
import { copy, demoLab, loadCleanLab, recordedState } from '../hosts/fixtures';

// Plans on states recorded from the real test lab (test/fixtures/hosts).
const commands = (plan: ReturnType<typeof planHost>) => plan.steps.map((step) => shellCommand(step.argv));

describe('plan', () => {
  const lab = demoLab();

  it('builds a blank OVS host in one OVS transaction, then links and addresses', () => {
    const plan = planHost(desiredHost(lab, 'ovs-a'), recordedState('blank-ovs-a'));
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(commands(plan), [
      'ovs-vsctl --timeout=30 -- --may-exist add-br br-phy -- set bridge br-phy datapath_type=netdev -- --may-exist add-port br-phy eth0 -- --may-exist add-br br0 -- set bridge br0 datapath_type=netdev -- --may-exist add-port br0 eth2 -- --may-exist add-port br0 vx0 -- set interface vx0 type=vxlan options:remote_ip=10.213.100.2',
      'ip link set dev br-phy up',
      'ip link set dev br0 up',
      'ip addr replace 10.213.100.1/24 dev br-phy',
      'ip addr replace 10.213.50.1/24 dev br0',
    ]);
    assert.equal(changeCount(plan), 9);
  });

  it('has nothing to do on hosts recorded as configured', () => {
    for (const host of ['ovs-a', 'ovs-b', 'test-a', 'test-b']) {
      const plan = planHost(desiredHost(lab, host), recordedState(`configured-${host}`));
      assert.deepEqual({ host, steps: plan.steps, problems: plan.problems }, { host, steps: [], problems: [] });
    }
  });

  it('changes only what drifted: a tunnel option and a lost address', () => {
    const state = copy(recordedState('configured-ovs-a'));
    const vx0 = state.bridges.find((b) => b.name === 'br0')?.ports.find((p) => p.name === 'vx0')?.interfaces[0];
    assert.ok(vx0);
    vx0.options.remote_ip = '10.213.100.9';
    const br0 = state.links.find((l) => l.name === 'br0');
    assert.ok(br0);
    br0.addresses = [];
    const plan = planHost(desiredHost(lab, 'ovs-a'), state);
    assert.deepEqual(commands(plan), ['ovs-vsctl --timeout=30 -- set interface vx0 options:remote_ip=10.213.100.2', 'ip addr replace 10.213.50.1/24 dev br0']);
    assert.deepEqual(plan.steps[0].changes, ['set remote_ip of vx0 to 10.213.100.2 (is 10.213.100.9)']);
  });

  it('flushes an address left on an interface a bridge takes over', () => {
    const state = copy(recordedState('blank-ovs-a'));
    const eth2 = state.links.find((l) => l.name === 'eth2');
    assert.ok(eth2);
    eth2.addresses.push({ cidr: '192.168.1.1/24', family: 'inet', scope: 'global' });
    const plan = planHost(desiredHost(lab, 'ovs-a'), state);
    assert.ok(commands(plan).includes('ip addr del 192.168.1.1/24 dev eth2'));
  });

  it('refuses to plan OVS bridges where Open vSwitch is stopped or missing, saying what to do', () => {
    const stopped = planHost(desiredHost(lab, 'ovs-b'), recordedState('vswitchd-stopped-ovs-b'));
    assert.deepEqual(stopped.steps.filter((s) => s.argv[0] === 'ovs-vsctl'), []);
    assert.match(stopped.problems[0], /^ovs-b: Open vSwitch is not running, and the lab puts OVS bridges on it\. Start it/);
  });

  it('reports an interface the host does not have instead of planning around it', () => {
    const withTypo = demoLab((text) => text.replace('          - eth2\n          - { name: vx0, type: vxlan, remote: ovs-b }', '          - eth9\n          - { name: vx0, type: vxlan, remote: ovs-b }').replace('      eth2: {}\n    bridges:\n      br-phy:\n        kind: ovs\n        datapath: netdev\n        address: 10.213.100.1/24', '      eth9: {}\n    bridges:\n      br-phy:\n        kind: ovs\n        datapath: netdev\n        address: 10.213.100.1/24').replace('ovs-a:eth2', 'ovs-a:eth9'));
    const plan = planHost(desiredHost(withTypo, 'ovs-a'), recordedState('blank-ovs-a'));
    assert.match(plan.problems.join('\n'), /ovs-a: interface eth9 does not exist, so bridge br0 cannot take it as a port/);
  });

  it('plans a Linux bridge with a kernel VXLAN device, and nothing once it is there', () => {
    const linuxLab = loadCleanLab(
      [
        'version: 1',
        'name: lb',
        'hosts:',
        '  test-a:',
        '    interfaces:',
        '      eth2: { address: 10.213.50.11/24, underlay: true }',
        '    bridges:',
        '      br1:',
        '        kind: linux',
        '        address: 10.213.60.11/24',
        '        ports: [{ name: vxk0, type: vxlan, remote: test-b, vni: 42 }]',
        '  test-b:',
        '    interfaces:',
        '      eth2: { address: 10.213.50.12/24, underlay: true }',
        '    bridges:',
        '      br1:',
        '        kind: linux',
        '        address: 10.213.60.12/24',
        '        ports: [{ name: vxk0, type: vxlan, remote: test-a, vni: 42 }]',
        '',
      ].join('\n'),
    );
    const blank = planHost(desiredHost(linuxLab, 'test-a'), recordedState('configured-test-a'));
    assert.deepEqual(commands(blank), [
      'ip link add name br1 type bridge',
      'ip link add name vxk0 type vxlan id 42 remote 10.213.50.12 local 10.213.50.11 dstport 4789',
      'ip link set dev vxk0 master br1',
      'ip link set dev br1 up',
      'ip link set dev vxk0 up',
      'ip addr replace 10.213.60.11/24 dev br1',
    ]);
    const done = planHost(desiredHost(linuxLab, 'test-a'), recordedState('linux-bridge-test-a'));
    assert.deepEqual(commands(done), []);
    // A device changed by hand is replaced, and the new one brought up: it comes back down.
    const changed = recordedState('linux-bridge-test-a');
    const vxk0 = changed.links.find((l) => l.name === 'vxk0');
    assert.ok(vxk0?.tunnel && vxk0.up);
    vxk0.tunnel.id = 99;
    assert.deepEqual(commands(planHost(desiredHost(linuxLab, 'test-a'), changed)), ['ip link del dev vxk0', 'ip link add name vxk0 type vxlan id 42 remote 10.213.50.12 local 10.213.50.11 dstport 4789', 'ip link set dev vxk0 master br1', 'ip link set dev vxk0 up']);
  });

  it('destroys only the declared bridges and addresses that exist', () => {
    assert.deepEqual(commands(planDestroy(desiredHost(lab, 'ovs-a'), recordedState('configured-ovs-a'))), ['ovs-vsctl --timeout=30 -- --if-exists del-br br-phy -- --if-exists del-br br0']);
    assert.deepEqual(commands(planDestroy(desiredHost(lab, 'test-a'), recordedState('configured-test-a'))), ['ip addr del 10.213.50.11/24 dev eth2']);
    assert.deepEqual(commands(planDestroy(desiredHost(lab, 'ovs-a'), recordedState('blank-ovs-a'))), []);
  });
});
