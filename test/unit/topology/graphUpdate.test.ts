import { strict as assert } from 'node:assert';
import { labDrift } from '../../../src/compare/drift';
import type { HostReading } from '../../../src/hosts/types';
import { buildGraph } from '../../../src/views/topology/graphModel';
import { displayLabel, layoutNeed, leafIds, planUpdate, toElements, type ElementDef, type Existing } from '../../../src/webview/graphUpdate';
import type { GraphSnapshot } from '../../../src/webview/protocol';
import { blankStates, configuredStates, demoLab, labState, ok } from '../views/hostStates';

const lab = demoLab();

function graphWith(states: ReturnType<typeof configuredStates>): GraphSnapshot {
  const readings: Record<string, HostReading> = Object.fromEntries(Object.entries(states).map(([host, state]) => [host, ok(state)]));
  return buildGraph({ lab, state: labState(lab, readings, labDrift(lab, states)) });
}

function existingOf(elements: readonly ElementDef[]): Existing[] {
  return elements.map((element) => (element.group === 'nodes' ? { id: element.data.id, parent: element.data.parent } : { id: element.data.id, source: element.data.source, target: element.data.target }));
}

describe('updating the diagram in place', () => {
  it('turns a graph into cytoscape elements, nodes first, with the capture target and a display label', () => {
    const elements = toElements(buildGraph({ lab }));
    const firstEdge = elements.findIndex((element) => element.group === 'edges');
    assert.ok(elements.slice(firstEdge).every((element) => element.group === 'edges'));
    const vx0 = elements.find((element) => element.data.id === 'port:ovs-a/br0/vx0');
    assert.ok(vx0 && vx0.group === 'nodes');
    assert.equal(vx0.data.parent, 'bridge:ovs-a/br0');
    assert.equal(vx0.data.captureHost, 'ovs-a');
    assert.equal(vx0.data.captureIface, 'eth0');
    assert.equal(vx0.data.captureFilter, 'udp port 4789 and host 10.213.100.2');
    assert.equal(vx0.data.display, 'vx0\nvxlan → ovs-b');
    assert.equal(vx0.classes, 'port unknown tunnel vxlan');
    const tunnel = elements.find((element) => element.data.id === 'tunnel:ovs-a/vx0~ovs-b/vx0');
    assert.ok(tunnel && tunnel.group === 'edges');
    assert.equal(tunnel.data.label, 'vni 0 · 10.213.100.1 → 10.213.100.2');
  });

  it('says a status other than up in the label, so it reads without colour', () => {
    const graph = graphWith(blankStates());
    const node = (id: string) => graph.nodes.find((candidate) => candidate.id === id)!;
    assert.equal(displayLabel(node('port:ovs-a/br0/eth2')), 'eth2\n(missing)');
    assert.equal(displayLabel(node('bridge:ovs-a/br0')), 'br0 · ovs netdev · 10.213.50.1/24 · (missing)');
    assert.equal(displayLabel(node('host:ovs-a')), 'ovs-a · root@10.213.0.11 · (drifted)');
    assert.equal(displayLabel(graphWith(configuredStates()).nodes[0]), 'ovs-a · root@10.213.0.11');
  });

  it('updates every element in place when only the live state changed', () => {
    const before = toElements(buildGraph({ lab }));
    const after = toElements(graphWith(configuredStates()));
    const plan = planUpdate(existingOf(before), after);
    assert.deepEqual(plan.add, []);
    assert.deepEqual(plan.remove, []);
    assert.equal(plan.update.length, after.length);
    assert.equal(plan.update.find((element) => element.data.id === 'port:ovs-a/br0/vx0')?.classes, 'port up tunnel vxlan');
  });

  it('adds new elements parents first, removes those gone, and re-adds one whose parent changed', () => {
    const before = toElements(buildGraph({ lab }));
    const existing = existingOf(before).filter((element) => !element.id.startsWith('host:test-b') && !element.id.startsWith('iface:test-b') && !element.id.includes('test-b/eth2'));
    existing.push({ id: 'port:ovs-a/br0/old0', parent: 'bridge:ovs-a/br0' });
    const moved = existing.find((element) => element.id === 'port:ovs-a/br0/eth2')!;
    moved.parent = 'bridge:ovs-a/br-phy';
    const plan = planUpdate(existing, before);
    const added = plan.add.map((element) => element.data.id);
    assert.deepEqual([...added].sort(), ['host:test-b', 'iface:test-b/eth2', 'member:cn-b/test-b/eth2', 'port:ovs-a/br0/eth2']);
    assert.ok(added.indexOf('host:test-b') < added.indexOf('iface:test-b/eth2'), 'a compound before what it holds');
    assert.equal(added.at(-1), 'member:cn-b/test-b/eth2', 'edges last');
    assert.deepEqual(plan.remove.sort(), ['port:ovs-a/br0/eth2', 'port:ovs-a/br0/old0']);
  });

  it('re-adds an edge whose ends changed', () => {
    const plan = planUpdate([{ id: 'e', source: 'a', target: 'b' }], [{ group: 'edges', data: { id: 'e', source: 'a', target: 'c', label: '', kind: 'tunnel', status: 'up', info: '' }, classes: '' }]);
    assert.deepEqual(plan.remove, ['e']);
    assert.equal(plan.add.length, 1);
  });

  it('leaves out edges whose ends are not in the graph', () => {
    const graph = buildGraph({ lab });
    const broken: GraphSnapshot = { ...graph, edges: [...graph.edges, { id: 'x', kind: 'tunnel', source: 'port:ovs-a/br0/vx0', target: 'nowhere', status: 'up', classes: [], info: [] }] };
    assert.equal(toElements(broken).some((element) => element.data.id === 'x'), false);
  });

  describe('layout', () => {
    const graph = buildGraph({ lab });
    const leaves = leafIds(graph);

    it('keeps positions for leaf nodes only (compounds follow their children)', () => {
      assert.ok(leaves.includes('port:ovs-a/br0/vx0'));
      assert.ok(leaves.includes('segment:wan'));
      assert.ok(!leaves.includes('host:ovs-a'));
      assert.ok(!leaves.includes('bridge:ovs-a/br0'));
    });

    it('lays out everything when no position is known, nothing when all are, the new ones otherwise', () => {
      assert.equal(layoutNeed(graph, {}), 'all');
      const all = Object.fromEntries(leaves.map((id, i) => [id, { x: i, y: i }]));
      assert.equal(layoutNeed(graph, all), 'none');
      const { ['segment:wan']: _gone, ...some } = all;
      assert.equal(layoutNeed(graph, some), 'new');
      // Nodes already drawn count as placed.
      assert.equal(layoutNeed(graph, some, new Set(['segment:wan'])), 'none');
    });
  });
});
