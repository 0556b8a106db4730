// The test lab itself, checked with the system's OpenSSH client: if these pass, the hosts
// other integration tests talk to are what they claim to be.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

import {
  canBuildTestLab,
  demoLabSpec,
  demoSpec,
  resolveSpec,
  run,
  scaleLabSpec,
  stableMac,
  TestLab,
  waitFor,
  type RunResult,
  type TestLabSpec,
} from '../lab';

// A prefix and management subnet of its own, so this suite can run beside the demo lab
// (olt, 10.213.0.0/24) and the product's integration tests.
const PREFIX = 'oltl';
const spec = demoLabSpec({ prefix: PREFIX, mgmtSubnet: '10.213.10.1/24' });

describe('test lab: descriptions (no root needed)', () => {
  it('the demo spec is examples/demo.lab.yaml’s hosts and cables', () => {
    const lab = resolveSpec(demoSpec);
    assert.equal(lab.prefix, 'olt');
    assert.equal(lab.mgmtBridge, 'olt-mgmt');
    assert.deepEqual(
      lab.hosts.map((h) => [h.name, h.namespace, h.sshHost, h.ovs, h.behind?.host]),
      [
        ['ovs-a', 'olt-ovs-a', '10.213.0.11', true, undefined],
        ['ovs-b', 'olt-ovs-b', '10.213.0.12', true, undefined],
        ['test-a', 'olt-test-a', '10.213.1.2', false, 'ovs-a'],
        ['test-b', 'olt-test-b', '10.213.2.2', false, 'ovs-b'],
      ],
    );
    assert.deepEqual(
      lab.segments.map((s) => [s.namespace, s.members.map((m) => `${m.host}:${m.iface}`)]),
      [
        ['olt-seg-cn-a', ['ovs-a:eth2', 'test-a:eth2']],
        ['olt-seg-cn-b', ['ovs-b:eth2', 'test-b:eth2']],
        ['olt-seg-wan', ['ovs-a:eth0', 'ovs-b:eth0']],
      ],
    );
    // And it stays so when the example changes.
    const yaml = parseYaml(readFileSync(path.join(__dirname, '../../examples/demo.lab.yaml'), 'utf8')) as {
      hosts: Record<string, { ssh: { host: string; jump?: string } }>;
      segments: Record<string, { members: string[] }>;
    };
    assert.deepEqual(
      Object.entries(yaml.hosts).map(([name, h]) => [name, h.ssh.host, h.ssh.jump]),
      lab.hosts.map((h) => [h.name, h.sshHost, h.behind?.host]),
    );
    assert.deepEqual(
      Object.entries(yaml.segments).map(([name, s]) => [name, s.members]),
      lab.segments.map((s) => [s.name, s.members.map((m) => `${m.host}:${m.iface}`)]),
    );
    assert.match(stableMac('ovs-a', 'eth0'), /^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/, 'locally administered unicast');
    assert.equal(stableMac('ovs-a', 'eth0'), stableMac('ovs-a', 'eth0'));
    assert.notEqual(stableMac('ovs-a', 'eth0'), stableMac('ovs-b', 'eth0'));
  });

  it('the scale spec puts N hosts on the management network from .11', () => {
    const lab = resolveSpec(scaleLabSpec(32));
    assert.equal(lab.hosts.length, 32);
    assert.equal(lab.hosts[0].mgmtAddress, '10.213.0.11');
    assert.equal(lab.hosts[31].mgmtAddress, '10.213.0.42');
    assert.equal(lab.hosts[31].name, 'h32');
    assert.throws(() => scaleLabSpec(245), /count must be/);
  });

  it('refuses descriptions that would leave the lab’s names or addresses', () => {
    const base: TestLabSpec = { prefix: 'oltx', hosts: [{ name: 'a', mgmtAddress: '10.213.0.11' }], segments: [] };
    const bad: [Partial<TestLabSpec>, RegExp][] = [
      [{ prefix: 'olt-x' }, /prefix/],
      [{ hosts: [{ name: 'a', mgmtAddress: '192.0.2.9' }] }, /not in 10.213.0.1\/24/],
      [{ mgmtSubnet: '192.0.2.1/24' }, /inside 10.213.0.0\/16/],
      [{ hosts: [{ name: 'a', mgmtAddress: '10.213.0.11' }, { name: 'b', mgmtAddress: '10.213.0.11' }] }, /already used/],
      [{ hosts: [{ name: 'a' }] }, /neither mgmtAddress nor behind/],
      [{ hosts: [{ name: 'a', mgmtAddress: '10.213.0.11' }, { name: 'b', behind: { host: 'a', address: '10.213.0.20/30', gatewayAddress: '10.213.0.21/30' } }] }, /overlaps the management subnet/],
      [{ segments: [{ name: 'x', members: [{ host: 'a', iface: 'mgmt0' }] }] }, /already used/],
      [{ segments: [{ name: 'x', members: [{ host: 'a', iface: 'eth0; reboot' }] }] }, /not a valid Linux interface name/],
    ];
    for (const [change, message] of bad) assert.throws(() => resolveSpec({ ...base, ...change }), message, JSON.stringify(change));
  });
});

describe('test lab: the demo topology in network namespaces', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let upMs = 0;

  const ssh = (host: string, command: string, options: string[] = []): Promise<RunResult> =>
    run(['ssh', '-F', lab.paths.sshConfig, ...options, host, command], { check: false, timeoutMs: 30_000 });

  before(async function () {
    const can = await canBuildTestLab(spec);
    if (!can.ok) {
      console.log(`      skipping the test lab suite: ${can.reason}`);
      this.skip();
    }
    // Leftovers of an earlier run, which up() must clear away.
    await run(['ip', 'netns', 'add', `${PREFIX}-stale`], { check: false });
    await run(['ip', 'link', 'add', `${PREFIX}-stale0`, 'type', 'dummy'], { check: false });
    const t = Date.now();
    lab = await TestLab.up(spec);
    upMs = Date.now() - t;
    console.log(`      lab up in ${upMs} ms (${JSON.stringify(lab.timings)})`);
  });

  after(async () => {
    await lab?.down();
  });

  it('removed the previous run’s leftovers and built every namespace and root link', async () => {
    const s = await TestLab.status(PREFIX);
    assert.deepEqual(
      [...s.namespaces].sort(),
      ['oltl-ovs-a', 'oltl-ovs-b', 'oltl-seg-cn-a', 'oltl-seg-cn-b', 'oltl-seg-wan', 'oltl-test-a', 'oltl-test-b'],
    );
    assert.deepEqual([...s.links].sort(), ['oltl-m0', 'oltl-m1', 'oltl-mgmt']);
    assert.equal(s.workDirs.length, 1);
    assert.ok(upMs < 30_000, `up took ${upMs} ms`);
  });

  it('describes its hosts', () => {
    assert.deepEqual(lab.host('ovs-a'), {
      name: 'ovs-a',
      namespace: 'oltl-ovs-a',
      sshHost: '10.213.10.11',
      sshPort: 22,
      mgmtAddress: '10.213.10.11',
      jump: undefined,
      ovs: true,
      sshd: true,
    });
    assert.equal(lab.host('test-b').sshHost, '10.213.2.2');
    assert.equal(lab.host('test-b').jump, 'ovs-b');
    assert.throws(() => lab.host('nope'), /no host nope/);
  });

  it('each host answers `hostname` over SSH with its own name, hidden ones through their jump host', async () => {
    lab.assertNamespaces();
    const names = ['ovs-a', 'ovs-b', 'test-a', 'test-b'];
    const results = await Promise.all(names.map((h) => ssh(h, 'hostname')));
    results.forEach((r, i) => {
      assert.equal(r.code, 0, `${names[i]}: ${r.stderr}`);
      assert.equal(r.stdout, `${names[i]}\n`);
    });
  });

  it('gives each host its own home, without the machine’s slow .bashrc', async () => {
    const r = await ssh('ovs-a', 'echo "$HOME"; ls -A "$HOME" | wc -l');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '/root\n0\n');
  });

  it('hidden hosts are reachable only from their jump host', async () => {
    lab.assertNamespaces();
    // No route from the root namespace: the guard route answers before any packet is sent.
    const route = await run(['ip', 'route', 'get', '10.213.1.2'], { check: false });
    assert.notEqual(route.code, 0, `root namespace routes 10.213.1.2: ${route.stdout}`);
    assert.match(route.stderr, /no route to host|unreachable/i);
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const s = net.connect({ host: '10.213.1.2', port: 22 });
      s.setTimeout(3000, () => {
        s.destroy();
        resolve(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      });
      s.once('connect', () => {
        s.destroy();
        resolve(undefined);
      });
      s.once('error', resolve);
    });
    assert.ok(err?.code === 'EHOSTUNREACH' || err?.code === 'ENETUNREACH', `connect from the root namespace: ${err?.code ?? 'connected'}`);
    const direct = await ssh('test-a', 'true', ['-o', 'ProxyJump=none']);
    assert.equal(direct.code, 255);
    assert.match(direct.stderr, /no route to host|unreachable/i);

    const probe = ['bash', '-c', 'exec 3<>/dev/tcp/10.213.1.2/22'];
    const fromGateway = await lab.nsExec('ovs-a', probe, { timeoutMs: 5000 });
    assert.equal(fromGateway.code, 0, fromGateway.stderr);
    const fromOther = await lab.nsExec('ovs-b', probe, { timeoutMs: 5000 });
    assert.notEqual(fromOther.code, 0);
    assert.match(fromOther.stderr, /unreachable/i);
  });

  it('ovs-vsctl over SSH reaches each OVS host’s own database', async () => {
    const [a, b] = await Promise.all([ssh('ovs-a', 'ovs-vsctl show'), ssh('ovs-b', 'ovs-vsctl show')]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.notEqual(a.stdout.split('\n')[0], b.stdout.split('\n')[0], 'both hosts show the same database uuid');
    assert.match(a.stdout, /ovs_version: "\d/);

    const add = await lab.nsExec('ovs-a', ['ovs-vsctl', 'add-br', 'labcheck0', '--', 'set', 'bridge', 'labcheck0', 'datapath_type=netdev'], {
      timeoutMs: 15_000,
    });
    assert.equal(add.code, 0, add.stderr);
    try {
      const [la, lb] = await Promise.all([ssh('ovs-a', 'ovs-vsctl list-br'), ssh('ovs-b', 'ovs-vsctl list-br')]);
      assert.equal(la.stdout, 'labcheck0\n');
      assert.equal(lb.code, 0, lb.stderr);
      assert.equal(lb.stdout, '');
    } finally {
      await lab.nsExec('ovs-a', ['ovs-vsctl', '--if-exists', 'del-br', 'labcheck0'], { check: true, timeoutMs: 15_000 });
    }
    // A host without OVS has none, rather than reaching someone else's.
    const t = await ssh('test-a', 'ovs-vsctl show');
    assert.notEqual(t.code, 0);
    assert.match(t.stderr, /database connection failed/);
  });

  it('starts blank: member interfaces up, stable MACs, no addresses, TX offload off, no bridges', async () => {
    for (const [host, iface] of [
      ['ovs-a', 'eth0'],
      ['ovs-a', 'eth2'],
      ['ovs-b', 'eth0'],
      ['test-a', 'eth2'],
    ]) {
      const r = await lab.nsExec(host, ['ip', '-j', 'addr', 'show', 'dev', iface], { check: true });
      const [link] = JSON.parse(r.stdout) as { address: string; operstate: string; addr_info: { family: string }[] }[];
      assert.equal(link.address, stableMac(host, iface), `${host} ${iface} MAC`);
      assert.equal(link.operstate, 'UP', `${host} ${iface} state`);
      assert.deepEqual(
        link.addr_info.filter((a) => a.family === 'inet'),
        [],
        `${host} ${iface} has an IPv4 address`,
      );
      const k = await lab.nsExec(host, ['ethtool', '-k', iface], { check: true });
      assert.match(k.stdout, /^tx-checksumming: off/m, `${host} ${iface} TX offload`);
    }
    const br = await lab.nsExec('ovs-b', ['ovs-vsctl', 'list-br'], { check: true });
    assert.equal(br.stdout, '');
  });

  it('the wan segment carries traffic between ovs-a and ovs-b; cn-a does not reach site B', async () => {
    lab.assertNamespaces();
    const temp: [string, string, string][] = [
      ['ovs-a', 'eth0', '10.213.100.1/24'],
      ['ovs-b', 'eth0', '10.213.100.2/24'],
      ['test-a', 'eth2', '10.213.50.11/24'],
      ['ovs-b', 'eth2', '10.213.50.2/24'],
    ];
    try {
      for (const [h, i, a] of temp) await lab.nsExec(h, ['ip', 'addr', 'add', a, 'dev', i], { check: true });
      const ping = await lab.nsExec('ovs-a', ['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', '10.213.100.2'], { timeoutMs: 10_000 });
      assert.equal(ping.code, 0, ping.stdout + ping.stderr);
      assert.match(ping.stdout, /2 received/);
      // cn-a and cn-b are separate provider networks until the product joins them.
      const across = await lab.nsExec('test-a', ['ping', '-n', '-c', '1', '-W', '1', '10.213.50.2'], { timeoutMs: 10_000 });
      assert.notEqual(across.code, 0, across.stdout);
    } finally {
      for (const [h, i, a] of temp) await lab.nsExec(h, ['ip', 'addr', 'del', a, 'dev', i]);
    }
  });

  it('strict host key checking passes with the filled known_hosts and refuses a regenerated key', async () => {
    const strict = ['-o', 'StrictHostKeyChecking=yes'];
    await lab.resetKnownHosts(); // earlier tests let accept-new fill it
    const untrusted = await ssh('ovs-b', 'true', strict);
    assert.equal(untrusted.code, 255, 'an empty known_hosts must not pass strict checking');
    await lab.trustHostKeys();
    const lines = (await readFile(lab.paths.knownHosts, 'utf8')).trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0]),
      ['10.213.10.11', '10.213.10.12', '10.213.1.2', '10.213.2.2'],
    );
    const trusted = await ssh('test-b', 'true', strict);
    assert.equal(trusted.code, 0, trusted.stderr);

    const oldPid = await lab.sshdPid('ovs-b');
    const key = await lab.regenerateHostKey('ovs-b');
    assert.match(key, /^ssh-ed25519 \S+$/);
    assert.notEqual(await lab.sshdPid('ovs-b'), oldPid);
    const changed = await ssh('ovs-b', 'true', strict);
    assert.equal(changed.code, 255);
    assert.match(changed.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
    await lab.trustHostKeys();
    assert.equal((await ssh('ovs-b', 'true', strict)).code, 0);
    await lab.resetKnownHosts();
  });

  it('authorizes the plain and the encrypted client key, not the third one', async () => {
    const pub = (await readFile(`${lab.paths.encryptedKey}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    const wrong = await run(['ssh-keygen', '-y', '-P', 'wrong', '-f', lab.paths.encryptedKey], { check: false });
    assert.notEqual(wrong.code, 0, 'the encrypted key opened with a wrong passphrase');
    const opened = await run(['ssh-keygen', '-y', '-P', lab.paths.encryptedKeyPassphrase, '-f', lab.paths.encryptedKey]);
    assert.equal(opened.stdout.trim().split(' ').slice(0, 2).join(' '), pub);

    // With only the given identity (the lab's ssh_config would add its own key).
    const decrypted = path.join(lab.paths.workDir, 'decrypted-copy');
    await copyFile(lab.paths.encryptedKey, decrypted);
    await run(['ssh-keygen', '-q', '-p', '-P', lab.paths.encryptedKeyPassphrase, '-N', '', '-f', decrypted]);
    const only = (key: string) =>
      run(
        [
          'ssh', '-F', '/dev/null', '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
          '-o', `UserKnownHostsFile=${lab.paths.knownHosts}`, '-o', 'StrictHostKeyChecking=accept-new',
          '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=5', `root@${lab.host('ovs-a').sshHost}`, 'true',
        ],
        { check: false, timeoutMs: 20_000 },
      );
    assert.equal((await only(decrypted)).code, 0);
    const refused = await only(lab.paths.unauthorizedKey);
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Permission denied \(publickey\)/);
    await lab.resetKnownHosts();
  });

  it('stops, starts and hard-kills sshd, and lists what runs in a host', async () => {
    await lab.stopSshd('ovs-b');
    assert.equal(await lab.sshdPid('ovs-b'), undefined);
    const refused = await ssh('ovs-b', 'true');
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Connection refused/);
    await lab.startSshd('ovs-b');
    assert.equal((await ssh('ovs-b', 'true')).code, 0);

    // A session with a capture running, as the product's capture panes leave them.
    const client = spawn('ssh', ['-F', lab.paths.sshConfig, 'ovs-b', 'exec tcpdump -n -i eth2 -c 100000'], { stdio: 'ignore' });
    const clientExit = new Promise<number | null>((resolve) => client.once('exit', (code) => resolve(code)));
    try {
      const [tcpdump] = await waitFor('tcpdump on ovs-b', 10_000, async () => {
        const p = await lab.processes('ovs-b', 'tcpdump');
        return p.length ? p : undefined;
      });
      assert.deepEqual(tcpdump.argv, ['tcpdump', '-n', '-i', 'eth2', '-c', '100000']);
      assert.deepEqual(await lab.processes('ovs-a', 'tcpdump'), []);
      assert.equal((await lab.processes('ovs-b', /lab-anchor/)).length, 0, 'processes() lists the lab’s anchor');

      const killed = await lab.killSshdHard('ovs-b', { sessionCommands: true });
      assert.ok(killed.includes(tcpdump.pid));
      assert.equal(await clientExit, 255);
      assert.deepEqual(await lab.processes('ovs-b', 'tcpdump'), []);
      assert.deepEqual(await lab.processes('ovs-b', 'sshd'), []);
    } finally {
      client.kill('SIGKILL');
    }
    await lab.startSshd('ovs-b');
    const back = await ssh('ovs-b', 'hostname');
    assert.equal(back.stdout, 'ovs-b\n');
  });

  it('down() leaves no namespace, link, process or folder, and can be called again', async () => {
    const was = await TestLab.status(PREFIX);
    assert.ok(was.processes.length >= 8, `only ${was.processes.length} processes before down`);
    const workDir = lab.paths.workDir;
    const t = Date.now();
    await lab.down();
    console.log(`      lab down in ${Date.now() - t} ms`);
    await lab.down();

    const now = await TestLab.status(PREFIX);
    assert.deepEqual(now, { namespaces: [], links: [], workDirs: [], processes: [] });
    for (const p of was.processes) {
      assert.ok(!(await readFile(`/proc/${p.pid}/cmdline`, 'utf8').catch(() => '')).includes(workDir), `process ${p.pid} survived`);
    }
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    assert.ok(!mounts.includes(workDir), 'a mount of the work dir survived');
    assert.ok(!mounts.includes(`/run/netns/${PREFIX}-`), 'a namespace mount survived');
    await assert.rejects(() => lab.nsExec('ovs-a', ['true']), /down/);
  });
});
