import { strict as assert } from 'node:assert';
import { hostDrift, labDrift } from '../../../src/compare/drift';
import type { DriftItem, HostState, OvsBridge } from '../../../src/hosts/types';
import { compareLabHost } from '../../../src/compare/compareHost';
import type { Lab } from '../../../src/lab/types';
import { copy, demoLab, demoStates, loadCleanLab, recordedState } from '../hosts/fixtures';

/** `host status message`, the part of an item a reader sees. */
const lines = (items: DriftItem[]) => items.map((d) => `${d.subject.host} ${d.status} ${d.message}`);

function ovsBridge(state: HostState, name: string): OvsBridge {
  const bridge = state.bridges.find((b) => b.name === name);
  assert.ok(bridge, `no bridge ${name}`);
  return bridge;
}

function iface(state: HostState, bridge: string, port: string) {
  const found = ovsBridge(state, bridge).ports.find((p) => p.name === port)?.interfaces[0];
  assert.ok(found, `no port ${port} on ${bridge}`);
  return found;
}

function link(state: HostState, name: string) {
  const found = state.links.find((l) => l.name === name);
  assert.ok(found, `no link ${name}`);
  return found;
}

describe('drift against the demo lab', () => {
  let lab: Lab;
  before(() => {
    lab = demoLab();
  });

  it('reports every declared bridge, port and address of a blank lab as missing, in file order', () => {
    const drift = labDrift(lab, demoStates('blank'));
    assert.deepEqual(lines(drift), [
      'ovs-a missing bridge br-phy is missing',
      'ovs-a missing address 10.213.100.1/24 is missing on br-phy',
      'ovs-a missing port eth0 is missing from bridge br-phy',
      'ovs-a missing bridge br0 is missing',
      'ovs-a missing address 10.213.50.1/24 is missing on br0',
      'ovs-a missing port eth2 is missing from bridge br0',
      'ovs-a missing port vx0 is missing from bridge br0',
      'ovs-b missing bridge br-phy is missing',
      'ovs-b missing address 10.213.100.2/24 is missing on br-phy',
      'ovs-b missing port eth0 is missing from bridge br-phy',
      'ovs-b missing bridge br0 is missing',
      'ovs-b missing address 10.213.50.2/24 is missing on br0',
      'ovs-b missing port eth2 is missing from bridge br0',
      'ovs-b missing port vx0 is missing from bridge br0',
      'test-a missing address 10.213.50.11/24 is missing on eth2',
      'test-b missing address 10.213.50.12/24 is missing on eth2',
    ]);
    // Each item points at its declaration and names its place in the tree.
    const vx0 = drift.find((d) => d.subject.host === 'ovs-a' && d.subject.name === 'vx0')!;
    assert.deepEqual(vx0.subject, { host: 'ovs-a', kind: 'port', name: 'vx0', bridge: 'br0' });
    assert.deepEqual(vx0.range, lab.hosts[0].bridges[1].ports[1].range);
    assert.equal(vx0.range?.line, 34);
    const address = drift.find((d) => d.subject.host === 'test-a')!;
    assert.deepEqual(address.subject, { host: 'test-a', kind: 'address', name: 'eth2' });
    assert.equal(address.range?.line, 57);
  });

  it('finds no drift in the lab configured as declared', () => {
    assert.deepEqual(lines(labDrift(lab, demoStates('configured'))), []);
  });

  it('reports exactly what was taken away or changed in a partly drifted lab', () => {
    const states = copy(demoStates('configured'));
    const br0b = ovsBridge(states['ovs-b'], 'br0');
    br0b.ports = br0b.ports.filter((p) => p.name !== 'vx0');
    iface(states['ovs-a'], 'br0', 'vx0').options.remote_ip = '10.213.100.9';
    link(states['test-a'], 'eth2').addresses = [];

    const drift = labDrift(lab, states);
    assert.deepEqual(lines(drift), [
      'ovs-a different vx0 has remote_ip 10.213.100.9; the lab says 10.213.100.2',
      'ovs-b missing port vx0 is missing from bridge br0',
      'test-a missing address 10.213.50.11/24 is missing on eth2',
    ]);
    const remote = drift[0];
    assert.deepEqual({ expected: remote.expected, actual: remote.actual }, { expected: '10.213.100.2', actual: '10.213.100.9' });
    // The remote's difference points at the `remote` value, not only at the port.
    assert.deepEqual(remote.range, lab.hosts[0].bridges[1].ports[1].fieldRanges?.remote);
  });

  it('reports nothing for a host that could not be read', () => {
    const { 'ovs-b': _unreachable, ...others } = demoStates('blank');
    const drift = labDrift(lab, others);
    assert.equal(drift.filter((d) => d.subject.host === 'ovs-b').length, 0);
    assert.equal(drift.filter((d) => d.subject.host === 'ovs-a').length, 7);
  });

  describe('Open vSwitch itself', () => {
    it('puts a stopped ovs-vswitchd first, and finds the bridges still configured', () => {
      const drift = hostDrift(lab, lab.hosts[1], recordedState('vswitchd-stopped-ovs-b'));
      assert.deepEqual(lines(drift), [
        'ovs-b missing ovs-vswitchd is not running on ovs-b: bridges are configured but forward nothing; start it with systemctl start openvswitch-switch',
      ]);
      assert.deepEqual(drift[0].subject, { host: 'ovs-b', kind: 'host', name: 'ovs-b' });
    });

    it('says Open vSwitch is not running when neither daemon runs, and does not guess at its bridges', () => {
      assert.deepEqual(lines(hostDrift(lab, lab.hosts[1], recordedState('ovs-stopped-ovs-b'))), [
        'ovs-b missing Open vSwitch is installed on ovs-b but not running (neither ovsdb-server nor ovs-vswitchd); start it with systemctl start openvswitch-switch',
      ]);
    });

    it('says Open vSwitch is missing where the lab declares OVS bridges', () => {
      const state = copy(recordedState('blank-ovs-a'));
      state.ovs = { state: 'missing', message: 'Open vSwitch is not installed on ovs-a' };
      state.bridgesKnown = false;
      state.bridges = [];
      assert.deepEqual(lines(hostDrift(lab, lab.hosts[0], state)), [
        'ovs-a missing Open vSwitch is not installed on ovs-a, where the lab declares OVS bridges br-phy and br0',
        'ovs-a missing address 10.213.100.1/24 is missing on br-phy',
        'ovs-a missing address 10.213.50.1/24 is missing on br0',
      ]);
    });

    it('says OVS it could not read is unknown, never as declared, yet still checks the kernel', () => {
      const state = recordedState('ovs-vsctl-not-found-ovs-a');
      assert.equal(state.ovs.state, 'unreadable');
      const unknown = 'ovs-a unknown Open vSwitch runs on ovs-a (ovsdb-server and ovs-vswitchd running), but ovs-vsctl is not on the PATH, so its bridges cannot be read';
      assert.deepEqual(lines(hostDrift(lab, lab.hosts[0], state)), [unknown]);
      const moved = copy(state);
      link(moved, 'br0').addresses = [];
      assert.deepEqual(lines(hostDrift(lab, lab.hosts[0], moved)), [unknown, 'ovs-a missing address 10.213.50.1/24 is missing on br0']);
    });

    it('says nothing about OVS on hosts that declare no OVS bridge', () => {
      assert.deepEqual(lines(hostDrift(lab, lab.hosts[2], recordedState('configured-test-a'))), []);
    });
  });

  describe('ports and tunnel options, as OVS stores them', () => {
    let states: Record<string, HostState>;
    const driftOfA = () => lines(hostDrift(lab, lab.hosts[0], states['ovs-a']));
    beforeEach(() => {
      states = copy(demoStates('configured'));
    });

    it('reads no key as key 0 and no dst_port as 4789, and reports other values', () => {
      const vx0 = iface(states['ovs-a'], 'br0', 'vx0');
      vx0.options.key = '0';
      vx0.options.dst_port = '4789';
      assert.deepEqual(driftOfA(), []);
      vx0.options.key = '5';
      vx0.options.dst_port = '4790';
      assert.deepEqual(driftOfA(), ['ovs-a different vx0 has key 5; the lab says 0', 'ovs-a different vx0 has dst_port 4790; the lab says 4789']);
      vx0.options.key = 'flow';
      delete vx0.options.dst_port;
      assert.deepEqual(driftOfA(), ['ovs-a different vx0 has key flow; the lab says 0']);
    });

    it('reports a missing remote_ip, and compares local_ip only when the lab gives one', () => {
      const vx0 = iface(states['ovs-a'], 'br0', 'vx0');
      delete vx0.options.remote_ip;
      vx0.options.local_ip = '10.213.100.7';
      assert.deepEqual(driftOfA(), ['ovs-a different vx0 has no remote_ip; the lab says 10.213.100.2']);
    });

    it('reports a tunnel of another type once, without comparing options that mean something else', () => {
      const vx0 = iface(states['ovs-a'], 'br0', 'vx0');
      vx0.type = 'geneve';
      vx0.options = { remote_ip: '10.213.100.9' };
      assert.deepEqual(driftOfA(), ['ovs-a different vx0 is a geneve port; the lab says vxlan']);
    });

    it('reports a port on another bridge, a VLAN tag, a datapath and an error OVS reports', () => {
      const a = states['ovs-a'];
      const eth2 = ovsBridge(a, 'br0').ports.find((p) => p.name === 'eth2')!;
      ovsBridge(a, 'br0').ports = ovsBridge(a, 'br0').ports.filter((p) => p !== eth2);
      ovsBridge(a, 'br-phy').ports.push(eth2);
      const br0 = ovsBridge(a, 'br0');
      br0.datapathType = 'system';
      const vx0 = br0.ports.find((p) => p.name === 'vx0')!;
      vx0.tag = 10;
      vx0.interfaces[0].error = 'could not add network device vx0 to ofproto (Address family not supported by protocol)';
      assert.deepEqual(driftOfA(), [
        'ovs-a different bridge br0 has datapath system; the lab says netdev',
        'ovs-a different port eth2 is on bridge br-phy; the lab says br0',
        'ovs-a different vx0 has VLAN tag 10; the lab says none',
        'ovs-a different vx0 on bridge br0 has an error: could not add network device vx0 to ofproto (Address family not supported by protocol)',
      ]);
    });

    it('does not count bridges the lab does not declare, but shows them as undeclared', () => {
      const a = states['ovs-a'];
      a.bridges.push({ name: 'br-extra', datapathType: 'netdev', ports: [], otherConfig: {} });
      assert.deepEqual(driftOfA(), []);
      const bridges = (host: string, state: HostState) => compareLabHost(lab, host, state).undeclared.filter((u) => u.kind.endsWith('bridge'));
      assert.deepEqual(bridges('ovs-a', a), [{ name: 'br-extra', kind: 'ovs-bridge' }]);
      assert.deepEqual(bridges('test-a', recordedState('linux-bridge-test-a')), [{ name: 'br1', kind: 'linux-bridge' }]);
    });
  });

  describe('addresses and MTUs, as the kernel holds them', () => {
    it('reports an address with another prefix length', () => {
      const state = copy(recordedState('configured-test-a'));
      link(state, 'eth2').addresses[0].cidr = '10.213.50.11/16';
      const drift = hostDrift(lab, lab.hosts[2], state);
      assert.deepEqual(lines(drift), ['test-a different eth2 holds 10.213.50.11/16; the lab says 10.213.50.11/24']);
      assert.deepEqual({ expected: drift[0].expected, actual: drift[0].actual }, { expected: '10.213.50.11/24', actual: '10.213.50.11/16' });
    });

    it('says where an address is when it is on another interface, and that a bridge port should hold none', () => {
      const state = copy(recordedState('configured-ovs-a'));
      const underlay = link(state, 'br-phy').addresses.splice(0, 1);
      link(state, 'eth0').addresses.push(...underlay);
      const drift = hostDrift(lab, lab.hosts[0], state);
      assert.deepEqual(lines(drift), [
        'ovs-a different address 10.213.100.1/24 is on eth0; the lab says br-phy',
        'ovs-a unexpected eth0 holds 10.213.100.1/24 but is a port of bridge br-phy, so it should hold no address',
      ]);
      assert.deepEqual(drift[1].subject, { host: 'ovs-a', kind: 'address', name: 'eth0', bridge: 'br-phy' });
    });

    it('reports a missing interface, and an MTU other than declared', () => {
      const mtuLab = demoLab((text) => text.replace('eth2: { address: 10.213.50.11/24 }', 'eth2: { address: 10.213.50.11/24, mtu: 9000 }'));
      const state = recordedState('configured-test-a');
      const drift = hostDrift(mtuLab, mtuLab.hosts[2], state);
      assert.deepEqual(lines(drift), ['test-a different eth2 has MTU 1500; the lab says 9000']);
      assert.equal(drift[0].range?.line, 57);
      const gone = copy(state);
      gone.links = gone.links.filter((l) => l.name !== 'eth2');
      assert.deepEqual(lines(hostDrift(mtuLab, mtuLab.hosts[2], gone)), [
        'test-a missing interface eth2 is missing',
        'test-a missing address 10.213.50.11/24 is missing on eth2',
      ]);
    });
  });
});

describe('drift of a Linux bridge with a kernel VXLAN device', () => {
  const LINUX_LAB = [
    'version: 1',
    'name: linux-overlay',
    'hosts:',
    '  test-a:',
    '    ssh: { host: 10.213.1.2 }',
    '    interfaces:',
    '      eth2: { address: 10.213.50.11/24, underlay: true }',
    '    bridges:',
    '      br1:',
    '        kind: linux',
    '        address: 10.213.60.11/24',
    '        ports:',
    '          - { name: vxk0, type: vxlan, remote: test-b, vni: 42 }',
    '  test-b:',
    '    ssh: { host: 10.213.2.2 }',
    '    interfaces:',
    '      eth2: { address: 10.213.50.12/24, underlay: true }',
    '    bridges:',
    '      br1:',
    '        kind: linux',
    '        address: 10.213.60.12/24',
    '        ports:',
    '          - { name: vxk0, type: vxlan, remote: test-a, vni: 42 }',
    '',
  ].join('\n');
  let lab: Lab;
  let state: HostState;
  const drift = () => lines(hostDrift(lab, lab.hosts[0], state));
  before(() => {
    lab = loadCleanLab(LINUX_LAB);
  });
  beforeEach(() => {
    state = copy(recordedState('linux-bridge-test-a'));
  });

  it('finds the recorded bridge and tunnel as declared', () => {
    assert.deepEqual(drift(), []);
  });

  it('reports the VNI, remote, local address and UDP port of the kernel device', () => {
    const tunnel = link(state, 'vxk0').tunnel!;
    tunnel.id = 43;
    tunnel.remote = '10.213.50.99';
    tunnel.local = undefined;
    tunnel.dstport = 8472;
    assert.deepEqual(drift(), [
      'test-a different vxk0 has VNI 43; the lab says 42',
      'test-a different vxk0 has remote 10.213.50.99; the lab says 10.213.50.12',
      'test-a different vxk0 has no local; the lab says 10.213.50.11',
      'test-a different vxk0 has dstport 8472; the lab says 4789',
    ]);
  });

  it('reports a device that is not enslaved, or of another kind', () => {
    link(state, 'vxk0').master = undefined;
    assert.deepEqual(drift(), ['test-a different vxk0 is not a port of bridge br1']);
    link(state, 'vxk0').kind = 'geneve';
    assert.deepEqual(drift(), ['test-a different vxk0 is not a port of bridge br1', 'test-a different vxk0 is a geneve device; the lab says vxlan']);
    link(state, 'br1').kind = 'dummy';
    assert.equal(drift()[0], 'test-a different br1 is a dummy device, not a Linux bridge');
  });

  it('reports everything missing on the blank host', () => {
    state = recordedState('blank-test-a');
    assert.deepEqual(drift(), [
      'test-a missing address 10.213.50.11/24 is missing on eth2',
      'test-a missing bridge br1 is missing',
      'test-a missing address 10.213.60.11/24 is missing on br1',
      'test-a missing port vxk0 is missing from bridge br1',
    ]);
  });
});
