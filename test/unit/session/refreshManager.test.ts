import { strict as assert } from 'node:assert';
import { LabWorkspace } from '../../../src/session/labWorkspace';
import type { LabLive, LiveLabs } from '../../../src/session/liveLabs';
import { RefreshManager } from '../../../src/session/refreshManager';
import { ManualClock } from '../../support/manualClock';

/** Records what the manager asks of LiveLabs. */
class FakeLive {
  readonly asked: string[] = [];
  readonly read = new Map<string, Partial<LabLive>>();
  readonly reading = new Set<string>();
  get(key: string) {
    return this.read.get(key) as LabLive | undefined;
  }
  isReading(key: string) {
    return this.reading.has(key);
  }
  refresh(key: string, hosts?: readonly string[]) {
    this.asked.push(hosts ? `${key}:${hosts.join(',')}` : key);
    return Promise.resolve();
  }
  abort(key: string) {
    this.asked.push(`abort ${key}`);
  }
}

const lab = (name: string) => `version: 1\nname: ${name}\nhosts:\n  a: {}\n`;

function setup() {
  const workspace = new LabWorkspace();
  const live = new FakeLive();
  const clock = new ManualClock();
  const manager = new RefreshManager(live as unknown as LiveLabs, workspace, { listLabs: () => workspace.all(), fileChangeDelayMs: 20, clock });
  return { workspace, live, manager, clock };
}

describe('RefreshManager', () => {
  it('reads a lab again once a burst of edits to its file ends, stopping the running read', () => {
    const { workspace, live, manager, clock } = setup();
    workspace.update('x', 'x.lab.yaml', lab('x'));
    live.read.set('x', { readAt: 1 });
    live.reading.add('x');
    for (let i = 0; i < 5; i++) {
      workspace.update('x', 'x.lab.yaml', lab(`x${i}`));
      clock.advance(10);
    }
    clock.advance(9);
    assert.deepEqual(live.asked, [], 'the wait starts again with each edit');
    clock.advance(1);
    assert.deepEqual(live.asked, ['abort x', 'x']);
    manager.dispose();
  });

  it('does not read on an edit that leaves errors, nor a never-read lab while the view is hidden', () => {
    const { workspace, live, manager, clock } = setup();
    workspace.update('x', 'x.lab.yaml', lab('x'));
    live.read.set('y', { readAt: 1 });
    workspace.update('y', 'y.lab.yaml', 'version: 1\nname: [oops');
    clock.advance(1000);
    assert.deepEqual(live.asked, []);
    assert.equal(clock.pending, 0, 'nothing waits');
    manager.dispose();
  });

  it('reads the labs never read when the view shows, and new labs while it is visible', () => {
    const { workspace, live, manager, clock } = setup();
    workspace.update('x', 'x.lab.yaml', lab('x'));
    workspace.update('bad', 'bad.lab.yaml', 'nope: [');
    workspace.update('y', 'y.lab.yaml', lab('y'));
    live.read.set('y', { readAt: 1 });
    manager.setVisible(true);
    assert.deepEqual(live.asked, ['x']);
    workspace.update('z', 'z.lab.yaml', lab('z'));
    clock.advance(19);
    assert.deepEqual(live.asked, ['x']);
    clock.advance(1);
    assert.deepEqual(live.asked, ['x', 'z']);
    manager.dispose();
  });

  it('reads a lab never read as soon as the tree shows its hosts, and not again after the edit wait', () => {
    const { workspace, live, manager, clock } = setup();
    manager.setVisible(true);
    workspace.update('x', 'x.lab.yaml', lab('x'));
    workspace.update('bad', 'bad.lab.yaml', 'nope: [');
    assert.deepEqual(live.asked, [], 'a lab found while the view shows waits for the tree');
    manager.labShown('bad');
    manager.labShown('x');
    assert.deepEqual(live.asked, ['x'], 'the valid lab, at once');
    live.reading.add('x');
    clock.advance(1000);
    manager.labShown('x');
    assert.deepEqual(live.asked, ['x'], 'no second read, neither when the wait for edits would have ended nor when shown again');
    live.reading.delete('x');
    live.read.set('x', { readAt: 1 });
    manager.labShown('x');
    assert.deepEqual(live.asked, ['x'], 'a lab read already is left to the periodic refresh');
    manager.dispose();
  });

  it('reads a lab the tree showed while hidden only once the view shows', () => {
    const { workspace, live, manager, clock } = setup();
    workspace.update('x', 'x.lab.yaml', lab('x'));
    manager.labShown('x');
    clock.advance(1000);
    assert.deepEqual(live.asked, []);
    manager.setVisible(true);
    assert.deepEqual(live.asked, ['x']);
    manager.dispose();
  });

  it('polls only while visible, skipping labs still being read', () => {
    const { workspace, live, manager, clock } = setup();
    workspace.update('x', 'x.lab.yaml', lab('x'));
    workspace.update('y', 'y.lab.yaml', lab('y'));
    live.read.set('x', { readAt: 1 });
    live.read.set('y', { readAt: 1 });
    live.reading.add('y');
    manager.setInterval(0.02);
    clock.advance(100);
    assert.deepEqual(live.asked, [], 'hidden');
    manager.setVisible(true);
    clock.advance(0);
    assert.deepEqual(live.asked, ['x'], 'shown after more than an interval: at once');
    clock.advance(40);
    assert.deepEqual(live.asked, ['x', 'x', 'x'], 'then every 20 ms, never y');
    manager.setVisible(false);
    clock.advance(100);
    assert.equal(live.asked.length, 3);
    manager.setInterval(0);
    manager.dispose();
    assert.equal(clock.pending, 0);
  });

  it('refreshes every valid lab, one lab, or one host on command', async () => {
    const { workspace, live, manager } = setup();
    workspace.update('x', 'x.lab.yaml', lab('x'));
    workspace.update('y', 'y.lab.yaml', lab('y'));
    workspace.update('bad', 'bad.lab.yaml', 'nope: [');
    await manager.refreshAll();
    await manager.refreshLab('y');
    await manager.refreshHost('x', 'a');
    assert.deepEqual(live.asked, ['x', 'y', 'y', 'x:a']);
    manager.dispose();
  });
});
