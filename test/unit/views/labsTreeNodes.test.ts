import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { HostReading, LabState } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { LabWorkspace } from '../../../src/session/labWorkspace';
import type { HostLive } from '../../../src/session/liveLabs';
import { changeId, LabsTreeNodes, type ItemNode, type LabsTreeNode } from '../../../src/views/labsTreeNodes';
import { configuredStates, DEMO_FILE, failed, labState, ok } from './hostStates';

/** LiveLabs as far as the tree asks it. */
class FakeLive {
  readonly states = new Map<string, LabState>();
  readonly hosts = new Map<string, Record<string, HostLive>>();
  get(key: string) {
    const state = this.states.get(key);
    return state && { key, state, reading: new Set<string>() };
  }
  hostsOf(key: string) {
    return this.hosts.get(key) ?? {};
  }
  findingsOf() {
    return [];
  }
}

const demoText = readFileSync(DEMO_FILE, 'utf8');

function setup() {
  const workspace = new LabWorkspace();
  const live = new FakeLive();
  const nodes = new LabsTreeNodes(workspace, live);
  workspace.update('k', DEMO_FILE, demoText);
  const lab = workspace.get('k')!.result.lab!;
  const readings = (overrides: Record<string, HostReading> = {}) => ({ ...Object.fromEntries(Object.entries(configuredStates()).map(([host, s]) => [host, ok(s)])), ...overrides });
  live.states.set('k', labState(lab, readings()));
  return { workspace, live, nodes, lab, readings };
}

const ids = (nodes: LabsTreeNode[] | 'all') => (nodes === 'all' ? 'all' : nodes.map((node) => (node.kind === 'item' ? node.model.id : `${node.kind}:${node.key}`)));

function expand(nodes: LabsTreeNodes, node: LabsTreeNode): ItemNode[] {
  return nodes.children(node) as ItemNode[];
}

describe('LabsTreeNodes', () => {
  it('hands out one object per node, kept across re-renders', () => {
    const { nodes } = setup();
    const lab = nodes.labNode('k');
    assert.equal(nodes.labNode('k'), lab);
    const hosts = expand(nodes, lab);
    assert.deepEqual(
      hosts.map((host) => host.model.id),
      ['host:ovs-a', 'host:ovs-b', 'host:test-a', 'host:test-b', 'segments'],
    );
    assert.equal(expand(nodes, lab)[1], hosts[1]);
    const bridges = expand(nodes, hosts[0]);
    assert.equal(nodes.parent(bridges[0]), hosts[0]);
    assert.equal(nodes.parent(hosts[0]), lab);
  });

  it('re-renders only the host whose reading changed, as the same object with its new model', () => {
    const { nodes, live, lab, readings } = setup();
    const hosts = expand(nodes, nodes.labNode('k'));
    const ovsB = hosts[1];
    live.states.set('k', labState(lab as Lab, readings({ 'ovs-b': failed('ovs-b', 'timeout', 'ovs-b: timed out') })));
    const fired = nodes.changes([changeId({ kind: 'state', key: 'k' })]);
    assert.deepEqual(ids(fired), ['host:ovs-b']);
    assert.equal((fired as LabsTreeNode[])[0], ovsB);
    assert.equal(ovsB.model.description, 'root@10.213.0.12 · unreachable');
    assert.equal(expand(nodes, ovsB)[0].model.kind, 'hostError');
  });

  it('re-renders a deeper node alone when only it changed, if the tree has shown it', () => {
    const { nodes, live, lab } = setup();
    const hosts = expand(nodes, nodes.labNode('k'));
    const testB = hosts[3];
    const [eth2] = expand(nodes, testB);
    const states = configuredStates();
    states['test-b'].links[1].operState = 'DOWN';
    live.states.set('k', labState(lab, Object.fromEntries(Object.entries(states).map(([host, s]) => [host, ok(s)]))));
    const fired = nodes.changes([changeId({ kind: 'state', key: 'k' })]);
    // The segment was never expanded: its node object does not exist yet, nothing to re-render there.
    assert.deepEqual(ids(fired), ['host:test-b/interface:eth2']);
    assert.equal((fired as LabsTreeNode[])[0], eth2);
    assert.equal(eth2.model.description, '10.213.50.12/24 · down');
  });

  it('re-renders a lab whose file changed, and the whole tree when a lab comes or goes', () => {
    const { nodes, workspace } = setup();
    expand(nodes, nodes.labNode('k'));
    workspace.update('k', DEMO_FILE, demoText.replace('name: demo', 'name: renamed'));
    assert.deepEqual(ids(nodes.changes([changeId({ kind: 'file', key: 'k' }), changeId({ kind: 'state', key: 'k' })])), ['lab:k']);
    assert.equal(nodes.changes(['root', changeId({ kind: 'state', key: 'k' })]), 'all');
  });

  it('re-renders nothing for a lab the tree has not shown', () => {
    const { nodes, live, lab, readings } = setup();
    live.states.set('k', labState(lab, readings({ 'ovs-a': failed('ovs-a', 'timeout', 'x') })));
    assert.deepEqual(nodes.changes([changeId({ kind: 'state', key: 'k' })]), []);
  });

  it('lists the problems of a lab with errors', () => {
    const { nodes, workspace } = setup();
    workspace.update('bad', '/ws/bad.lab.yaml', 'version: 1\nname: [oops');
    const children = nodes.children(nodes.labNode('bad'));
    assert.ok(children.length > 0);
    assert.ok(children.every((child) => child.kind === 'diagnostic'));
  });
});
