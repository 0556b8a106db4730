// A script's run in a terminal, end to end without an editor or a network: the session that the
// Pseudoterminal drives, the run prepared from the lab session (lab, pool, targets), and the
// pool's exec faked per host.

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Lab } from '../../../src/lab/types';
import type { ScriptHostResult, ScriptRunResult } from '../../../src/scripts/runLabScript';
import { LabSession } from '../../../src/session/labSession';
import { prepareScriptRun } from '../../../src/session/scriptRuns';
import { scriptsFor, scriptTargetsFor } from '../../../src/session/scriptTargets';
import { ScriptTerminalSession, type PrepareScriptRun, type ScriptRun } from '../../../src/session/scriptTerminal';
import type { SshPool } from '../../../src/ssh/pool';
import type { ExecOptions, ExecResult } from '../../../src/ssh/types';
import { DEMO_FILE, demoLab } from '../views/hostStates';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const plain = (output: string[]) => output.join('').replace(/\x1b\[[0-9;]*m/g, '');

function sink() {
  const output: string[] = [];
  const closes: (number | undefined)[] = [];
  return { output, closes, sink: { write: (text: string) => output.push(text), close: (code?: number) => closes.push(code) } };
}

/** A run whose hosts say what the test tells them to, and end when told. */
function fakeRun(hosts: string[]) {
  let options!: Parameters<ScriptRun['start']>[0];
  let finish!: (result: ScriptRunResult) => void;
  const run: ScriptRun = {
    script: 'versions',
    hosts,
    start: (given) => {
      options = given;
      return new Promise((resolve) => (finish = resolve));
    },
  };
  return {
    run,
    line: (host: string, line: string) => options.onLine?.(host, 'stdout', line),
    signal: () => options.signal!,
    end: (results: ScriptHostResult[]) => finish({ script: 'versions', hosts: results }),
  };
}

const ok = (host: string): ScriptHostResult => ({ host, status: 'ok', code: 0, elapsedMs: 20 });

describe('ScriptTerminalSession', () => {
  it('streams each host’s lines, then a line per host in target order and the run’s, and waits for a key', async () => {
    const { output, closes, sink: terminal } = sink();
    const fake = fakeRun(['ovs-a', 'test-a']);
    const session = new ScriptTerminalSession(() => fake.run, terminal, { waitForKey: true });
    session.start();
    await tick();
    fake.line('test-a', 'kernel: 6.1');
    fake.line('ovs-a', '\x1b[32mgreen\x1b[0m');
    fake.end([{ host: 'test-a', status: 'failed', code: 3, elapsedMs: 5 }, ok('ovs-a')]);
    await tick();
    const text = plain(output);
    assert.match(text, /^Running versions on 2 hosts \(ovs-a, test-a\)\./);
    assert.ok(text.includes('test-a | kernel: 6.1\r\novs-a  | green\r\n'), text);
    assert.ok(output.join('').includes('\x1b[32mgreen\x1b[0m'), 'the remote colours are kept');
    assert.ok(text.includes('\r\novs-a  | ✓ ok (20 ms)\r\ntest-a | ✗ exited with status 3 (5 ms)\r\n✗ versions succeeded on 1 of 2 hosts; failed: test-a.\r\n'), text);
    assert.ok(text.endsWith('Press any key to close this terminal.\r\n'));
    assert.deepEqual(closes, []);
    session.input('x');
    assert.deepEqual(closes, [1], 'closes with 1: a host failed');
  });

  it('closes at once with 0 for a task when every host succeeded', async () => {
    const { closes, sink: terminal } = sink();
    const fake = fakeRun(['ovs-a']);
    const session = new ScriptTerminalSession(() => fake.run, terminal, { waitForKey: false });
    session.start();
    await tick();
    fake.end([ok('ovs-a')]);
    await tick();
    assert.deepEqual(closes, [0]);
  });

  it('cancels on Ctrl+C: the run’s signal aborts, and it says so', async () => {
    const { output, closes, sink: terminal } = sink();
    const fake = fakeRun(['ovs-a', 'ovs-b']);
    const session = new ScriptTerminalSession(() => fake.run, terminal, { waitForKey: false });
    session.start();
    await tick();
    session.input('abc');
    assert.equal(fake.signal().aborted, false, 'other keys do nothing');
    session.input('\x03');
    assert.equal(fake.signal().aborted, true);
    fake.end([ok('ovs-a'), { host: 'ovs-b', status: 'cancelled', code: null, elapsedMs: 9 }]);
    await tick();
    assert.match(plain(output), /\^C\r\nStopping the script on the hosts…/);
    assert.match(plain(output), /■ versions was cancelled: 1 of 2 hosts had finished it\./);
    assert.deepEqual(closes, [1]);
  });

  it('cancels when the terminal is closed, and writes nothing more', async () => {
    const { output, closes, sink: terminal } = sink();
    const fake = fakeRun(['ovs-a']);
    const session = new ScriptTerminalSession(() => fake.run, terminal, { waitForKey: true });
    session.start();
    await tick();
    const written = output.length;
    session.closedByUser();
    assert.equal(fake.signal().aborted, true);
    fake.line('ovs-a', 'late');
    fake.end([{ host: 'ovs-a', status: 'cancelled', code: null, elapsedMs: 1 }]);
    await tick();
    assert.equal(output.length, written);
    assert.deepEqual(closes, []);
  });

  it('shows why a run cannot start, and ends with 1', async () => {
    const { output, closes, sink: terminal } = sink();
    const prepare: PrepareScriptRun = () => {
      throw new Error('The lab demo has no script "nope"; its scripts are: versions.');
    };
    new ScriptTerminalSession(prepare, terminal, { waitForKey: false }).start();
    await tick();
    assert.equal(plain(output), 'The lab demo has no script "nope"; its scripts are: versions.\r\n');
    assert.deepEqual(closes, [1]);
  });
});

describe('which hosts a script runs on', () => {
  const lab = demoLab();

  it('runs on its own hosts, or the one asked for if it is one of them', () => {
    assert.deepEqual(scriptTargetsFor(lab, 'versions'), { ok: true, hosts: ['ovs-a', 'ovs-b', 'test-a', 'test-b'] });
    assert.deepEqual(scriptTargetsFor(lab, 'show-ovs', 'ovs-b'), { ok: true, hosts: ['ovs-b'] });
    assert.deepEqual(scriptTargetsFor(lab, 'show-ovs', 'test-a'), { ok: false, message: 'Script show-ovs does not run on test-a; it runs on: ovs-a, ovs-b.' });
    assert.deepEqual(scriptTargetsFor(lab, 'show-ovs', 'zz'), { ok: false, message: 'The lab demo has no host "zz"; its hosts are: ovs-a, ovs-b, test-a, test-b.' });
    assert.deepEqual(scriptTargetsFor(lab, 'nope'), { ok: false, message: 'The lab demo has no script "nope"; its scripts are: versions, show-ovs.' });
  });

  it('offers on a host the scripts that run there', () => {
    assert.deepEqual(
      scriptsFor(lab, 'test-a').map((script) => script.name),
      ['versions'],
    );
    assert.deepEqual(
      scriptsFor(lab).map((script) => script.name),
      ['versions', 'show-ovs'],
    );
  });
});

class FakePool extends EventEmitter {
  readonly calls: { host: string; options: ExecOptions }[] = [];
  constructor(
    readonly lab: Lab,
    private readonly answer: (host: string, options: ExecOptions) => Promise<ExecResult>,
  ) {
    super();
  }
  get endpoints() {
    return { labels: () => this.lab.hosts.map((host) => host.name) };
  }
  state(host: string) {
    return { host, state: 'idle' };
  }
  exec(host: string, _command: unknown, options: ExecOptions): Promise<ExecResult> {
    this.calls.push({ host, options });
    return this.answer(host, options);
  }
  dispose() {}
}

describe('a script run prepared from the lab session', () => {
  const KEY = 'file:///ws/demo.lab.yaml';

  function session(answer: (host: string, options: ExecOptions) => Promise<ExecResult>) {
    let pool: FakePool | undefined;
    const labSession = new LabSession((lab) => (pool = new FakePool(lab, answer)) as unknown as SshPool);
    labSession.workspace.update(KEY, DEMO_FILE, readFileSync(DEMO_FILE, 'utf8'));
    return { labSession, pool: () => pool! };
  }

  it('runs with a pty on the asked host, through the lab’s pool, into the terminal', async () => {
    const { labSession, pool } = session(async (host, options) => {
      options.onStdout?.(Buffer.from(`\x1b[1m${host}\x1b[0m up\r\n`));
      return { code: 0, stdout: '', stderr: '' };
    });
    const { output, closes, sink: terminal } = sink();
    const prepare = prepareScriptRun(labSession, { key: KEY, labPath: 'demo.lab.yaml', script: 'show-ovs', host: 'ovs-b' });
    new ScriptTerminalSession(prepare, terminal, { waitForKey: false }).start();
    await tick();
    await tick();
    assert.deepEqual(
      pool().calls.map((call) => [call.host, call.options.pty]),
      [['ovs-b', true]],
    );
    assert.ok(output.join('').includes('\x1b[1movs-b\x1b[0m up\r\n'), output.join(''));
    assert.deepEqual(closes, [0]);
  });

  it('stops the remote runs when the terminal closes', async () => {
    const { labSession, pool } = session(
      (_host, options) => new Promise((resolve) => options.signal?.addEventListener('abort', () => resolve({ code: null, stdout: '', stderr: '', cancelled: 'aborted' }))),
    );
    const { sink: terminal } = sink();
    const session2 = new ScriptTerminalSession(prepareScriptRun(labSession, { key: KEY, labPath: 'demo.lab.yaml', script: 'versions' }), terminal, { waitForKey: true });
    session2.start();
    await tick();
    assert.equal(pool().calls.length, 4);
    session2.closedByUser();
    assert.ok(pool().calls.every((call) => call.options.signal?.aborted));
  });

  it('says which file is missing or has errors', async () => {
    const { labSession } = session(async () => ({ code: 0, stdout: '', stderr: '' }));
    assert.throws(() => prepareScriptRun(labSession, { key: 'file:///ws/gone.lab.yaml', labPath: 'gone.lab.yaml', script: 'x' })(), /No lab file gone\.lab\.yaml in this workspace\./);
    labSession.workspace.update('file:///ws/bad.lab.yaml', '/ws/bad.lab.yaml', 'version: 1\nhosts: 3\n');
    assert.throws(() => prepareScriptRun(labSession, { key: 'file:///ws/bad.lab.yaml', labPath: 'bad.lab.yaml', script: 'x' })(), /bad\.lab\.yaml has errors/);
  });
});
