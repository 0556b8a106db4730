import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labDrift } from '../../../src/compare/drift';
import type { HostReading, HostState } from '../../../src/hosts/types';
import { loadLabText } from '../../../src/lab/load';
import type { Lab } from '../../../src/lab/types';
import { buildGraph, ids } from '../../../src/views/topology/graphModel';
import type { GraphEdge, GraphNode, GraphSnapshot } from '../../../src/webview/protocol';
import { blankStates, configuredStates, DEMO_FILE, demoLab, failed, labState, link, ok } from '../views/hostStates';

const EXAMPLES = join(__dirname, '../../../examples');

function exampleLab(name: string): Lab {
  const file = join(EXAMPLES, name);
  const result = loadLabText(readFileSync(file, 'utf8'), file);
  assert.ok(result.lab, `${name} checks clean`);
  return result.lab;
}

function labFromText(text: string): Lab {
  const result = loadLabText(text, '/tmp/hand.lab.yaml');
  assert.ok(result.lab, result.diagnostics.map((d) => d.message).join('\n'));
  return result.lab;
}

function node(graph: GraphSnapshot, id: string): GraphNode {
  const found = graph.nodes.find((candidate) => candidate.id === id);
  assert.ok(found, `no node ${id}; have ${graph.nodes.map((candidate) => candidate.id).join(', ')}`);
  return found;
}

function edge(graph: GraphSnapshot, id: string): GraphEdge {
  const found = graph.edges.find((candidate) => candidate.id === id);
  assert.ok(found, `no edge ${id}; have ${graph.edges.map((candidate) => candidate.id).join(', ')}`);
  return found;
}

function readingsOf(states: Record<string, HostState>): Record<string, HostReading> {
  return Object.fromEntries(Object.entries(states).map(([host, state]) => [host, ok(state)]));
}

/** The graph with drift worked out by the real drift checks, as readLabState does. */
function graphOf(lab: Lab, readings: Record<string, HostReading>): GraphSnapshot {
  const states = Object.fromEntries(Object.entries(readings).flatMap(([host, reading]) => (reading.ok ? [[host, reading.state]] : [])));
  return buildGraph({ lab, state: labState(lab, readings, labDrift(lab, states)) });
}

/** `id (parent) label` for every node, in order. */
function outline(graph: GraphSnapshot): string[] {
  return graph.nodes.map((n) => `${n.id} (${n.parent ?? '-'}) ${n.label}`);
}

describe('the topology graph', () => {
  describe('the demo lab, not read yet', () => {
    const lab = demoLab();
    const graph = buildGraph({ lab });

    it('has every host, bridge, port, interface and segment, with stable ids and parents', () => {
      assert.deepEqual(outline(graph), [
        'host:ovs-a (-) ovs-a',
        'bridge:ovs-a/br-phy (host:ovs-a) br-phy',
        'port:ovs-a/br-phy/eth0 (bridge:ovs-a/br-phy) eth0',
        'bridge:ovs-a/br0 (host:ovs-a) br0',
        'port:ovs-a/br0/eth2 (bridge:ovs-a/br0) eth2',
        'port:ovs-a/br0/vx0 (bridge:ovs-a/br0) vx0',
        'host:ovs-b (-) ovs-b',
        'bridge:ovs-b/br-phy (host:ovs-b) br-phy',
        'port:ovs-b/br-phy/eth0 (bridge:ovs-b/br-phy) eth0',
        'bridge:ovs-b/br0 (host:ovs-b) br0',
        'port:ovs-b/br0/eth2 (bridge:ovs-b/br0) eth2',
        'port:ovs-b/br0/vx0 (bridge:ovs-b/br0) vx0',
        'host:test-a (-) test-a',
        'iface:test-a/eth2 (host:test-a) eth2',
        'host:test-b (-) test-b',
        'iface:test-b/eth2 (host:test-b) eth2',
        'segment:cn-a (-) cn-a',
        'segment:cn-b (-) cn-b',
        'segment:wan (-) wan',
      ]);
    });

    it('shows an interface that a bridge holds once, as the port', () => {
      // eth0 and eth2 are declared under `interfaces` and are ports of bridges.
      assert.equal(graph.nodes.filter((n) => n.host === 'ovs-a' && n.label === 'eth0').length, 1);
      assert.equal(graph.nodes.some((n) => n.id === 'iface:ovs-a/eth0'), false);
    });

    it('gives labels and details: address, bridge kind and datapath, tunnel peer, segment note', () => {
      assert.equal(node(graph, 'host:ovs-a').detail, 'root@10.213.0.11');
      assert.equal(node(graph, 'bridge:ovs-a/br-phy').detail, 'ovs netdev · 10.213.100.1/24');
      assert.equal(node(graph, 'port:ovs-a/br0/vx0').detail, 'vxlan → ovs-b');
      assert.equal(node(graph, 'iface:test-a/eth2').detail, '10.213.50.11/24');
      assert.equal(node(graph, 'segment:cn-a').detail, 'provider private network (site A)');
    });

    it('marks everything unknown until the hosts are read', () => {
      for (const n of graph.nodes) {
        assert.equal(n.status, 'unknown', n.id);
        assert.ok(n.classes.includes('unknown'), n.id);
        assert.equal(n.classes[0], n.kind, n.id);
      }
    });

    it('flags tunnel ports and the underlay', () => {
      assert.deepEqual(node(graph, 'port:ovs-a/br0/vx0').classes, ['port', 'unknown', 'tunnel', 'vxlan']);
      assert.deepEqual(node(graph, 'bridge:ovs-a/br-phy').classes, ['bridge', 'unknown', 'ovs', 'underlay']);
      assert.deepEqual(node(graph, 'segment:wan').classes, ['segment', 'unknown', 'underlay']);
      assert.deepEqual(node(graph, 'segment:cn-a').classes, ['segment', 'unknown']);
    });

    it('joins each segment to its members', () => {
      assert.deepEqual(
        graph.edges.filter((e) => e.kind === 'member').map((e) => `${e.id}: ${e.source} → ${e.target}`),
        [
          'member:cn-a/ovs-a/eth2: segment:cn-a → port:ovs-a/br0/eth2',
          'member:cn-a/test-a/eth2: segment:cn-a → iface:test-a/eth2',
          'member:cn-b/ovs-b/eth2: segment:cn-b → port:ovs-b/br0/eth2',
          'member:cn-b/test-b/eth2: segment:cn-b → iface:test-b/eth2',
          'member:wan/ovs-a/eth0: segment:wan → port:ovs-a/br-phy/eth0',
          'member:wan/ovs-b/eth0: segment:wan → port:ovs-b/br-phy/eth0',
        ],
      );
      assert.ok(edge(graph, 'member:wan/ovs-a/eth0').classes.includes('underlay'));
    });

    it('draws one tunnel edge for the pair of VXLAN ports, labelled with VNI and underlay addresses, over the WAN', () => {
      const tunnels = graph.edges.filter((e) => e.kind === 'tunnel');
      assert.equal(tunnels.length, 1);
      const tunnel = edge(graph, 'tunnel:ovs-a/vx0~ovs-b/vx0');
      assert.equal(tunnel.source, 'port:ovs-a/br0/vx0');
      assert.equal(tunnel.target, 'port:ovs-b/br0/vx0');
      assert.equal(tunnel.label, 'vni 0 · 10.213.100.1 → 10.213.100.2');
      assert.equal(tunnel.underlay, 'segment:wan');
      assert.deepEqual(tunnel.classes, ['tunnel', 'vxlan', 'unknown']);
      assert.match(tunnel.info.join(' '), /Rides on segment wan/);
    });

    it('captures a port on itself, and an OVS tunnel port on the underlay port with its outer packets', () => {
      assert.deepEqual(node(graph, 'port:ovs-a/br0/eth2').capture, { host: 'ovs-a', iface: 'eth2' });
      assert.deepEqual(node(graph, 'bridge:ovs-a/br0').capture, { host: 'ovs-a', iface: 'br0' });
      // The underlay address is on br-phy (OVS native tunnelling): its physical port on the WAN carries the packets.
      assert.deepEqual(node(graph, 'port:ovs-a/br0/vx0').capture, { host: 'ovs-a', iface: 'eth0', filter: 'udp port 4789 and host 10.213.100.2' });
      assert.equal(node(graph, 'host:ovs-a').capture, undefined);
      assert.equal(node(graph, 'segment:wan').capture, undefined);
    });

    it('says where the lab file declares each node', () => {
      const source = node(graph, 'port:ovs-a/br0/vx0').source;
      assert.ok(source && source.line > 1 && source.col > 1);
      assert.equal(readFileSync(DEMO_FILE, 'utf8').split('\n')[source.line - 1].slice(source.col - 1, source.col + 2), 'vx0');
    });
  });

  describe('the two-data-centre lab', () => {
    const lab = exampleLab('dfw-ord.lab.yaml');
    const graph = buildGraph({ lab });

    it('has its hosts, bridges, ports, interfaces not in a bridge, and segments', () => {
      assert.deepEqual(outline(graph), [
        'host:ovs-dfw (-) ovs-dfw',
        'bridge:ovs-dfw/br0 (host:ovs-dfw) br0',
        'port:ovs-dfw/br0/eth2 (bridge:ovs-dfw/br0) eth2',
        'port:ovs-dfw/br0/vx0 (bridge:ovs-dfw/br0) vx0',
        'iface:ovs-dfw/eth0 (host:ovs-dfw) eth0',
        'host:ovs-ord (-) ovs-ord',
        'bridge:ovs-ord/br0 (host:ovs-ord) br0',
        'port:ovs-ord/br0/eth2 (bridge:ovs-ord/br0) eth2',
        'port:ovs-ord/br0/vx0 (bridge:ovs-ord/br0) vx0',
        'iface:ovs-ord/eth0 (host:ovs-ord) eth0',
        'host:test-dfw (-) test-dfw',
        'iface:test-dfw/eth2 (host:test-dfw) eth2',
        'host:test-ord (-) test-ord',
        'iface:test-ord/eth2 (host:test-ord) eth2',
        'segment:cn-dfw (-) cn-dfw',
        'segment:cn-ord (-) cn-ord',
        'segment:wan (-) wan',
      ]);
      assert.deepEqual(node(graph, 'iface:ovs-dfw/eth0').classes, ['iface', 'unknown', 'underlay']);
      assert.equal(node(graph, 'bridge:ovs-dfw/br0').detail, 'ovs · 192.168.1.1/24');
    });

    it('draws the tunnel between the two vx0 ports over the WAN, captured on eth0', () => {
      const tunnel = edge(graph, 'tunnel:ovs-dfw/vx0~ovs-ord/vx0');
      assert.equal(tunnel.label, 'vni 0 · 203.0.113.10 → 198.51.100.20');
      assert.equal(tunnel.underlay, 'segment:wan');
      assert.deepEqual(node(graph, 'port:ovs-ord/br0/vx0').capture, { host: 'ovs-ord', iface: 'eth0', filter: 'udp port 4789 and host 203.0.113.10' });
      assert.equal(edge(graph, 'member:wan/ovs-dfw/eth0').target, 'iface:ovs-dfw/eth0');
    });
  });

  describe('live status', () => {
    const lab = demoLab();

    it('is up everywhere on hosts configured as the lab says', () => {
      const graph = graphOf(lab, readingsOf(configuredStates()));
      for (const n of graph.nodes) assert.equal(n.status, 'up', n.id);
      for (const e of graph.edges) assert.equal(e.status, 'up', e.id);
      assert.deepEqual(node(graph, 'port:ovs-a/br0/vx0').classes, ['port', 'up', 'tunnel', 'vxlan']);
    });

    it('marks what blank hosts lack as missing, their hosts and addresses drifted, the tunnel missing', () => {
      const graph = graphOf(lab, readingsOf(blankStates()));
      assert.equal(node(graph, 'host:ovs-a').status, 'drifted');
      assert.equal(node(graph, 'bridge:ovs-a/br0').status, 'missing');
      assert.ok(node(graph, 'bridge:ovs-a/br0').classes.includes('missing'));
      assert.equal(node(graph, 'port:ovs-a/br0/vx0').status, 'missing');
      assert.match(node(graph, 'port:ovs-a/br0/vx0').info.join('\n'), /port vx0 is missing from bridge br0/);
      assert.equal(node(graph, 'iface:test-a/eth2').status, 'drifted');
      assert.match(node(graph, 'iface:test-a/eth2').info.join('\n'), /address 10\.213\.50\.11\/24 is missing on eth2/);
      assert.equal(edge(graph, 'tunnel:ovs-a/vx0~ovs-b/vx0').status, 'missing');
      // The cables are fine: eth0 and eth2 are there and up, only not in their bridges.
      assert.equal(node(graph, 'segment:wan').status, 'up');
      assert.equal(edge(graph, 'member:wan/ovs-a/eth0').status, 'up');
    });

    it('marks an unreachable host, leaves what it holds unknown, and the tunnel through it unknown', () => {
      const readings = { ...readingsOf(configuredStates()), 'ovs-b': failed('ovs-b', 'timeout', 'ovs-b: timed out') };
      const graph = graphOf(lab, readings);
      assert.equal(node(graph, 'host:ovs-b').status, 'unreachable');
      assert.deepEqual(node(graph, 'host:ovs-b').classes, ['host', 'unreachable']);
      assert.match(node(graph, 'host:ovs-b').info.join('\n'), /Unreachable: ovs-b: timed out/);
      for (const id of ['bridge:ovs-b/br0', 'port:ovs-b/br0/vx0', 'port:ovs-b/br-phy/eth0']) assert.equal(node(graph, id).status, 'unknown', id);
      assert.equal(node(graph, 'port:ovs-a/br0/vx0').status, 'up');
      assert.equal(edge(graph, 'tunnel:ovs-a/vx0~ovs-b/vx0').status, 'unknown');
      assert.equal(node(graph, 'segment:wan').status, 'unknown');
    });

    it('marks a link that is down, and its segment', () => {
      const states = configuredStates();
      states['test-a'] = { ...states['test-a'], links: states['test-a'].links.map((l) => (l.name === 'eth2' ? { ...l, operState: 'DOWN' } : l)) };
      const graph = graphOf(lab, readingsOf(states));
      assert.equal(node(graph, 'iface:test-a/eth2').status, 'down');
      assert.equal(node(graph, 'segment:cn-a').status, 'down');
      assert.equal(edge(graph, 'member:cn-a/test-a/eth2').status, 'down');
      assert.equal(node(graph, 'segment:cn-b').status, 'up');
    });

    it('marks an OVS port with an error down', () => {
      const states = configuredStates();
      const ovsA = states['ovs-a'];
      states['ovs-a'] = {
        ...ovsA,
        bridges: ovsA.bridges.map((b) => ({ ...b, ports: b.ports.map((p) => (p.name === 'vx0' ? { ...p, interfaces: p.interfaces.map((i) => ({ ...i, linkState: 'down' })) } : p)) })),
      };
      const graph = graphOf(lab, readingsOf(states));
      assert.equal(node(graph, 'port:ovs-a/br0/vx0').status, 'down');
      assert.equal(edge(graph, 'tunnel:ovs-a/vx0~ovs-b/vx0').status, 'down');
    });

    it('marks an admin-down OVS port disabled, as the tree does, with the value it was judged on, and its tunnel with it', () => {
      const states = configuredStates();
      const ovsA = states['ovs-a'];
      states['ovs-a'] = {
        ...ovsA,
        bridges: ovsA.bridges.map((b) => ({ ...b, ports: b.ports.map((p) => (p.name === 'vx0' ? { ...p, interfaces: p.interfaces.map((i) => ({ ...i, adminState: 'down' })) } : p)) })),
      };
      const graph = graphOf(lab, readingsOf(states));
      const vx0 = node(graph, 'port:ovs-a/br0/vx0');
      assert.equal(vx0.status, 'disabled');
      assert.ok(vx0.classes.includes('disabled'));
      assert.match(vx0.info.join('\n'), /Disabled on the host: admin down \(OVS admin_state down\)\./);
      assert.equal(edge(graph, 'tunnel:ovs-a/vx0~ovs-b/vx0').status, 'disabled');
    });

    it('says why an OVS port in error is down, in OVS’s words', () => {
      const states = configuredStates();
      const ovsB = states['ovs-b'];
      const error = 'could not open network device vx0 (No such device)';
      states['ovs-b'] = {
        ...ovsB,
        bridges: ovsB.bridges.map((b) => ({ ...b, ports: b.ports.map((p) => (p.name === 'vx0' ? { ...p, interfaces: p.interfaces.map((i) => ({ ...i, error })) } : p)) })),
      };
      // The drift check reports the error too, and drift is drawn first; OVS's words are there either way.
      const drifted = node(graphOf(lab, readingsOf(states)), 'port:ovs-b/br0/vx0');
      assert.equal(drifted.status, 'drifted');
      assert.ok(drifted.info.includes(`OVS: ${error}`), drifted.info.join('\n'));
      const vx0 = node(buildGraph({ lab, state: labState(lab, readingsOf(states)) }), 'port:ovs-b/br0/vx0');
      assert.equal(vx0.status, 'down');
      assert.ok(vx0.info.includes(`Down on the host: OVS: ${error}.`), vx0.info.join('\n'));
    });

    it('marks a host being read or connected to as busy', () => {
      const graph = buildGraph({ lab, hosts: { 'ovs-a': { connection: 'connecting', reading: false }, 'ovs-b': { connection: 'connected', reading: true } } });
      assert.ok(node(graph, 'host:ovs-a').classes.includes('busy'));
      assert.ok(node(graph, 'host:ovs-b').classes.includes('busy'));
      assert.equal(node(graph, 'host:test-a').classes.includes('busy'), false);
      assert.match(node(graph, 'host:ovs-b').info.join('\n'), /Reading its state/);
    });

    it('keeps every id whatever the state, so the webview can update in place', () => {
      const idsOf = (graph: GraphSnapshot) => [...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)];
      const blank = idsOf(graphOf(lab, readingsOf(blankStates())));
      assert.deepEqual(idsOf(buildGraph({ lab })), blank);
      assert.deepEqual(idsOf(graphOf(lab, readingsOf(configuredStates()))), blank);
    });
  });

  describe('hand-made labs', () => {
    it('joins a tunnel to an address outside the lab to a node of its own', () => {
      const lab = labFromText(`version: 1
name: edge
hosts:
  gw:
    ssh: { host: 192.0.2.1 }
    interfaces:
      eth0: { address: 192.0.2.1/24, underlay: true }
    bridges:
      br0:
        kind: linux
        ports:
          - { name: gnv0, type: geneve, remote: 198.51.100.77, vni: 7 }
          - { name: gre0, type: gre, remote: 198.51.100.78, vni: 9 }
`);
      const graph = buildGraph({ lab });
      const geneve = edge(graph, 'tunnel:gw/gnv0~198.51.100.77');
      assert.equal(geneve.target, 'remote:198.51.100.77');
      assert.equal(geneve.label, 'vni 7 · 192.0.2.1 → 198.51.100.77');
      assert.deepEqual(geneve.classes, ['tunnel', 'geneve', 'unknown', 'unpaired']);
      assert.equal(edge(graph, 'tunnel:gw/gre0~198.51.100.78').label, 'key 9 · 192.0.2.1 → 198.51.100.78');
      assert.equal(node(graph, 'remote:198.51.100.77').kind, 'remote');
      // A Linux bridge's tunnel device is a kernel device: captured on itself.
      assert.deepEqual(node(graph, 'port:gw/br0/gnv0').capture, { host: 'gw', iface: 'gnv0' });
    });

    it('joins a one-sided tunnel to the far host, saying why no port answers it', () => {
      const lab = labFromText(`version: 1
name: oneway
hosts:
  a:
    interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }
    bridges:
      br0:
        ports:
          - { name: vx0, type: vxlan, remote: 10.0.0.2, vni: 3 }
  b:
    interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }
    bridges:
      br0:
        ports:
          - { name: vx0, type: vxlan, remote: 10.0.0.1, vni: 3 }
          - { name: vx1, type: vxlan, remote: 10.0.0.1, vni: 3, local: 10.0.0.3 }
    `.replace(/\n    $/, '\n'));
      const graph = buildGraph({ lab });
      assert.equal(edge(graph, 'tunnel:a/vx0~b/vx0').target, 'port:b/br0/vx0');
      const unpaired = edge(graph, 'tunnel:b/vx1~a');
      assert.equal(unpaired.target, 'host:a');
      assert.ok(unpaired.classes.includes('unpaired'));
      assert.match(unpaired.info.join(' '), /vx1 on b leads to a, but vx0, the tunnel of a that would answer it, pairs with vx0 on b/);
    });

    it('gives a segment member that is not declared a node of its own', () => {
      const lab = labFromText(`version: 1
name: cables
hosts:
  a: { ssh: { host: 10.0.0.1 } }
  b: { ssh: { host: 10.0.0.2 } }
segments:
  lan: { members: [a:eth9, b:eth9] }
`);
      const reading = ok({ ...configuredStates()['test-a'], host: 'a', links: [link('eth9', { operState: 'DOWN' })] });
      const graph = buildGraph({ lab, state: labState(lab, { a: reading }) });
      const implicit = node(graph, 'iface:a/eth9');
      assert.equal(implicit.parent, 'host:a');
      assert.deepEqual(implicit.classes, ['iface', 'down', 'implicit']);
      assert.equal(node(graph, 'iface:b/eth9').status, 'unknown');
      assert.equal(edge(graph, 'member:lan/a/eth9').target, 'iface:a/eth9');
      assert.equal(node(graph, 'segment:lan').status, 'down');
    });

    it('says the notice it was given', () => {
      assert.equal(buildGraph({ lab: demoLab(), notice: 'The lab file has errors.' }).notice, 'The lab file has errors.');
      assert.equal('notice' in buildGraph({ lab: demoLab() }), false);
    });

    it('builds the ids it documents', () => {
      assert.equal(ids.host('ovs-a'), 'host:ovs-a');
      assert.equal(ids.bridge('ovs-a', 'br0'), 'bridge:ovs-a/br0');
      assert.equal(ids.port('ovs-a', 'br0', 'vx0'), 'port:ovs-a/br0/vx0');
      assert.equal(ids.iface('ovs-a', 'eth0'), 'iface:ovs-a/eth0');
      assert.equal(ids.segment('wan'), 'segment:wan');
      assert.equal(ids.tunnel({ host: 'ovs-a', port: 'vx0' }, { host: 'ovs-b', port: 'vx0' }), 'tunnel:ovs-a/vx0~ovs-b/vx0');
    });
  });
});
