// The Labs tree with a big lab (64 light hosts) against a stand-in `vscode` and a manual clock:
// every host shows at once as loading, readings fill in host by host in one change event per
// render interval (not one per host, not one at the end), and a render rebuilds only the hosts
// whose readings came (a host's node is kept, the same object, while nothing it shows changed).

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { HostReading, HostState, LinkState } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { loadLabText } from '../../../src/lab/load';
import { LabSession } from '../../../src/session/labSession';
import { LiveLabs, type ReadLabState } from '../../../src/session/liveLabs';
import type { SshPool } from '../../../src/ssh/pool';
import { HostNodeCache } from '../../../src/views/hostNodeCache';
import type { ItemNode, LabsTreeNode } from '../../../src/views/labsTreeNodes';
import { buildLabTree, diffTrees, type TreeNodeModel } from '../../../src/views/liveTreeModel';
import { ManualClock } from '../../support/manualClock';
import { installVscodeStub, type TreeItem } from './vscodeStub';

installVscodeStub();
const { LabsTreeProvider } = require('../../../src/views/labsTreeProvider') as typeof import('../../../src/views/labsTreeProvider');

const COUNT = 64;
const NAMES = Array.from({ length: COUNT }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
const addressOf = (i: number) => `10.213.184.${11 + i}`;
const KEY = 'file:///ws/scale.lab.yaml';
const FILE = '/ws/scale.lab.yaml';
const TEXT = ['version: 1', 'name: scale', 'defaults:', '  ssh: { user: root }', 'hosts:', ...NAMES.flatMap((name, i) => [`  ${name}:`, `    ssh: { host: ${addressOf(i)} }`, '    interfaces:', '      mgmt0: {}']), ''].join('\n');

const NO_TRAFFIC = { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0, rxErrors: 0, txErrors: 0 };
function link(name: string, fields: Partial<LinkState>): LinkState {
  return { name, index: 1, mtu: 1500, up: true, operState: 'UP', addresses: [], stats: { ...NO_TRAFFIC }, ...fields };
}

/** A light host as the scale test lab has it: no OpenvSwitch daemons, `lo` and its management veth. */
function lightHost(i: number): HostState {
  return {
    host: NAMES[i],
    readAt: '2026-01-01T00:00:00.000Z',
    elapsedMs: 9,
    system: { kernel: '6.1.0', distribution: 'Debian GNU/Linux 12 (bookworm)', hostname: NAMES[i] },
    ovs: { state: 'stopped', message: 'ovsdb-server is not running', stopped: ['ovsdb-server', 'ovs-vswitchd'] },
    bridgesKnown: false,
    bridges: [],
    linksKnown: true,
    links: [
      link('lo', { operState: 'UNKNOWN', addresses: [{ cidr: '127.0.0.1/8', family: 'inet', scope: 'host' }] }),
      link('mgmt0', { kind: 'veth', mac: `02:00:00:00:01:${(i + 16).toString(16)}`, addresses: [{ cidr: `${addressOf(i)}/24`, family: 'inet', scope: 'global' }] }),
    ],
    notes: [],
  };
}

function scaleLab(): Lab {
  const result = loadLabText(TEXT, FILE);
  assert.ok(result.lab, `the scale lab checks clean: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.lab;
}

class FakePool extends EventEmitter {
  constructor(readonly lab: Lab) {
    super();
  }
  get endpoints() {
    return { labels: () => this.lab.hosts.map((host) => host.name) };
  }
  state(host: string) {
    return { host, state: 'idle' };
  }
  dispose() {}
}

/** A readLabState stand-in whose hosts answer when the test says, each through onHost. */
function answeringReader() {
  let report: ((reading: HostReading) => void) | undefined;
  let finish: (() => void) | undefined;
  const read: ReadLabState = async (_pool, lab, options = {}) => {
    report = options.onHost;
    await new Promise<void>((resolve) => (finish = resolve));
    return { lab: lab.name, file: lab.file, hosts: {}, drift: [] };
  };
  return {
    read,
    answer: (i: number) => report!({ ok: true, state: lightHost(i) }),
    finish: () => finish!(),
  };
}

const idOf = (node: LabsTreeNode) => (node.kind === 'item' ? node.model.id : node.kind);

describe('the Labs tree with 64 hosts', () => {
  it('shows every host at once as loading, then fills in host by host, one change event per render interval', async () => {
    const session = new LabSession((lab) => new FakePool(lab) as unknown as SshPool);
    const reader = answeringReader();
    const live = new LiveLabs(session, reader.read);
    const clock = new ManualClock();
    const tree = new LabsTreeProvider(session, live, clock);
    const events: (LabsTreeNode | LabsTreeNode[] | undefined | void)[] = [];
    tree.onDidChangeTreeData((event) => events.push(event));

    session.workspace.update(KEY, FILE, TEXT);
    await clock.advanceAsync(50);
    const [labNode] = tree.getChildren();
    const hosts = tree.getChildren(labNode) as ItemNode[];
    assert.deepEqual(
      hosts.map((host) => host.model.label),
      NAMES,
    );
    events.length = 0;

    void live.refresh(KEY);
    await clock.advanceAsync(50);
    assert.equal(events.length, 1, 'the read starting is one event');
    assert.deepEqual((events[0] as LabsTreeNode[]).map(idOf), NAMES.map((name) => `host:${name}`), 'naming every host');
    for (const host of hosts) assert.equal((tree.getTreeItem(host) as unknown as TreeItem).iconPath?.id, 'loading~spin', `${host.model.label} spins`);
    events.length = 0;

    // Hosts answer one a millisecond; the last waits. The first render comes 50 ms after the first answer.
    reader.answer(0);
    for (let i = 1; i < 60; i++) {
      await clock.advanceAsync(1);
      reader.answer(i);
    }
    assert.equal(events.length, 1, `one event for the first 50 ms of answers, not one per host (${events.length})`);
    const first = events[0] as LabsTreeNode[];
    assert.deepEqual(first.map(idOf), NAMES.slice(0, 50).map((name) => `host:${name}`), 'naming the hosts that answered in them, and no other');

    // The first host can be opened on its reading while the last one is still loading.
    const h01 = tree.getTreeItem(hosts[0]) as unknown as TreeItem;
    assert.equal(h01.collapsibleState, 1, 'h01 opens');
    assert.equal(h01.iconPath?.id, 'vm-running');
    const [mgmt0] = tree.getChildren(hosts[0]) as ItemNode[];
    const iface = tree.getTreeItem(mgmt0) as unknown as TreeItem;
    assert.equal(iface.label, 'mgmt0');
    assert.match(String(iface.description), /^10\.213\.184\.11\/24/);
    assert.equal((tree.getTreeItem(hosts[63]) as unknown as TreeItem).iconPath?.id, 'loading~spin', 'h64 still loading');

    await clock.advanceAsync(50);
    assert.equal(events.length, 2);
    assert.deepEqual((events[1] as LabsTreeNode[]).map(idOf), NAMES.slice(50, 60).map((name) => `host:${name}`));

    for (let i = 60; i < COUNT; i++) reader.answer(i);
    reader.finish();
    await clock.advanceAsync(50);
    assert.equal(events.length, 3, 'the last hosts and the end of the read: one more event');
    assert.deepEqual((events[2] as LabsTreeNode[]).map(idOf), NAMES.slice(60).map((name) => `host:${name}`));
    assert.equal((tree.getTreeItem(hosts[63]) as unknown as TreeItem).iconPath?.id, 'vm-running', 'h64 filled in');
    await clock.advanceAsync(1000);
    assert.equal(events.length, 3, 'nothing more');
    tree.dispose();
    live.dispose();
  });

  it('rebuilds only the hosts whose inputs changed, and keeps the others\' nodes as they were', () => {
    const lab = scaleLab();
    const cache = new HostNodeCache<TreeNodeModel>();
    const readings: Record<string, HostReading> = {};
    const state = () => ({ lab: lab.name, file: lab.file, hosts: { ...readings }, drift: [] });
    const reading = Object.fromEntries(NAMES.map((name) => [name, { connection: 'connecting' as const, reading: true }]));

    const before = buildLabTree(lab, state(), reading, [], cache);
    assert.equal(cache.built, COUNT);
    readings.h01 = { ok: true, state: lightHost(0) };
    const after = buildLabTree(lab, state(), { ...reading, h01: { connection: 'connected', reading: false } }, [], cache);
    assert.equal(cache.built, COUNT + 1, 'one host built again');
    assert.equal(cache.kept, COUNT - 1);
    for (let i = 1; i < COUNT; i++) assert.equal(after[i], before[i], `${NAMES[i]}'s node is the same object`);
    assert.notEqual(after[0], before[0]);
    assert.deepEqual(diffTrees(before, after), { top: false, changed: ['host:h01'] });
    // The same node the cache did not see comes out the same as one built without it.
    assert.deepEqual(after, buildLabTree(lab, state(), { ...reading, h01: { connection: 'connected', reading: false } }));

    // A host's connection alone changes its node (its icon and words), and so does a new model.
    buildLabTree(lab, state(), { ...reading, h01: { connection: 'connected', reading: false }, h02: { connection: 'connected', reading: true } }, [], cache);
    assert.equal(cache.built, COUNT + 2);
    buildLabTree(scaleLab(), state(), reading, [], cache);
    assert.equal(cache.built, 2 * COUNT + 2, 'a new lab model: every host anew');
  });
});
