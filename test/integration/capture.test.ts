// Capture sessions on the test lab: real tcpdump on real hosts over the product's pool. Lines
// arrive while bounded pings cross the lab; tcpdump's errors come back in its own words; the
// pcap reads with `tcpdump -r`; and however a capture ends (its count, stop, cancel, Ctrl-C or
// SIGKILL of the CLI, sshd dying under it) nothing of it is left on the host: no tcpdump, no
// wrapper, no pcap folder.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError, startCapture, type CaptureOptions, type CaptureSession } from '../../src/capture/captureSession';
import type { CaptureFrame } from '../../src/capture/types';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { SshPool } from '../../src/ssh/pool';
import { demoLabSpec, TestLab, waitFor } from '../lab';
import { buildCli, cli, startCli } from '../lab/productCli';
import { configureDemoLab } from '../lab/configureDemo';
import { labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

const TEST_B = '10.213.50.12';
const FOLDER_PREFIX = 'overlay-lab-capture.';

describe('capture sessions on the test lab', function () {
  this.timeout(60_000);
  let lab: TestLab;
  let model: Lab;
  let labFile: string;
  let pool: SshPool;
  let scratch: string;

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoLabSpec({ prefix: 'olcap', mgmtSubnet: '10.213.161.1/24' }));
    await configureDemoLab(lab);
    labFile = writeDemoLabFile(lab, 'capture');
    const loaded = await loadLabFile(labFile);
    assert.ok(loaded.lab, loaded.diagnostics.map((d) => d.message).join('\n'));
    model = loaded.lab;
    pool = labPool(model);
    scratch = mkdtempSync(join(tmpdir(), 'olcap-test-'));
  });
  after(async () => {
    pool?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await lab?.down();
  });

  /** Bounded pings from test-a to test-b, through the VXLAN tunnel: only after the lab's namespaces are checked. */
  async function ping(count: number, to = TEST_B): Promise<void> {
    lab.assertNamespaces();
    await lab.nsExec('test-a', ['ping', '-n', '-c', String(count), '-i', '0.2', '-W', '1', to], { timeoutMs: 15_000 });
  }

  function capture(options: Partial<CaptureOptions> & { host: string; interface: string }): { session: CaptureSession; frames: CaptureFrame[] } {
    const frames: CaptureFrame[] = [];
    const session = startCapture(pool, { ...options, onFrame: (frame) => frames.push(frame) });
    return { session, frames };
  }

  /** Capture folders in the hosts' /tmp (the lab's hosts share the machine's). */
  function captureFolders(): string[] {
    return readdirSync('/tmp').filter((name) => name.startsWith(FOLDER_PREFIX)).map((name) => join('/tmp', name));
  }

  /** Waits (boundedly) until no process of the capture is left on the host, nor its folder. */
  async function nothingLeft(host: string, folders: (string | undefined)[] = [], ms = 10_000): Promise<void> {
    await waitFor(`no tcpdump, wrapper or pcap folder left on ${host}`, ms, async () => {
      const left = await lab.processes(host, /tcpdump/);
      const kept = folders.filter((folder): folder is string => folder !== undefined && existsSync(folder));
      if (left.length === 0 && kept.length === 0) return true;
      throw new Error(`left: ${left.map((p) => `${p.pid} ${p.argv[0]}`).join(', ')} ${kept.join(', ')}`);
    }, 50);
  }

  const echoes = (frames: CaptureFrame[], message: string) =>
    frames.filter((f) => (f.inner ?? f).icmp?.message === message && (f.inner ?? f).src === '10.213.50.11' && (f.inner ?? f).dst === TEST_B);

  it('streams lines while traffic flows, and ends at its count with tcpdump’s summary', async () => {
    const { session, frames } = capture({ host: 'ovs-b', interface: 'eth2', filter: 'icmp', count: 4 });
    const listening = await session.listening;
    assert.deepEqual(listening, { interface: 'eth2', linkType: 'EN10MB (Ethernet)' });
    await ping(2);
    const end = await session.ended;
    assert.equal(end.reason, 'count');
    assert.equal(end.frames, 4);
    assert.equal(end.stats?.captured, 4);
    assert.equal(echoes(frames, 'echo request').length, 2);
    assert.equal(frames.filter((f) => f.icmp?.message === 'echo reply').length, 2);
    await session.closed;
    await nothingLeft('ovs-b');
  });

  it('joins VXLAN continuation lines on the underlay into one frame', async () => {
    const { session, frames } = capture({ host: 'ovs-a', interface: 'eth0', filter: 'udp port 4789', count: 2 });
    await session.listening;
    await ping(1);
    await session.ended;
    assert.deepEqual(frames.map((f) => [f.class, f.lines, f.encapsulated, f.inner?.class]), [
      ['vxlan', 2, true, 'icmp'],
      ['vxlan', 2, true, 'icmp'],
    ]);
    assert.equal(frames[0].inner?.src, '10.213.50.11');
    await nothingLeft('ovs-a');
  });

  it("gives tcpdump's own error for a bad filter or a missing interface, naming host and interface", async () => {
    const bad = capture({ host: 'ovs-a', interface: 'eth0', filter: 'icmp and and' }).session;
    const error = (await bad.listening.catch((e: unknown) => e)) as CaptureError;
    assert.ok(error instanceof CaptureError, String(error));
    assert.equal(error.message, "ovs-a: capture on eth0 failed: tcpdump: can't parse filter expression: syntax error");
    assert.equal((await bad.closed).reason, 'error');
    const missing = capture({ host: 'test-b', interface: 'eth9' }).session;
    await assert.rejects(missing.listening, /^CaptureError: test-b: capture on eth9 failed: tcpdump: eth9: No such device exists/);
    await nothingLeft('ovs-a');
    await nothingLeft('test-b');
  });

  it('saves a pcap that tcpdump -r reads, holding the ICMP frames, and removes it from the host on close', async () => {
    const { session } = capture({ host: 'test-b', interface: 'eth2', filter: 'icmp', count: 6, pcap: true });
    await session.listening;
    const folder = session.remoteFolder!;
    assert.ok(folder?.startsWith(`/tmp/${FOLDER_PREFIX}`), folder);
    await ping(3);
    assert.equal((await session.ended).reason, 'count');
    assert.equal(session.state, 'ended');
    assert.ok(existsSync(folder), 'the host keeps the pcap after tcpdump ended, until close()');
    const file = join(scratch, 'count.pcap');
    const saved = await session.savePcap(file);
    assert.equal(saved.packets, 6);
    assert.equal(saved.droppedBytes, 0);
    const read = execFileSync('tcpdump', ['-n', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    assert.equal(read.length, 6);
    assert.equal(read.filter((line) => line.includes(`10.213.50.11 > ${TEST_B}: ICMP echo request`)).length, 3);
    assert.equal(read.filter((line) => line.includes(`${TEST_B} > 10.213.50.11: ICMP echo reply`)).length, 3);
    await session.close();
    await nothingLeft('test-b', [folder]);
  });

  it('saves the pcap so far while tcpdump still runs', async () => {
    const { session } = capture({ host: 'ovs-b', interface: 'eth2', filter: 'icmp', pcap: true });
    await session.listening;
    await ping(2);
    await waitFor('four frames', 5000, async () => (session.frames >= 4 ? true : undefined));
    const file = join(scratch, 'running.pcap');
    assert.equal((await session.savePcap(file)).packets, 4);
    assert.equal(session.state, 'listening');
    const read = execFileSync('tcpdump', ['-n', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    assert.equal(read.length, 4);
    const folder = session.remoteFolder;
    await session.close();
    await nothingLeft('ovs-b', [folder]);
  });

  it('bounds the pcap on the host to a ring of two files, and still saves one readable file', async () => {
    const { session } = capture({ host: 'test-b', interface: 'eth2', filter: 'icmp', count: 10_000, pcap: true, pcapMegabytes: 1 });
    await session.listening;
    lab.assertNamespaces();
    // 5000 echoes and their replies, about 1.1 MB of pcap: more than one file of the ring.
    await lab.nsExec('test-a', ['ping', '-n', '-q', '-f', '-c', '5000', '-w', '10', TEST_B], { timeoutMs: 20_000 });
    const end = await session.ended;
    assert.equal(end.reason, 'count', JSON.stringify(end));
    const folder = session.remoteFolder!;
    const files = readdirSync(folder).filter((name) => name.startsWith('capture.pcap')).sort();
    assert.deepEqual(files, ['capture.pcap0', 'capture.pcap1']);
    for (const name of files) assert.ok(statSync(join(folder, name)).size <= 1_000_000 + 65_536, `${name} is bounded`);
    const file = join(scratch, 'ring.pcap');
    const saved = await session.savePcap(file);
    assert.equal(saved.packets, 10_000, 'both files of the ring, oldest first');
    const read = execFileSync('tcpdump', ['-n', '-tt', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }).trim().split('\n');
    assert.equal(read.length, 10_000);
    const times = read.map((line) => Number(line.split(' ')[0]));
    assert.ok(times.every((time, i) => i === 0 || time >= times[i - 1]), 'in time order');
    await session.close();
    await nothingLeft('test-b', [folder]);
  });

  it('leaves nothing after stop(), with or without a pcap', async () => {
    const plain = capture({ host: 'ovs-a', interface: 'eth2' }).session;
    await plain.listening;
    const end = await plain.stop();
    assert.equal(end.reason, 'stopped');
    assert.ok(end.stats, "tcpdump's summary");
    await plain.closed;
    await nothingLeft('ovs-a');

    const kept = capture({ host: 'ovs-a', interface: 'eth2', pcap: true }).session;
    await kept.listening;
    assert.equal((await kept.stop()).reason, 'stopped');
    const folder = kept.remoteFolder;
    assert.equal((await lab.processes('ovs-a', /^tcpdump /)).length, 0, 'tcpdump itself is gone at once');
    assert.ok(existsSync(folder!), 'the pcap stays until close()');
    await kept.close();
    await nothingLeft('ovs-a', [folder]);
  });

  it('leaves nothing after a cancelled session, and stops at its seconds', async () => {
    const abort = new AbortController();
    const { session } = capture({ host: 'test-a', interface: 'eth2', pcap: true, signal: abort.signal });
    await session.listening;
    const folder = session.remoteFolder;
    assert.ok((await lab.processes('test-a', /^tcpdump /)).length === 1);
    abort.abort();
    assert.equal((await session.closed).reason, 'cancelled');
    await nothingLeft('test-a', [folder]);

    const timed = capture({ host: 'test-a', interface: 'eth2', seconds: 0.5 }).session;
    await timed.listening;
    const started = Date.now();
    assert.equal((await timed.ended).reason, 'seconds');
    assert.ok(Date.now() - started < 3000);
    await nothingLeft('test-a');
  });

  it('leaves nothing when the connection drops (sshd killed under it)', async () => {
    const { session } = capture({ host: 'ovs-b', interface: 'eth0', pcap: true });
    await session.listening;
    const folder = session.remoteFolder;
    try {
      await lab.killSshdHard('ovs-b'); // sshd only: tcpdump and the wrapper live on, and must notice
      const end = await session.closed;
      assert.equal(end.reason, 'connection-lost');
      assert.match(end.message ?? '', /^ovs-b: capture on eth0: ovs-b: /);
      await nothingLeft('ovs-b', [folder]);
    } finally {
      await lab.startSshd('ovs-b');
    }
  });

  it('sweeps the folder of a capture killed outright (SIGKILL to everything) at the next capture on the host', async () => {
    const first = capture({ host: 'ovs-b', interface: 'eth2', pcap: true }).session;
    await first.listening;
    const folder = first.remoteFolder!;
    try {
      await lab.killSshdHard('ovs-b', { sessionCommands: true });
      await first.closed;
      assert.ok(existsSync(folder), 'nothing could clean up after SIGKILL');
    } finally {
      await lab.startSshd('ovs-b');
    }
    const next = capture({ host: 'ovs-b', interface: 'eth2' }).session;
    try {
      await next.listening;
      assert.equal(existsSync(folder), false);
    } finally {
      await next.close();
    }
    await nothingLeft('ovs-b');
  });

  it('runs several captures at once on several hosts over one pool, each seeing the same ping', async () => {
    const points = [
      { host: 'test-a', interface: 'eth2', filter: 'icmp' },
      { host: 'ovs-a', interface: 'eth2', filter: 'icmp' },
      { host: 'ovs-a', interface: 'eth0', filter: 'udp port 4789' },
      { host: 'ovs-b', interface: 'eth0', filter: 'udp port 4789' },
      { host: 'ovs-b', interface: 'eth2', filter: 'icmp' },
      { host: 'test-b', interface: 'eth2', filter: 'icmp' },
    ];
    const captures = points.map((point) => capture(point));
    await Promise.all(captures.map((c) => c.session.listening));
    await ping(1);
    await waitFor('the echo request and its reply at every point', 5000, async () => (captures.every((c) => c.frames.length >= 2) ? true : undefined));
    for (const [i, c] of captures.entries()) {
      assert.equal(echoes(c.frames, 'echo request').length, 1, `${points[i].host} ${points[i].interface}: ${c.frames.map((f) => f.raw).join('\n')}`);
      assert.equal(c.frames[0].encapsulated, points[i].interface === 'eth0');
    }
    await Promise.all(captures.map((c) => c.session.close()));
    for (const host of ['test-a', 'ovs-a', 'ovs-b', 'test-b']) await nothingLeft(host);
  });

  describe('bin/overlay-lab capture', () => {
    before(() => buildCli());

    it('streams tcpdump’s lines to stdout, its summary to stderr, writes the pcap, exit 0 at --count', async () => {
      const pcap = join(scratch, 'cli.pcap');
      const before = captureFolders();
      const child = startCli(['capture', labFile, 'ovs-a', 'eth0', '--filter', 'udp port 4789', '--count', '4', '--pcap', pcap]);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const status = new Promise<number | null>((resolve) => child.on('close', resolve));
      await waitFor('the CLI to listen', 10_000, async () => (stderr.includes('ovs-a: listening on eth0') ? true : undefined));
      await ping(2);
      assert.equal(await status, 0, stderr);
      const lines = stdout.trimEnd().split('\n');
      assert.equal(lines.length, 8, 'four VXLAN frames, two lines each, as tcpdump prints them');
      assert.match(lines[0], /^\d+\.\d{6} .* > 10\.213\.100\.2\.4789: VXLAN, flags \[I\] \(0x08\), vni 0$/);
      assert.match(lines[1], /^[0-9a-f:]{17} > [0-9a-f:]{17}, ethertype IPv4 \(0x0800\), length 98: 10\.213\.50\.11 > 10\.213\.50\.12: ICMP echo request/);
      assert.match(stderr, /^4 packets captured\n\d+ packets received by filter\n0 packets dropped by kernel$/m);
      assert.match(stderr, /ovs-a: wrote 4 packets \(\d+ bytes\) to /);
      const read = execFileSync('tcpdump', ['-n', '-r', pcap], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      assert.equal(read.length, 8);
      await nothingLeft('ovs-a', captureFolders().filter((f) => !before.includes(f)));
    });

    it('stops at --seconds with exit 0 and the summary', async () => {
      const started = Date.now();
      const result = await cli(['capture', labFile, 'ovs-a', 'eth2', '--seconds', '1']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stderr, /^\d+ packets? captured$/m);
      assert.ok(Date.now() - started < 10_000);
      await nothingLeft('ovs-a');
    });

    it('exits 1 with tcpdump’s message for a bad filter, 2 for bad usage', async () => {
      const bad = await cli(['capture', labFile, 'ovs-a', 'eth0', '--filter', 'icmp and and']);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /^ovs-a: capture on eth0 failed: tcpdump: can't parse filter expression: syntax error$/m);
      for (const args of [
        ['ovs-a', 'eth0;reboot'],
        ['ovs-a', 'eth0', '--count', 'ten'],
        ['ovs-a', 'eth0', '--seconds', '-1'],
        ['nope', 'eth0'],
        ['ovs-a'],
      ]) {
        const usage = await cli(['capture', labFile, ...args]);
        assert.equal(usage.status, 2, `${args.join(' ')}: ${usage.stderr}`);
      }
      await nothingLeft('ovs-a');
    });

    it('ends normally on Ctrl-C (exit 0, summary, pcap) and leaves nothing on the host', async () => {
      const pcap = join(scratch, 'sigint.pcap');
      const before = captureFolders();
      const child = startCli(['capture', labFile, 'test-b', 'eth2', '--filter', 'icmp', '--pcap', pcap]);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const status = new Promise<number | null>((resolve) => child.on('close', resolve));
      await waitFor('the CLI to listen', 10_000, async () => (stderr.includes('listening on eth2') ? true : undefined));
      const mine = captureFolders().filter((f) => !before.includes(f));
      assert.equal(mine.length, 1);
      await ping(2);
      await waitFor('four lines', 5000, async () => (stdout.trimEnd().split('\n').length >= 4 ? true : undefined));
      child.kill('SIGINT');
      assert.equal(await status, 0, stderr);
      assert.match(stderr, /^4 packets captured$/m);
      assert.equal(execFileSync('tcpdump', ['-n', '-r', pcap], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').length, 4);
      await nothingLeft('test-b', mine);
    });

    it('leaves nothing on the host when the CLI is killed with SIGKILL (the host notices the dropped connection)', async () => {
      const before = captureFolders();
      const child = startCli(['capture', labFile, 'test-a', 'eth2', '--pcap', join(scratch, 'killed.pcap')]);
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const closed = new Promise((resolve) => child.on('close', resolve));
      await waitFor('the CLI to listen', 10_000, async () => (stderr.includes('listening on eth2') ? true : undefined));
      const mine = captureFolders().filter((f) => !before.includes(f));
      assert.equal(mine.length, 1);
      assert.equal((await lab.processes('test-a', /^tcpdump /)).length, 1);
      child.kill('SIGKILL');
      await closed;
      await nothingLeft('test-a', mine, 15_000);
    });
  });
});
