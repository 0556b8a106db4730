import { strict as assert } from 'node:assert';
import { labDrift } from '../../../src/compare/drift';
import type { DriftItem, HostReading, HostState } from '../../../src/hosts/types';
import { loadLabText } from '../../../src/lab/load';
import type { Lab } from '../../../src/lab/types';
import type { HostLive } from '../../../src/session/liveLabs';
import { hostPhase } from '../../../src/session/hostPhase';
import { buildLabTree, diffTrees, driftBadge, driftSentence, formatBytes, indexTree, type TreeNodeModel } from '../../../src/views/liveTreeModel';
import { blankStates, configuredStates, demoLab, failed, iface, labState, link, ok, testHost } from './hostStates';

const PASSED = 'testing.iconPassed';
const WARNING = 'problemsWarningIcon.foreground';
const ERROR = 'errorForeground';
const DISABLED = 'disabledForeground';

function readingsOf(states: Record<string, HostState>): Record<string, HostReading> {
  return Object.fromEntries(Object.entries(states).map(([host, state]) => [host, ok(state)]));
}

/** The tree with drift worked out by the real drift checks, as readLabState does. */
function treeOf(lab: Lab, readings: Record<string, HostReading>, hosts: Record<string, HostLive> = {}): TreeNodeModel[] {
  const states = Object.fromEntries(Object.entries(readings).flatMap(([host, reading]) => (reading.ok ? [[host, reading.state]] : [])));
  return buildLabTree(lab, labState(lab, readings, labDrift(lab, states)), hosts);
}

function find(nodes: readonly TreeNodeModel[], id: string): TreeNodeModel {
  const entry = indexTree(nodes).get(id);
  assert.ok(entry, `no node ${id}; have ${[...indexTree(nodes).keys()].join(', ')}`);
  return entry.node;
}

function flags(node: TreeNodeModel): string[] {
  return node.contextValue.split(' ').slice(1);
}

describe('the live tree of a lab', () => {
  describe('configured hosts', () => {
    const lab = demoLab();
    const tree = treeOf(lab, readingsOf(configuredStates()), { 'ovs-a': { connection: 'connected', reading: false } });

    it('lists the hosts in file order, then the segments', () => {
      assert.deepEqual(
        tree.map((node) => node.label),
        ['ovs-a', 'ovs-b', 'test-a', 'test-b', 'Segments'],
      );
    });

    it('shows a reachable host green, with its address, jump host and OVS version', () => {
      const ovsA = find(tree, 'host:ovs-a');
      assert.deepEqual(ovsA.icon, { id: 'vm-running', color: PASSED });
      assert.equal(ovsA.description, 'root@10.213.0.11 · OVS 3.1.0');
      assert.equal(find(tree, 'host:test-a').description, 'root@10.213.1.2 via ovs-a · no OVS');
      assert.equal(ovsA.contextValue, 'overlayLab.host connected source address');
      assert.deepEqual(flags(find(tree, 'host:ovs-b')), ['disconnected', 'source', 'address']);
      assert.match(ovsA.tooltip, /Debian GNU\/Linux 12 \\\(bookworm\\\)/);
    });

    it('shows bridges with kind, datapath and address, then the interfaces', () => {
      const ovsA = find(tree, 'host:ovs-a');
      assert.deepEqual(
        ovsA.children.map((node) => `${node.kind} ${node.label}`),
        ['bridge br-phy', 'bridge br0', 'interface eth0', 'interface eth2'],
      );
      const br0 = find(tree, 'host:ovs-a/bridge:br0');
      assert.equal(br0.description, 'ovs · netdev · 10.213.50.1/24');
      assert.deepEqual(br0.icon, { id: 'type-hierarchy-sub', color: PASSED });
      assert.equal(br0.mac, '02:00:00:00:01:50');
      assert.deepEqual(br0.addresses, ['10.213.50.1/24']);
      assert.deepEqual(br0.range, lab.hosts[0].bridges[1].range);
    });

    it('shows ports by type, the tunnel with its remote and VNI, and its traffic in the tooltip', () => {
      const br0 = find(tree, 'host:ovs-a/bridge:br0');
      assert.deepEqual(
        br0.children.map((port) => [port.label, port.icon.id]),
        [
          ['eth2', 'plug'],
          ['vx0', 'arrow-swap'],
        ],
      );
      const vx0 = find(tree, 'host:ovs-a/bridge:br0/port:vx0');
      assert.equal(vx0.description, 'vxlan → 10.213.100.2 · vni 0');
      assert.equal(vx0.icon.color, PASSED);
      assert.match(vx0.tooltip, /Options: remote\\_ip=10\\\.213\\\.100\\\.2/);
      assert.match(vx0.tooltip, /RX 12 packets, 1\.1 KiB · TX 13 packets, 1\.2 KiB/);
      assert.match(vx0.tooltip, /OpenFlow port: 3/);
    });

    it('shows an interface with its addresses; copy and reveal flags follow what a node carries', () => {
      const eth2 = find(tree, 'host:test-a/interface:eth2');
      assert.equal(eth2.description, '10.213.50.11/24');
      assert.deepEqual(flags(eth2), ['source', 'address', 'mac']);
      assert.deepEqual(flags(find(tree, 'host:ovs-a/bridge:br0/port:vx0')), ['source']);
    });

    it('shows each segment with its members live state', () => {
      const segments = find(tree, 'segments');
      assert.deepEqual(
        segments.children.map((segment) => [segment.label, segment.description]),
        [
          ['cn-a', 'provider private network (site A) · 2/2 up'],
          ['cn-b', 'provider private network (site B) · 2/2 up'],
          ['wan', 'underlay · 2/2 up'],
        ],
      );
      const member = find(tree, 'segments/cn-a/member:test-a:eth2');
      assert.equal(member.label, 'test-a:eth2');
      assert.equal(member.description, '10.213.50.11/24');
      assert.deepEqual(member.icon, { id: 'plug', color: PASSED });
      assert.equal(member.host, 'test-a');
    });

    it('has no Drift group and no drift badge', () => {
      for (const [id, { node }] of indexTree(tree)) {
        assert.ok(!id.endsWith('/drift'), id);
        assert.ok(!node.description?.includes('⚠'), `${id}: ${node.description}`);
      }
    });
  });

  describe('blank hosts', () => {
    const lab = demoLab();
    const tree = treeOf(lab, readingsOf(blankStates()));

    it('shows every declared bridge and port, marked missing, with the drift on it', () => {
      const br0 = find(tree, 'host:ovs-a/bridge:br0');
      assert.match(br0.description ?? '', /^ovs · netdev · 10\.213\.50\.1\/24 · missing · ⚠ 2 drifts$/);
      assert.equal(br0.icon.color, WARNING);
      assert.match(br0.tooltip, /Missing: the lab file declares this bridge/);
      assert.match(br0.tooltip, /bridge br0 is missing/);
      const vx0 = find(tree, 'host:ovs-a/bridge:br0/port:vx0');
      assert.equal(vx0.description, 'vxlan → 10.213.100.2 · vni 0 · missing · ⚠ 1 drift');
      assert.equal(vx0.icon.color, WARNING);
    });

    it('counts the host drift on the host, and places every item on a node (no Drift group)', () => {
      const ovsA = find(tree, 'host:ovs-a');
      assert.equal(ovsA.description, 'root@10.213.0.11 · OVS 3.1.0 · ⚠ 7 drifts');
      assert.deepEqual(ovsA.icon, { id: 'vm-running', color: WARNING });
      assert.ok(!ovsA.children.some((node) => node.kind === 'driftGroup'));
    });

    it('says an interface lacks the address the lab gives it', () => {
      const eth2 = find(tree, 'host:test-a/interface:eth2');
      assert.equal(eth2.description, 'no address · ⚠ 1 drift');
      assert.equal(eth2.icon.color, WARNING);
    });
  });

  describe('one host failed', () => {
    const lab = demoLab();
    const message = 'ovs-b: timed out after 10 s connecting to 10.213.0.12:22. The host is down, or a firewall drops SSH.';
    const readings = { ...readingsOf(configuredStates()), 'ovs-b': failed('ovs-b', 'timeout', message) };
    const tree = treeOf(lab, readings);

    it('shows it unreachable in red, with the error first under it and a retry flag', () => {
      const ovsB = find(tree, 'host:ovs-b');
      assert.deepEqual(ovsB.icon, { id: 'vm-outline', color: ERROR });
      assert.equal(ovsB.description, 'root@10.213.0.12 · unreachable');
      assert.ok(flags(ovsB).includes('failed'));
      assert.match(ovsB.tooltip, /\*\*Unreachable:\*\* ovs\\-b: timed out after 10 s/);
      assert.match(ovsB.tooltip, /\*\*Retry\*\*/);
      const error = ovsB.children[0];
      assert.equal(error.kind, 'hostError');
      assert.equal(error.label, 'timed out after 10 s connecting to 10.213.0.12:22. The host is down, or a firewall drops SSH.');
      assert.equal(error.contextValue, 'overlayLab.hostError failed');
      assert.equal(error.host, 'ovs-b');
    });

    it('still shows what the lab declares on it, uncoloured (not known)', () => {
      const br0 = find(tree, 'host:ovs-b/bridge:br0');
      assert.equal(br0.description, 'ovs · netdev · 10.213.50.2/24');
      assert.equal(br0.icon.color, undefined);
      assert.match(br0.tooltip, /Not read/);
    });

    it('leaves the other hosts alone, and marks its segment members', () => {
      assert.deepEqual(find(tree, 'host:ovs-a').icon, { id: 'vm-running', color: PASSED });
      const member = find(tree, 'segments/cn-b/member:ovs-b:eth2');
      assert.equal(member.description, 'host unreachable');
      assert.equal(member.icon.color, DISABLED);
      assert.equal(find(tree, 'segments/cn-b').description, 'provider private network (site B) · 1/2 up');
    });

    it('shows a read failure that is not a connection failure as a warning', () => {
      const sudo = failed('ovs-b', 'probe-failed', 'ovs-b: sudo asks for a password');
      const ovsB = find(treeOf(lab, { ...readings, 'ovs-b': sudo }), 'host:ovs-b');
      assert.deepEqual(ovsB.icon, { id: 'warning', color: WARNING });
      assert.equal(ovsB.description, 'root@10.213.0.12 · could not read');
      assert.match(ovsB.children[0].tooltip, /sudo: true/);
    });
  });

  describe('before and while reading', () => {
    const lab = demoLab();

    it('shows the lab model, unread, before the first reading', () => {
      const tree = buildLabTree(lab, undefined);
      const ovsA = find(tree, 'host:ovs-a');
      assert.deepEqual(ovsA.icon, { id: 'vm-outline' });
      assert.equal(ovsA.description, 'root@10.213.0.11');
      assert.match(ovsA.tooltip, /Not read yet/);
      assert.equal(find(tree, 'host:ovs-a/bridge:br0/port:vx0').description, 'vxlan → 10.213.100.2 · vni 0');
      assert.equal(find(tree, 'segments/wan').description, 'underlay');
    });

    it('spins while connecting or reading, and keeps the last reading under it', () => {
      const readings = readingsOf(configuredStates());
      const tree = treeOf(lab, readings, { 'ovs-a': { connection: 'connected', reading: true }, 'ovs-b': { connection: 'connecting', reading: false } });
      assert.deepEqual(find(tree, 'host:ovs-a').icon, { id: 'loading~spin' });
      assert.match(find(tree, 'host:ovs-a').description ?? '', /reading…$/);
      assert.deepEqual(find(tree, 'host:ovs-b').icon, { id: 'loading~spin' });
      assert.deepEqual(flags(find(tree, 'host:ovs-b')), ['connecting', 'source', 'address']);
      assert.equal(find(tree, 'host:ovs-a/bridge:br0').description, 'ovs · netdev · 10.213.50.1/24');
    });

    it('does not call items missing when the host could not list them', () => {
      const state = { ...configuredStates()['ovs-a'], bridgesKnown: false, bridges: [] };
      const tree = buildLabTree(lab, labState(lab, { 'ovs-a': ok(state) }));
      const br0 = find(tree, 'host:ovs-a/bridge:br0');
      assert.ok(!br0.description?.includes('missing'));
      assert.match(br0.tooltip, /Not read/);
    });

    it('names the phase of a host', () => {
      assert.equal(hostPhase(undefined, undefined), 'unknown');
      assert.equal(hostPhase(failed('a', 'authentication', 'x'), { connection: 'failed', reading: false }), 'unreachable');
      assert.equal(hostPhase(failed('a', 'probe-timeout', 'x'), undefined), 'readError');
      assert.equal(hostPhase(failed('a', 'probe-timeout', 'x'), { connection: 'idle', reading: true }), 'reading');
    });
  });

  describe('drift and what the lab does not declare', () => {
    const lab = demoLab();

    it('puts drift that fits no shown node under the host, in a Drift group', () => {
      const item: DriftItem = { subject: { host: 'ovs-a', kind: 'host', name: 'ovs-a' }, status: 'missing', message: 'ovs-vswitchd is not running', range: lab.hosts[0].bridges[0].range };
      const tree = buildLabTree(lab, labState(lab, readingsOf(configuredStates()), [item]));
      const group = find(tree, 'host:ovs-a/drift');
      assert.equal(group.label, 'Drift');
      assert.equal(group.collapsible, 'expanded');
      assert.deepEqual(
        group.children.map((node) => [node.label, node.revealOnClick, flags(node)]),
        [['ovs-vswitchd is not running', true, ['source']]],
      );
      assert.equal(find(tree, 'host:ovs-a').description, 'root@10.213.0.11 · OVS 3.1.0 · ⚠ 1 drift');
    });

    it('places address drift on the interface or bridge that holds it', () => {
      const onBridge: DriftItem = { subject: { host: 'ovs-a', kind: 'address', name: 'br0' }, status: 'different', message: 'br0 holds 10.0.0.1/24; the lab says 10.213.50.1/24' };
      const onPort: DriftItem = { subject: { host: 'ovs-a', kind: 'port', name: 'vx0', bridge: 'br0' }, status: 'different', message: 'vx0 has remote_ip 10.0.0.9' };
      const tree = buildLabTree(lab, labState(lab, readingsOf(configuredStates()), [onBridge, onPort]));
      assert.match(find(tree, 'host:ovs-a/bridge:br0').description ?? '', /⚠ 1 drift$/);
      assert.match(find(tree, 'host:ovs-a/bridge:br0/port:vx0').description ?? '', /⚠ 1 drift$/);
    });

    it('shows bridges and ports the lab does not declare, dimmed', () => {
      const state = configuredStates()['ovs-a'];
      state.bridges.push({ name: 'br-old', datapathType: 'system', otherConfig: {}, ports: [{ name: 'br-old', interfaces: [iface('br-old', 'internal')] }, { name: 'p1', interfaces: [iface('p1', 'patch', { options: { peer: 'p2' } })] }] });
      state.links.push(link('docker0', { kind: 'bridge', addresses: [] }));
      const tree = buildLabTree(lab, labState(lab, { 'ovs-a': ok(state) }));
      const old = find(tree, 'host:ovs-a/bridge:br-old');
      assert.equal(old.description, 'ovs · system · not in the lab file');
      assert.equal(old.icon.color, DISABLED);
      assert.deepEqual(
        old.children.map((port) => [port.label, port.icon.id, port.description]),
        [['p1', 'link', 'patch → p2 · not in the lab file']],
      );
      assert.equal(find(tree, 'host:ovs-a/bridge:docker0').description, 'linux · not in the lab file');
    });

    it('colours ports by state: down red, admin down grey', () => {
      const state = configuredStates()['ovs-a'];
      const br0 = state.bridges.find((bridge) => bridge.name === 'br0')!;
      br0.ports[1].interfaces[0].linkState = 'down';
      br0.ports[2].interfaces[0].adminState = 'down';
      const tree = buildLabTree(lab, labState(lab, { 'ovs-a': ok(state) }));
      assert.deepEqual(find(tree, 'host:ovs-a/bridge:br0/port:eth2').icon, { id: 'plug', color: ERROR });
      assert.equal(find(tree, 'host:ovs-a/bridge:br0/port:eth2').description, 'down');
      assert.deepEqual(find(tree, 'host:ovs-a/bridge:br0/port:vx0').icon, { id: 'arrow-swap', color: DISABLED });
    });

    it('shows the device that holds the underlay address when the lab does not name it', () => {
      const text = `version: 1
name: u
hosts:
  a:
    interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }
    bridges: { br0: { ports: [{ name: vx0, type: vxlan, remote: b }] } }
  b:
    interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }
    bridges: { br0: { ports: [{ name: vx0, type: vxlan, remote: a }] } }
`;
      const custom = loadLabText(text, '/ws/u.lab.yaml').lab;
      assert.ok(custom);
      const state = testHost('test-a', false);
      state.host = 'a';
      state.links.push(link('ens3', { addresses: [{ cidr: '10.0.0.1/24', family: 'inet', scope: 'global' }] }));
      const tree = buildLabTree(custom, labState(custom, { a: ok(state) }));
      const names = find(tree, 'host:a').children.map((node) => node.label);
      // eth0 is declared (and missing here); ens3 holds the tunnel's local address.
      assert.deepEqual(names, ['br0', 'eth0', 'ens3']);
      assert.match(find(tree, 'host:a/interface:ens3').tooltip, /underlay address/);
    });
  });

  describe('tree changes', () => {
    const lab = demoLab();
    const before = treeOf(lab, readingsOf(configuredStates()));

    it('finds nothing changed between equal trees', () => {
      assert.deepEqual(diffTrees(before, treeOf(lab, readingsOf(configuredStates()))), { top: false, changed: [] });
    });

    it('names only the highest nodes that changed: one host reading touches that host (and its segment members)', () => {
      const states = configuredStates();
      states['test-b'].links[1].operState = 'DOWN';
      const diff = diffTrees(before, treeOf(lab, readingsOf(states)));
      assert.deepEqual(diff, { top: false, changed: ['host:test-b/interface:eth2', 'segments/cn-b'] });
    });

    it('re-renders a host whose children came or went', () => {
      const readings = { ...readingsOf(configuredStates()), 'ovs-b': failed('ovs-b', 'timeout', 'ovs-b: timed out') };
      assert.deepEqual(diffTrees(before, treeOf(lab, readings)).changed.slice(0, 1), ['host:ovs-b']);
    });

    it('says so when the top-level list changes', () => {
      assert.equal(diffTrees(before, before.slice(1)).top, true);
    });
  });

  it('words drift, bytes and badges', () => {
    assert.equal(driftBadge(0), undefined);
    assert.equal(driftBadge(1), '⚠ 1 drift');
    assert.equal(driftBadge(2), '⚠ 2 drifts');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MiB');
    const item = (host: string, message: string): DriftItem => ({ subject: { host, kind: 'bridge', name: 'br0' }, status: 'missing', message });
    assert.equal(driftSentence(item('ovs-a', 'bridge br0 is missing')), 'ovs-a: bridge br0 is missing');
    assert.equal(driftSentence(item('ovs-a', 'vx0 on ovs-a points at itself')), 'vx0 on ovs-a points at itself');
    assert.equal(driftSentence(item('a', 'bridge br0 is missing on a-b')), 'a: bridge br0 is missing on a-b');
  });
});

describe('doctor findings on the live tree', () => {
  const lab = demoLab();
  const readings = Object.fromEntries(Object.entries(configuredStates()).map(([host, state]) => [host, ok(state)]));
  const vx0 = lab.tunnels.find((t) => t.host === 'ovs-b' && t.port === 'vx0');

  it('groups a host’s findings under it, worst first in colour, each revealing its line', () => {
    const tree = buildLabTree(lab, labState(lab, readings), {}, [
      { id: 'tunnel-vni-mismatch', check: 'tunnel-symmetry', severity: 'error', host: 'ovs-b', hosts: ['ovs-b', 'ovs-a'], subject: { kind: 'port', name: 'vx0', bridge: 'br0' }, message: 'vx0 on ovs-b uses VNI 99 but its peer uses 0.', fix: 'set key 0', range: vx0?.range },
      { id: 'log-tunnel-port-not-found', check: 'vswitchd-log', severity: 'warning', host: 'ovs-b', hosts: ['ovs-b'], message: 'ovs-vswitchd logged "receive tunnel port not found" 3 times.' },
    ]);
    const group = indexTree(tree).get('host:ovs-b/doctor')?.node;
    assert.ok(group, 'ovs-b has a Doctor group');
    assert.equal(group.description, '2');
    assert.deepEqual(group.icon, { id: 'error', color: 'errorForeground' });
    assert.deepEqual(group.children.map((child) => child.label), ['br0/vx0: vx0 on ovs-b uses VNI 99 but its peer uses 0.', 'ovs-vswitchd logged "receive tunnel port not found" 3 times.']);
    assert.deepEqual(group.children[0].range, vx0?.range);
    assert.equal(indexTree(tree).get('host:ovs-a/doctor'), undefined, 'a host without findings has no group');
  });
});
