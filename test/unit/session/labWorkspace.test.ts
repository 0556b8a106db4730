import { strict as assert } from 'node:assert';
import type { LabLoadResult } from '../../../src/lab/types';
import { LabWorkspace, type LabWorkspaceChange } from '../../../src/session/labWorkspace';

const valid = 'version: 1\nname: x\nhosts:\n  a: {}\n';

describe('LabWorkspace', () => {
  it('makes a snapshot per file and tells listeners, old and new', () => {
    const workspace = new LabWorkspace();
    const changes: LabWorkspaceChange[] = [];
    workspace.onDidChange((change) => changes.push(change));
    const first = workspace.update('k', '/ws/x.lab.yaml', valid);
    assert.equal(first.result.lab?.name, 'x');
    const second = workspace.update('k', '/ws/x.lab.yaml', valid.replace('name: x', 'name: y'));
    assert.ok(second.revision > first.revision);
    assert.deepEqual(
      changes.map((change) => [change.snapshot?.result.lab?.name, change.previous?.result.lab?.name]),
      [
        ['x', undefined],
        ['y', 'x'],
      ],
    );
    assert.equal(workspace.get('k'), second);
  });

  it('makes no new snapshot for the same text', () => {
    let loads = 0;
    const workspace = new LabWorkspace((): LabLoadResult => {
      loads++;
      return { diagnostics: [] };
    });
    const first = workspace.update('k', 'f', 'text');
    assert.equal(workspace.update('k', 'f', 'text'), first);
    assert.equal(loads, 1);
  });

  it('forgets a removed file, once', () => {
    const workspace = new LabWorkspace();
    const changes: LabWorkspaceChange[] = [];
    workspace.update('k', 'f', valid);
    workspace.onDidChange((change) => changes.push(change));
    workspace.remove('k');
    workspace.remove('k');
    assert.equal(workspace.get('k'), undefined);
    assert.equal(changes.length, 1);
    assert.equal(changes[0].snapshot, undefined);
  });

  it('lists snapshots in file order', () => {
    const workspace = new LabWorkspace();
    workspace.update('2', '/ws/b.lab.yaml', valid);
    workspace.update('1', '/ws/a.lab.yaml', valid);
    assert.deepEqual(
      workspace.all().map((snapshot) => snapshot.file),
      ['/ws/a.lab.yaml', '/ws/b.lab.yaml'],
    );
  });

  it('turns a checker crash into an error on the file', () => {
    const workspace = new LabWorkspace(() => {
      throw new Error('boom');
    });
    const snapshot = workspace.update('k', 'f', 'x');
    assert.equal(snapshot.result.lab, undefined);
    assert.equal(snapshot.result.diagnostics[0].severity, 'error');
    assert.match(snapshot.result.diagnostics[0].message, /boom/);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const workspace = new LabWorkspace();
    let heard = 0;
    const subscription = workspace.onDidChange(() => heard++);
    subscription.dispose();
    workspace.update('k', 'f', valid);
    assert.equal(heard, 0);
  });
});
