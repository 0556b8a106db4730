// The task provider against a stand-in `vscode`: the tasks it lists, those it resolves from
// tasks.json, and a task's run through its CustomExecution's Pseudoterminal to its exit code.

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Lab } from '../../../src/lab/types';
import { LabSession } from '../../../src/session/labSession';
import type { SshPool } from '../../../src/ssh/pool';
import type { ExecOptions, ExecResult } from '../../../src/ssh/types';
import type { LabsTreeProvider } from '../../../src/views/labsTreeProvider';
import { DEMO_FILE } from './hostStates';
import { installVscodeStub, workspace, type Task } from './vscodeStub';

installVscodeStub();
const { ScriptTaskProvider } = require('../../../src/views/scriptTaskProvider') as typeof import('../../../src/views/scriptTaskProvider');

class FakePool extends EventEmitter {
  readonly calls: string[] = [];
  constructor(
    readonly lab: Lab,
    private readonly code: (host: string) => number,
  ) {
    super();
  }
  get endpoints() {
    return { labels: () => this.lab.hosts.map((host) => host.name) };
  }
  state(host: string) {
    return { host, state: 'idle' };
  }
  async exec(host: string, _command: unknown, options: ExecOptions): Promise<ExecResult> {
    this.calls.push(host);
    options.onStdout?.(Buffer.from(`hello from ${host}\r\n`));
    return { code: this.code(host), stdout: '', stderr: '' };
  }
  dispose() {}
}

interface Pty {
  onDidWrite(listener: (text: string) => void): unknown;
  onDidClose(listener: (code: number | void) => void): unknown;
  open(): void;
}

const KEY = 'file:///ws/examples/demo.lab.yaml';

function setup(code: (host: string) => number = () => 0) {
  const pools: FakePool[] = [];
  const session = new LabSession((lab) => {
    const pool = new FakePool(lab, code);
    pools.push(pool);
    return pool as unknown as SshPool;
  });
  session.workspace.update(KEY, DEMO_FILE, readFileSync(DEMO_FILE, 'utf8'));
  const tree = { labs: () => session.workspace.all() } as unknown as LabsTreeProvider;
  return { provider: new ScriptTaskProvider(session, tree), pools, session };
}

/** Runs a task as the task system would: its execution gives a Pseudoterminal, opened; resolves with the exit code. */
async function runTask(task: Task): Promise<{ code: number | void; output: string }> {
  const pty = (await task.execution!.callback(task.definition)) as Pty;
  let output = '';
  const closed = new Promise<number | void>((resolve) => pty.onDidClose(resolve));
  pty.onDidWrite((text) => (output += text));
  pty.open();
  const code = await closed;
  return { code, output: output.replace(/\x1b\[[0-9;]*m/g, '') };
}

describe('ScriptTaskProvider (with a stand-in vscode)', () => {
  it('lists a task per script of the workspace’s valid labs, in the lab file’s folder', async () => {
    const { provider } = setup();
    const tasks = (await provider.provideTasks()) as unknown as Task[];
    assert.deepEqual(
      tasks.map((task) => [`${task.source}: ${task.name}`, task.definition, task.detail]),
      [
        ['demo: versions', { type: 'overlay-lab', lab: 'examples/demo.lab.yaml', script: 'versions' }, 'Show kernel, distribution and Open vSwitch versions'],
        ['demo: show-ovs', { type: 'overlay-lab', lab: 'examples/demo.lab.yaml', script: 'show-ovs' }, 'Show the Open vSwitch configuration'],
      ],
    );
    assert.equal(tasks[0].scope, workspace.workspaceFolders[0]);
  });

  it('runs a task in a Pseudoterminal that exits 0 when every host succeeded', async () => {
    const { provider, pools } = setup();
    const [, showOvs] = (await provider.provideTasks()) as unknown as Task[];
    const { code, output } = await runTask(showOvs);
    assert.equal(code, 0);
    assert.deepEqual(pools[0].calls.sort(), ['ovs-a', 'ovs-b']);
    assert.ok(output.includes('ovs-a | hello from ovs-a\r\n'), output);
    assert.ok(output.includes('✓ show-ovs succeeded on all 2 hosts.'), output);
  });

  it('exits 1 when a host failed', async () => {
    const { provider } = setup((host) => (host === 'test-b' ? 2 : 0));
    const [versions] = (await provider.provideTasks()) as unknown as Task[];
    const { code, output } = await runTask(versions);
    assert.equal(code, 1);
    assert.ok(output.includes('test-b | ✗ exited with status 2'), output);
  });

  it('resolves a task written in tasks.json, with one host, however its path is spelled', async () => {
    const { provider, pools } = setup();
    const written = { definition: { type: 'overlay-lab', lab: './examples/demo.lab.yaml', script: 'show-ovs', host: 'ovs-b' }, scope: workspace.workspaceFolders[0] };
    const task = (await provider.resolveTask(written as never)) as unknown as Task;
    assert.equal(`${task.source}: ${task.name}`, 'demo: show-ovs on ovs-b');
    assert.equal(task.definition, written.definition, 'the same definition, as VS Code requires');
    const { code } = await runTask(task);
    assert.equal(code, 0);
    assert.deepEqual(pools[0].calls, ['ovs-b']);
  });

  it('resolves no task of another type or without a script; says what is wrong with one it cannot run', async () => {
    const { provider } = setup();
    assert.equal((await provider.resolveTask({ definition: { type: 'shell' }, scope: workspace.workspaceFolders[0] } as never)), undefined);
    assert.equal((await provider.resolveTask({ definition: { type: 'overlay-lab', lab: 'x.lab.yaml' }, scope: workspace.workspaceFolders[0] } as never)), undefined);
    const missing = (await provider.resolveTask({ definition: { type: 'overlay-lab', lab: 'gone.lab.yaml', script: 'x' }, scope: workspace.workspaceFolders[0] } as never)) as unknown as Task;
    assert.equal(missing.source, 'overlay-lab');
    const gone = await runTask(missing);
    assert.equal(gone.code, 1);
    assert.equal(gone.output, 'No lab file gone.lab.yaml in this workspace.\r\n');
    const wrongHost = (await provider.resolveTask({ definition: { type: 'overlay-lab', lab: 'examples/demo.lab.yaml', script: 'show-ovs', host: 'test-a' }, scope: workspace.workspaceFolders[0] } as never)) as unknown as Task;
    assert.equal((await runTask(wrongHost)).output, 'Script show-ovs does not run on test-a; it runs on: ovs-a, ovs-b.\r\n');
  });
});
