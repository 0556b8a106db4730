// The tree and the topology show one health for one device: both read hosts/health. Checked on
// the recorded host states, and on them with one device changed as a host would report it, for
// every declared bridge, port and interface the two draw.

import { strict as assert } from 'node:assert';
import type { HostReading, HostState, LabState } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { buildLabTree, Colors, indexTree } from '../../../src/views/liveTreeModel';
import { buildGraph } from '../../../src/views/topology/graphModel';
import { copy, demoLab, recordedState } from '../hosts/fixtures';

type Shown = 'up' | 'down' | 'disabled';

const TREE_COLOUR: Record<string, Shown> = { [Colors.passed]: 'up', [Colors.error]: 'down', [Colors.disabled]: 'disabled' };
const GRAPH_STATUS: Record<string, Shown> = { up: 'up', down: 'down', disabled: 'disabled' };

/** The same device under its id in each face. */
function devicesOf(lab: Lab): { tree: string; graph: string }[] {
  return lab.hosts.flatMap((host) => [
    ...host.bridges.flatMap((bridge) => [
      { tree: `host:${host.name}/bridge:${bridge.name}`, graph: `bridge:${host.name}/${bridge.name}` },
      ...bridge.ports.map((port) => ({ tree: `host:${host.name}/bridge:${bridge.name}/port:${port.name}`, graph: `port:${host.name}/${bridge.name}/${port.name}` })),
    ]),
    ...host.interfaces
      .filter((iface) => !host.bridges.some((bridge) => bridge.ports.some((port) => port.name === iface.name)))
      .map((iface) => ({ tree: `host:${host.name}/interface:${iface.name}`, graph: `iface:${host.name}/${iface.name}` })),
  ]);
}

/** Health as each face shows it, for every device both show with a health (not missing, not unread). */
function shownHealth(lab: Lab, states: Record<string, HostState>): Map<string, { tree: Shown; graph: Shown }> {
  const readings: Record<string, HostReading> = Object.fromEntries(Object.entries(states).map(([host, state]) => [host, { ok: true, state }]));
  // No drift: drift colours both faces alike whatever the health, and is another helper's fact.
  const labState: LabState = { lab: lab.name, file: lab.file, hosts: readings, drift: [] };
  const tree = indexTree(buildLabTree(lab, labState));
  const graph = new Map(buildGraph({ lab, state: labState }).nodes.map((node) => [node.id, node]));
  const shown = new Map<string, { tree: Shown; graph: Shown }>();
  for (const device of devicesOf(lab)) {
    const treeNode = tree.get(device.tree)?.node;
    const graphNode = graph.get(device.graph);
    assert.ok(treeNode, `the tree has ${device.tree}`);
    assert.ok(graphNode, `the topology has ${device.graph}`);
    const inTree = treeNode.icon.color ? TREE_COLOUR[treeNode.icon.color] : undefined;
    const inGraph = GRAPH_STATUS[graphNode.status];
    if (inTree === undefined && inGraph === undefined) continue;
    assert.ok(inTree && inGraph, `${device.graph}: the tree shows ${treeNode.icon.color ?? 'no colour'}, the topology ${graphNode.status}`);
    shown.set(device.graph, { tree: inTree, graph: inGraph });
  }
  return shown;
}

function recorded(...names: string[]): Record<string, HostState> {
  return Object.fromEntries(names.map((name) => {
    const state = recordedState(name);
    return [state.host, state];
  }));
}

const CONFIGURED = ['configured-ovs-a', 'configured-ovs-b', 'configured-test-a', 'configured-test-b'];

function withInterface(states: Record<string, HostState>, host: string, name: string, edit: (iface: HostState['bridges'][number]['ports'][number]['interfaces'][number]) => void) {
  const changed = copy(states);
  const iface = changed[host].bridges.flatMap((bridge) => bridge.ports.flatMap((port) => port.interfaces)).find((candidate) => candidate.name === name);
  assert.ok(iface, `${host} has ${name} in OVS`);
  edit(iface);
  return changed;
}

function withLink(states: Record<string, HostState>, host: string, name: string, edit: (link: HostState['links'][number]) => void) {
  const changed = copy(states);
  const link = changed[host].links.find((candidate) => candidate.name === name);
  assert.ok(link, `${host} has ${name}`);
  edit(link);
  return changed;
}

describe('the tree and the topology agree on health', () => {
  const lab = demoLab();
  const configured = recorded(...CONFIGURED);

  const cases: [string, Record<string, HostState>, Record<string, Shown>][] = [
    ['the recorded configured hosts', configured, { 'port:ovs-a/br0/vx0': 'up', 'port:ovs-b/br-phy/eth0': 'up', 'iface:test-a/eth2': 'up' }],
    ['ovs-vswitchd stopped on ovs-b (recorded)', recorded('configured-ovs-a', 'vswitchd-stopped-ovs-b', 'configured-test-a', 'configured-test-b'), { 'port:ovs-b/br0/vx0': 'down', 'port:ovs-b/br0/eth2': 'down', 'port:ovs-a/br0/vx0': 'up' }],
    ['an OVS port set admin down', withInterface(configured, 'ovs-a', 'vx0', (iface) => (iface.adminState = 'down')), { 'port:ovs-a/br0/vx0': 'disabled', 'port:ovs-b/br0/vx0': 'up' }],
    ['an OVS port without carrier', withInterface(configured, 'ovs-a', 'eth2', (iface) => (iface.linkState = 'down')), { 'port:ovs-a/br0/eth2': 'down' }],
    ['an OVS port in error', withInterface(configured, 'ovs-b', 'vx0', (iface) => (iface.error = 'could not open network device vx0 (No such device)')), { 'port:ovs-b/br0/vx0': 'down' }],
    ['an interface set admin down', withLink(configured, 'test-a', 'eth2', (link) => ((link.up = false), (link.operState = 'DOWN'))), { 'iface:test-a/eth2': 'disabled' }],
    ['an interface without carrier', withLink(configured, 'test-b', 'eth2', (link) => (link.operState = 'DOWN')), { 'iface:test-b/eth2': 'down' }],
  ];

  for (const [what, states, expected] of cases) {
    it(`on ${what}`, () => {
      const shown = shownHealth(lab, states);
      for (const [id, faces] of shown) assert.equal(faces.tree, faces.graph, `${id}: tree ${faces.tree}, topology ${faces.graph}`);
      for (const [id, health] of Object.entries(expected)) assert.deepEqual(shown.get(id), { tree: health, graph: health }, id);
    });
  }
});
