// The tree provider against a stand-in `vscode`: the whole path from a host's reading to the
// change event the tree hears, and the TreeItems it then asks for.

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { HostReading } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { LabSession } from '../../../src/session/labSession';
import { LiveLabs, type ReadLabState } from '../../../src/session/liveLabs';
import type { SshPool } from '../../../src/ssh/pool';
import type { ItemNode, LabsTreeNode } from '../../../src/views/labsTreeNodes';
import { ManualClock } from '../../support/manualClock';
import { configuredStates, DEMO_FILE, failed, ok } from './hostStates';
import { installVscodeStub, type TreeItem } from './vscodeStub';

installVscodeStub();
const { LabsTreeProvider } = require('../../../src/views/labsTreeProvider') as typeof import('../../../src/views/labsTreeProvider');

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

describe('LabsTreeProvider (with a stand-in vscode)', () => {
  it('renders a lab, and re-renders only the hosts whose readings arrive, once per burst', async () => {
    const session = new LabSession((lab) => new FakePool(lab) as unknown as SshPool);
    const answers: ((reading: HostReading) => void)[] = [];
    const read: ReadLabState = async (_pool, lab, options = {}) => {
      const states = configuredStates();
      await new Promise<void>((resolve) => answers.push(() => resolve()));
      for (const host of lab.hosts) options.onHost?.(host.name === 'ovs-b' ? failed('ovs-b', 'timeout', 'ovs-b: timed out') : ok(states[host.name]));
      return { lab: lab.name, file: lab.file, hosts: {}, drift: [] };
    };
    const live = new LiveLabs(session, read);
    const clock = new ManualClock();
    const tree = new LabsTreeProvider(session, live, clock);
    const events: (LabsTreeNode | LabsTreeNode[] | undefined | void)[] = [];
    tree.onDidChangeTreeData((event) => events.push(event));

    session.workspace.update('file:///ws/demo.lab.yaml', DEMO_FILE, readFileSync(DEMO_FILE, 'utf8'));
    await clock.advanceAsync(49);
    assert.deepEqual(events, [], 'held for the rest of the burst');
    await clock.advanceAsync(1);
    assert.deepEqual(events, [undefined], 'a new lab file: the whole tree');
    const [labNode] = tree.getChildren();
    const labItem = tree.getTreeItem(labNode) as unknown as TreeItem;
    assert.equal(labItem.label, 'demo');
    assert.equal(labItem.collapsibleState, 2, 'the only lab opens');
    const hosts = tree.getChildren(labNode) as ItemNode[];
    const before = tree.getTreeItem(hosts[1]) as unknown as TreeItem;
    assert.equal(before.id, 'file:///ws/demo.lab.yaml#host:ovs-b');
    assert.equal(before.iconPath?.id, 'vm-outline');
    events.length = 0;

    const reading = live.refresh('file:///ws/demo.lab.yaml');
    await clock.advanceAsync(50);
    // Reading: every host spins; one event for the burst, naming the host nodes themselves.
    assert.equal(events.length, 1);
    assert.deepEqual(events[0], hosts.slice(0, 4));
    assert.equal((tree.getTreeItem(hosts[0]) as unknown as TreeItem).iconPath?.id, 'loading~spin');

    answers[0]({} as HostReading);
    await reading;
    assert.equal(events.length, 1, 'the answers wait for the next render');
    await clock.advanceAsync(50);
    assert.equal(events.length, 2);
    const fired = events[1] as unknown as LabsTreeNode[];
    assert.ok(fired.includes(hosts[1]));
    const after = tree.getTreeItem(hosts[1]) as unknown as TreeItem;
    assert.equal(after.iconPath?.id, 'vm-outline');
    assert.equal(after.iconPath?.color?.id, 'errorForeground');
    assert.equal(after.contextValue, 'overlayLab.host disconnected failed source address');
    assert.equal((tree.getTreeItem(hosts[0]) as unknown as TreeItem).iconPath?.id, 'vm-running');

    const [error] = tree.getChildren(hosts[1]) as ItemNode[];
    assert.equal((tree.getTreeItem(error) as unknown as TreeItem).label, 'timed out');
    assert.equal(tree.getParent(error), hosts[1]);
    tree.dispose();
    live.dispose();
  });

  it('says when it first hands a valid lab\'s hosts to the tree, once the tree has its answer', async () => {
    const session = new LabSession((lab) => new FakePool(lab) as unknown as SshPool);
    const live = new LiveLabs(session, async (_pool, lab) => ({ lab: lab.name, file: lab.file, hosts: {}, drift: [] }));
    const clock = new ManualClock();
    const tree = new LabsTreeProvider(session, live, clock);
    const shown: string[] = [];
    tree.onDidShowLab((key) => shown.push(key));
    session.workspace.update('file:///ws/demo.lab.yaml', DEMO_FILE, readFileSync(DEMO_FILE, 'utf8'));
    session.workspace.update('file:///ws/bad.lab.yaml', '/ws/bad.lab.yaml', 'version: 1\nname: [oops');
    await clock.advanceAsync(50);
    const labs = tree.getChildren();
    for (const lab of labs) tree.getChildren(lab);
    assert.deepEqual(shown, [], 'not while the tree waits for the hosts');
    await clock.advanceAsync(0);
    assert.deepEqual(shown, ['file:///ws/demo.lab.yaml'], 'the valid lab only');
    for (const lab of tree.getChildren()) tree.getChildren(lab);
    await clock.advanceAsync(0);
    assert.deepEqual(shown, ['file:///ws/demo.lab.yaml'], 'once');
    session.workspace.remove('file:///ws/demo.lab.yaml');
    session.workspace.update('file:///ws/demo.lab.yaml', DEMO_FILE, readFileSync(DEMO_FILE, 'utf8'));
    await clock.advanceAsync(50);
    for (const lab of tree.getChildren()) tree.getChildren(lab);
    await clock.advanceAsync(0);
    assert.deepEqual(shown, ['file:///ws/demo.lab.yaml', 'file:///ws/demo.lab.yaml'], 'again for a file that went and came back');
    tree.dispose();
    live.dispose();
  });
});
