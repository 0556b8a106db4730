// The lab's own scripts on real hosts: in parallel, streamed line by line, one host failing or
// unreachable without stopping the others, and cancelled or timed-out runs leaving nothing behind.

import { strict as assert } from 'node:assert';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { runLabScript } from '../../src/scripts/runLabScript';
import { SshPool } from '../../src/ssh/pool';
import { demoLabSpec, TestLab, waitFor } from '../lab';
import { buildCli, cli, startCli } from '../lab/productCli';
import { labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

const SCRIPTS = {
  hello: { run: 'echo "out from $(hostname)"\necho "err from $(hostname)" >&2\nprintf "no newline"' },
  'fail-on-b': { hosts: ['ovs-a', 'ovs-b', 'test-a'], run: 'if [ "$(hostname)" = ovs-b ]; then echo boom >&2; exit 4; fi\necho fine' },
  slow: { hosts: ['ovs-a', 'test-b'], run: 'echo started\nsleep 44\necho never' },
  'slow-timeout': { hosts: ['ovs-b'], timeout: 1, run: 'sleep 45; echo never' },
  'stop-on-error': { hosts: ['ovs-a'], run: 'echo one\nfalse\necho two' },
};

describe('lab scripts on the test lab', function () {
  this.timeout(60_000);
  let lab: TestLab;
  let model: Lab;
  let labFile: string;
  let pool: SshPool;

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoLabSpec({ prefix: 'olts', mgmtSubnet: '10.213.40.1/24' }));
    labFile = writeDemoLabFile(lab, 'scripts', (doc) => {
      for (const [name, script] of Object.entries(SCRIPTS)) doc.setIn(['scripts', name], doc.createNode(script));
    });
    const loaded = await loadLabFile(labFile);
    assert.ok(loaded.lab, loaded.diagnostics.map((d) => d.message).join('\n'));
    model = loaded.lab;
    pool = labPool(model);
  });
  after(async () => {
    pool?.dispose();
    await lab?.down();
  });

  it('runs on every host at once, streaming stdout and stderr as lines', async () => {
    const lines: string[] = [];
    const result = await runLabScript(pool, model, 'hello', { onLine: (host, stream, line) => lines.push(`${host} ${stream} ${line}`) });
    assert.deepEqual(result.hosts.map((h) => [h.host, h.status, h.code]), [
      ['ovs-a', 'ok', 0],
      ['ovs-b', 'ok', 0],
      ['test-a', 'ok', 0],
      ['test-b', 'ok', 0],
    ]);
    for (const host of ['ovs-a', 'ovs-b', 'test-a', 'test-b']) {
      assert.ok(lines.includes(`${host} stdout out from ${host}`), lines.join('\n'));
      assert.ok(lines.includes(`${host} stderr err from ${host}`), lines.join('\n'));
      assert.ok(lines.includes(`${host} stdout no newline`), 'the last line without a newline is kept');
    }
  });

  it('runs with sh -e: a failing command ends the script', async () => {
    const lines: string[] = [];
    const result = await runLabScript(pool, model, 'stop-on-error', { onLine: (_h, _s, line) => lines.push(line) });
    assert.equal(result.hosts[0].status, 'failed');
    assert.equal(result.hosts[0].code, 1);
    assert.deepEqual(lines, ['one']);
  });

  it('reports a failing host with its status while the others succeed', async () => {
    const result = await runLabScript(pool, model, 'fail-on-b');
    const byHost = Object.fromEntries(result.hosts.map((h) => [h.host, h]));
    assert.equal(byHost['ovs-a'].status, 'ok');
    assert.equal(byHost['test-a'].status, 'ok');
    assert.equal(byHost['ovs-b'].status, 'failed');
    assert.equal(byHost['ovs-b'].code, 4);
    assert.equal(byHost['ovs-b'].message, 'ovs-b: script fail-on-b exited with status 4.');
  });

  it('stops a cancelled script on every host and leaves nothing running', async () => {
    const abort = new AbortController();
    const started = new Set<string>();
    const running = runLabScript(pool, model, 'slow', {
      signal: abort.signal,
      onLine: (host, _stream, line) => line === 'started' && started.add(host),
    });
    await waitFor('both hosts to start', 10_000, async () => (started.size === 2 ? true : undefined));
    abort.abort();
    const result = await running;
    assert.deepEqual(result.hosts.map((h) => h.status), ['cancelled', 'cancelled']);
    for (const host of ['ovs-a', 'test-b']) {
      await waitFor(`sleep 44 to be gone from ${host}`, 5000, async () => ((await lab.processes(host, /sleep 44/)).length === 0 ? true : undefined));
    }
  });

  it('stops a script at its timeout', async () => {
    const result = await runLabScript(pool, model, 'slow-timeout');
    assert.equal(result.hosts[0].status, 'timeout');
    assert.match(result.hosts[0].message ?? '', /ovs-b: script slow-timeout was stopped after its timeout of 1 s/);
    await waitFor('sleep 45 to be gone from ovs-b', 5000, async () => ((await lab.processes('ovs-b', /sleep 45/)).length === 0 ? true : undefined));
  });

  it('reports an unreachable host without holding up the others', async () => {
    await lab.stopSshd('test-b');
    try {
      const fresh = labPool(model);
      const result = await runLabScript(fresh, model, 'hello');
      fresh.dispose();
      const testB = result.hosts.find((h) => h.host === 'test-b');
      assert.equal(testB?.status, 'unreachable');
      assert.match(testB?.message ?? '', /^test-b: jump host ovs-b could not open a connection/);
      assert.equal(result.hosts.filter((h) => h.status === 'ok').length, 3);
    } finally {
      await lab.startSshd('test-b');
    }
  });

  describe('bin/overlay-lab run', () => {
    before(buildCli);

    it('prefixes each line with its host and exits with the worst host’s status', async () => {
      const ok = await cli(['run', labFile, 'hello']);
      assert.equal(ok.status, 0, ok.stderr);
      assert.ok(ok.stdout.split('\n').includes('test-a | out from test-a'), ok.stdout);
      assert.ok(ok.stderr.split('\n').includes('ovs-b  | err from ovs-b'), ok.stderr);
      const failing = await cli(['run', labFile, 'fail-on-b']);
      assert.equal(failing.status, 1);
      assert.match(failing.stderr, /ovs-b  \| ovs-b: script fail-on-b exited with status 4\./);
      assert.match(failing.stderr, /fail-on-b: 2\/3 hosts succeeded/);
    });

    it('runs on one host with --host, and refuses a script that does not exist', async () => {
      const one = await cli(['run', labFile, 'hello', '--host', 'ovs-b']);
      assert.deepEqual(one.stdout.trim().split('\n'), ['ovs-b | out from ovs-b', 'ovs-b | no newline']);
      const missing = await cli(['run', labFile, 'nope']);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /the lab has no script "nope"; its scripts are: versions, show-ovs, hello/);
    });

    it('stops the script on the hosts when the CLI gets Ctrl-C', async () => {
      const child = startCli(['run', labFile, 'slow']);
      let out = '';
      child.stdout?.on('data', (c) => (out += c));
      await waitFor('the script to start', 10_000, async () => (out.split('started').length > 2 ? true : undefined));
      child.kill('SIGINT');
      const status = await new Promise((resolve) => child.on('close', resolve));
      assert.equal(status, 1);
      for (const host of ['ovs-a', 'test-b']) {
        await waitFor(`sleep 44 to be gone from ${host}`, 5000, async () => ((await lab.processes(host, /sleep 44/)).length === 0 ? true : undefined));
      }
    });
  });
});
