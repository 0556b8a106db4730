// The SSH core against real hosts: sshd in network namespaces, reached directly and through
// jump hosts, with real host keys, real identities and real failures.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { EndpointTable, type EndpointOverrides } from '../../src/ssh/endpoints';
import type { SshError } from '../../src/ssh/errors';
import { SshPool, type PoolOptions } from '../../src/ssh/pool';
import { demoSpec, TestLab, waitFor } from '../lab';
import { noSshConfig, requireRoot, writeDemoLabFile } from '../lab/labFiles';

const HOSTS = ['ovs-a', 'ovs-b', 'test-a', 'test-b'];

async function readLab(file: string): Promise<Lab> {
  const result = await loadLabFile(file);
  assert.ok(result.lab, result.diagnostics.map((d) => d.message).join('\n'));
  return result.lab;
}

/** Waits (bounded) until a condition on the hosts holds. */
function until(what: string, condition: () => Promise<boolean>): Promise<true> {
  return waitFor(what, 5000, async () => ((await condition()) ? true : undefined));
}

function fingerprintOf(publicKeyLine: string, dir: string): string {
  const file = join(dir, 'fp.pub');
  writeFileSync(file, `${publicKeyLine}\n`);
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file]).toString().split(' ')[1];
}

describe('SSH core against the test lab', function () {
  this.timeout(60_000);
  let lab: TestLab;
  let labModel: Lab;
  const pools: SshPool[] = [];

  function pool(overrides: EndpointOverrides = {}, options: PoolOptions = {}, model = labModel): SshPool {
    const created = new SshPool(new EndpointTable(model, noSshConfig(), { connectTimeoutMs: 5000, ...overrides }), options);
    pools.push(created);
    return created;
  }

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoSpec);
    labModel = await readLab(writeDemoLabFile(lab, 'ssh-core'));
  });
  afterEach(() => {
    for (const p of pools.splice(0)) p.dispose();
  });
  after(async () => {
    await lab?.down();
  });

  it('runs a command and returns its stdout, stderr and exit status', async () => {
    const result = await pool().exec('ovs-a', ['sh', '-c', 'hostname; echo oops >&2; exit 3']);
    assert.deepEqual({ code: result.code, stdout: result.stdout, stderr: result.stderr }, { code: 3, stdout: 'ovs-a\n', stderr: 'oops\n' });
  });

  it('records each new host key under accept-new, as OpenSSH writes it', async () => {
    await pool().exec('ovs-b', ['true']);
    const knownHosts = readFileSync(lab.paths.knownHosts, 'utf8');
    assert.ok(knownHosts.includes(`10.213.0.12 ${await lab.hostPublicKey('ovs-b')}`), knownHosts);
  });

  it('runs commands on four hosts at once, over one connection per host', async () => {
    const p = pool();
    const results = await Promise.all(HOSTS.flatMap((host) => [1, 2, 3].map(async () => ({ host, out: (await p.exec(host, ['hostname'])).stdout.trim() }))));
    for (const { host, out } of results) assert.equal(out, host);
    // ovs-a carries its own session and the channel to test-a: still one TCP connection to its sshd.
    for (const host of ['ovs-a', 'ovs-b', 'test-a']) {
      const sockets = await lab.nsExec(host, ['ss', '-Htn', 'state', 'established', '( sport = :22 )']);
      assert.equal(sockets.stdout.trim().split('\n').filter(Boolean).length, 1, `${host}: ${sockets.stdout}`);
    }
  });

  it('reaches a host through its jump host, reusing the jump host’s pooled connection', async () => {
    const p = pool();
    const states: string[] = [];
    p.on('state', (event) => states.push(`${event.host}:${event.state}`));
    assert.equal((await p.exec('test-a', ['hostname'])).stdout, 'test-a\n');
    assert.deepEqual(states, ['test-a:connecting', 'ovs-a:connecting', 'ovs-a:connected', 'test-a:connected']);
    assert.equal(p.state('ovs-a').state, 'connected');
  });

  it('stops a cancelled command on the host and leaves nothing running', async () => {
    const p = pool();
    const abort = new AbortController();
    const running = p.exec('ovs-a', ['sh', '-c', 'sleep 41; echo never'], { signal: abort.signal });
    await until('sleep 41 to start on ovs-a', async () => (await lab.processes('ovs-a', /sleep 41/)).length > 0);
    abort.abort();
    const result = await running;
    assert.equal(result.cancelled, 'aborted');
    assert.equal(result.stdout, '');
    await until('sleep 41 to be gone from ovs-a', async () => (await lab.processes('ovs-a', /sleep 41/)).length === 0);
  });

  it('stops a command at its timeout', async () => {
    const result = await pool().exec('test-b', ['sleep', '42'], { timeoutSeconds: 0.5 });
    assert.equal(result.cancelled, 'timeout');
    await until('sleep 42 to be gone from test-b', async () => (await lab.processes('test-b', /sleep 42/)).length === 0);
  });

  it('refuses an unknown host key under strictHostKeyChecking yes, with type and fingerprint', async () => {
    const empty = join(lab.paths.workDir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const strictLab = await readLab(writeDemoLabFile(lab, 'strict', (doc) => doc.setIn(['defaults', 'ssh', 'strictHostKeyChecking'], 'yes')));
    const error = (await pool({ knownHostsFile: empty }, {}, strictLab).exec('ovs-a', ['true']).catch((e) => e)) as SshError;
    assert.equal(error.kind, 'host-key-unknown');
    assert.match(error.message, /^ovs-a: no ED25519 host key is known for 10\.213\.0\.11/);
    assert.ok(error.message.includes(fingerprintOf(await lab.hostPublicKey('ovs-a'), lab.paths.workDir)), error.message);
    assert.equal(readFileSync(empty, 'utf8'), '', 'nothing recorded under yes');
  });

  it('refuses an identity the host does not accept, naming the host and what was tried', async () => {
    const error = (await pool({}, {}, { ...labModel, defaults: { ssh: { ...labModel.defaults.ssh, identityFile: lab.paths.unauthorizedKey } }, hosts: labModel.hosts.map((h) => ({ ...h, ssh: { ...h.ssh, identityFile: lab.paths.unauthorizedKey } })) })
      .exec('ovs-b', ['true'])
      .catch((e) => e)) as SshError;
    assert.equal(error.kind, 'authentication');
    assert.match(error.message, /^ovs-b: authentication refused for root@10\.213\.0\.12:22/);
    assert.ok(error.message.includes(lab.paths.unauthorizedKey), error.message);
  });

  describe('an encrypted identity', () => {
    const withKey = (key: string): Lab => ({ ...labModel, hosts: labModel.hosts.map((h) => ({ ...h, ssh: { ...h.ssh, identityFile: key } })) });

    it('is opened with the passphrase the user gives, asked once for several hosts', async () => {
      const asked: string[] = [];
      const accepted: string[] = [];
      const p = pool({}, {
        prompt: async ({ host, attempt }) => {
          asked.push(`${host}#${attempt}`);
          return attempt === 1 ? 'wrong guess' : lab.paths.encryptedKeyPassphrase;
        },
        onPassphraseAccepted: (file) => accepted.push(file),
      }, withKey(lab.paths.encryptedKey));
      assert.equal((await p.exec('ovs-a', ['hostname'])).stdout, 'ovs-a\n');
      assert.equal((await p.exec('ovs-b', ['hostname'])).stdout, 'ovs-b\n');
      assert.deepEqual(asked, ['ovs-a#1', 'ovs-a#2']);
      assert.deepEqual(accepted, [lab.paths.encryptedKey]);
    });

    it('is skipped with advice when nobody can be asked', async () => {
      const error = (await pool({}, {}, withKey(lab.paths.encryptedKey)).exec('ovs-a', ['true']).catch((e) => e)) as SshError;
      assert.equal(error.kind, 'authentication');
      assert.match(error.message, /encrypted, and no passphrase can be asked here: load it with ssh-add/);
    });
  });

  it('fails a command with a clear error, without hanging, when sshd dies under it', async () => {
    const p = pool();
    const running = p.exec('ovs-b', ['sleep', '43']).then(
      () => undefined,
      (e: SshError) => e,
    );
    await until('sleep 43 to start on ovs-b', async () => (await lab.processes('ovs-b', /sleep 43/)).length > 0);
    await lab.killSshdHard('ovs-b', { sessionCommands: true });
    const error = await running;
    assert.ok(error, 'the command must fail');
    assert.equal(error.kind, 'connection-lost');
    assert.match(error.message, /^ovs-b: /);
    assert.equal(p.state('ovs-b').state, 'failed');
    await lab.startSshd('ovs-b');
    assert.equal((await p.exec('ovs-b', ['hostname'])).stdout, 'ovs-b\n', 'the next use reconnects');
  });

  it('keeps three hosts answering while one is down, and says why for each failure', async () => {
    await lab.stopSshd('test-b');
    try {
      const ghostLab = await readLab(
        writeDemoLabFile(lab, 'ghost', (doc) => doc.setIn(['hosts', 'ghost'], doc.createNode({ ssh: { host: '10.213.0.99' }, interfaces: { eth0: {} } }))),
      );
      const p = pool({ connectTimeoutMs: 3000 }, {}, ghostLab);
      const settled: string[] = [];
      const outcomes = await Promise.all(
        [...HOSTS, 'ghost'].map((host) =>
          p.exec(host, ['hostname']).then(
            (result) => (settled.push(host), { host, out: result.stdout.trim() }),
            (error: SshError) => (settled.push(host), { host, error }),
          ),
        ),
      );
      const byHost = Object.fromEntries(outcomes.map((o) => [o.host, o]));
      for (const host of ['ovs-a', 'ovs-b', 'test-a']) assert.equal((byHost[host] as { out: string }).out, host);
      const testB = (byHost['test-b'] as { error: SshError }).error;
      assert.equal(testB.kind, 'jump');
      assert.match(testB.message, /^test-b: jump host ovs-b could not open a connection to 10\.213\.2\.2:22/);
      const ghost = (byHost.ghost as { error: SshError }).error;
      assert.ok(['timeout', 'unreachable'].includes(ghost.kind), ghost.message);
      assert.match(ghost.message, /^ghost: /);
      assert.equal(settled[settled.length - 1], 'ghost', 'the live hosts answered before the dead one gave up');
    } finally {
      await lab.startSshd('test-b');
    }
  });

  it('refuses a changed host key under every setting, with the new fingerprint', async () => {
    await pool().exec('test-a', ['true']); // known_hosts now holds test-a's key
    const newKey = await lab.regenerateHostKey('test-a');
    const fingerprint = fingerprintOf(newKey, lab.paths.workDir);
    for (const strict of ['accept-new', 'no'] as const) {
      const model = await readLab(writeDemoLabFile(lab, `changed-${strict}`, (doc) => doc.setIn(['defaults', 'ssh', 'strictHostKeyChecking'], strict)));
      const error = (await pool({}, {}, model).exec('test-a', ['true']).catch((e) => e)) as SshError;
      assert.equal(error.kind, 'host-key-changed', error.message);
      assert.match(error.message, /^test-a: REMOTE HOST IDENTIFICATION HAS CHANGED! The ED25519 key sent by 10\.213\.1\.2/);
      assert.ok(error.message.includes(fingerprint), error.message);
    }
  });
});
