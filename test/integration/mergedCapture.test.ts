// One timeline across hosts, on the test lab: a merged capture over test-a:eth2, ovs-a:eth0 (the
// VXLAN underlay) and test-b:eth2 sees one ping's request and reply in path order; every host's
// clock offset is measured within its bound (the namespaces share this machine's clock, so the
// true offset is 0); the pcapng it saves opens in `tshark -r` with one interface per host:iface;
// the CLI does the same; and nothing of any capture is left on any host.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isClockOffset, type ClockReading } from '../../src/capture/clockOffset';
import { startMergedCapture, type MergedCapture, type MergedFrame } from '../../src/capture/mergedCapture';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { SshPool } from '../../src/ssh/pool';
import { demoLabSpec, TestLab, waitFor } from '../lab';
import { buildCli, cli, startCli } from '../lab/productCli';
import { configureDemoLab } from '../lab/configureDemo';
import { labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

const TEST_A = '10.213.50.11';
const TEST_B = '10.213.50.12';
const TARGETS = [
  { host: 'test-a', interface: 'eth2' },
  { host: 'ovs-a', interface: 'eth0' },
  { host: 'test-b', interface: 'eth2' },
];
const LABELS = TARGETS.map((t) => `${t.host}:${t.interface}`);
// ICMP on the overlay, and the VXLAN that carries it on the underlay: one filter for all.
const FILTER = 'icmp or udp port 4789';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a merged capture across hosts on the test lab', function () {
  this.timeout(90_000);
  let lab: TestLab;
  let model: Lab;
  let labFile: string;
  let pool: SshPool;
  let scratch: string;

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoLabSpec({ prefix: 'olmrg', mgmtSubnet: '10.213.197.1/24' }));
    await configureDemoLab(lab);
    labFile = writeDemoLabFile(lab, 'merged');
    const loaded = await loadLabFile(labFile);
    assert.ok(loaded.lab, loaded.diagnostics.map((d) => d.message).join('\n'));
    model = loaded.lab;
    pool = labPool(model);
    scratch = mkdtempSync(join(tmpdir(), 'olmrg-test-'));
  });
  after(async () => {
    pool?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await lab?.down();
  });

  /** One ping from test-a to test-b across the tunnel, after the lab's namespaces are checked. */
  async function pingOnce(): Promise<void> {
    lab.assertNamespaces();
    await lab.nsExec('test-a', ['ping', '-n', '-c', '1', '-W', '2', TEST_B], { timeoutMs: 10_000 });
  }

  /** Capture folders in the hosts' /tmp (the lab's hosts share the machine's); those from before this suite are not ours. */
  const captureFolders = () => readdirSync('/tmp').filter((name) => name.startsWith('overlay-lab-capture.'));
  const earlier = new Set(captureFolders());

  async function nothingLeft(): Promise<void> {
    await waitFor('no tcpdump, wrapper or pcap folder left on any host', 10_000, async () => {
      const left: string[] = [];
      for (const host of ['test-a', 'ovs-a', 'test-b']) for (const p of await lab.processes(host, /tcpdump/)) left.push(`${host}: ${p.pid} ${p.argv.join(' ')}`);
      const folders = captureFolders().filter((name) => !earlier.has(name));
      if (left.length === 0 && folders.length === 0) return true;
      throw new Error(`left: ${[...left, ...folders].join(', ')}`);
    }, 50);
  }

  /** What a frame is, as the path order reads it: where, which leg (request/reply), encapsulated or not. */
  function hop(item: MergedFrame): string {
    const frame = item.frame.inner ?? item.frame;
    const leg = frame.icmp?.message === 'echo request' && frame.src === TEST_A ? 'request' : frame.icmp?.message === 'echo reply' && frame.dst === TEST_A ? 'reply' : 'other';
    return `${leg} ${LABELS[item.source]}${item.frame.encapsulated ? ' (vxlan)' : ''}`;
  }

  it('sees one ping’s request and reply in path order, each host’s clock within its bound, and saves one pcapng tshark reads with an interface per host:iface', async function () {
    const frames: MergedFrame[] = [];
    let clocks: ClockReading[] = [];
    // Each interface sees exactly the request and the reply: two frames, then its tcpdump ends.
    const capture = startMergedCapture(pool, { targets: TARGETS, filter: FILTER, count: 2, pcap: true, onFrames: (list) => frames.push(...list), onClocks: (list) => (clocks = list) });
    try {
      await checkMerged(capture, frames, () => clocks, this);
    } finally {
      await capture.close(); // also when an assertion fails: nothing may stay on a host
    }
    await nothingLeft();
  });

  async function checkMerged(capture: MergedCapture, frames: MergedFrame[], clocksNow: () => ClockReading[], test: Mocha.Context): Promise<void> {
    await capture.listening;
    const clocks = clocksNow();
    assert.equal(clocks.length, 3);
    for (const reading of clocks) {
      assert.ok(isClockOffset(reading), JSON.stringify(reading));
      // One clock under all namespaces: the estimate must hold the true offset, 0, within its bound.
      assert.ok(Math.abs(reading.offsetUs) <= reading.boundUs, `${reading.host}: offset ${reading.offsetUs} µs, bound ${reading.boundUs} µs`);
      assert.equal(reading.correctionUs, 0, 'an offset within its bound moves nothing');
      assert.ok(reading.boundUs < 50_000, `${reading.host}: a round trip over a warm connection takes under 100 ms (bound ${reading.boundUs} µs)`);
    }
    await pingOnce();
    const ends = await capture.ended;
    assert.deepEqual(ends.map((end) => end.reason), ['count', 'count', 'count']);
    assert.deepEqual(frames.map(hop), [
      'request test-a:eth2',
      'request ovs-a:eth0 (vxlan)',
      'request test-b:eth2',
      'reply test-b:eth2',
      'reply ovs-a:eth0 (vxlan)',
      'reply test-a:eth2',
    ]);
    const times = frames.map((frame) => frame.timeUs);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'handed on in time order');
    assert.equal(capture.late, 0);

    if (!hasTshark()) test.skip();
    const file = join(scratch, 'merged.pcapng');
    const saved = await capture.savePcapng(file);
    assert.deepEqual([saved.packets, saved.interfaces], [6, 3]);
    const read = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'icmp.type', '-e', 'frame.protocols'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .map((line) => {
        const [name, type, protocols] = line.split('\t');
        return `${name} ${type}${protocols.includes(':vxlan:') ? ' vxlan' : ''}`;
      });
    // icmp.type: 8 request, 0 reply (tshark dissects the VXLAN's inner frame too).
    assert.deepEqual(read, ['test-a:eth2 8', 'ovs-a:eth0 8 vxlan', 'test-b:eth2 8', 'test-b:eth2 0', 'ovs-a:eth0 0 vxlan', 'test-a:eth2 0']);
    const info = execFileSync('capinfos', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.match(info, /Number of interfaces in file: 3/);
  }

  it('the CLI prints the merged lines, each prefixed by its host:iface, says each clock, and writes the pcapng', async function () {
    buildCli();
    const file = join(scratch, 'cli.pcapng');
    const child = startCli(['capture', labFile, ...LABELS, '--filter', FILTER, '--count', '2', '--pcapng', file]);
    const result = { status: null as number | null, stdout: '', stderr: '' };
    child.stdout?.on('data', (chunk) => (result.stdout += chunk));
    child.stderr?.on('data', (chunk) => (result.stderr += chunk));
    const exited = new Promise<void>((resolve) => child.on('close', (status) => ((result.status = status), resolve())));
    try {
      // The CLI says "listening on …" once every tcpdump has said it listens: only then is the
      // ping sure to be seen at each point (a tcpdump process that runs may not listen yet).
      await waitFor('the CLI listening on all three interfaces', 30_000, async () => (/^listening on /m.test(result.stderr) ? true : undefined), 50);
      await pingOnce();
      // Bounded: a frame that never came must fail the test with what the CLI said, not hang it.
      await waitFor('the CLI ending after two frames on each interface', 20_000, async () => (result.status !== null ? true : undefined), 50);
    } catch (error) {
      child.kill('SIGINT');
      await exited;
      throw new Error(`${(error as Error).message}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
    }
    await exited;
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const heads = lines.filter((line) => !line.startsWith(' ')).map((line) => line.split(' ')[0]);
    assert.deepEqual(heads, ['test-a:eth2', 'ovs-a:eth0', 'test-b:eth2', 'test-b:eth2', 'ovs-a:eth0', 'test-a:eth2']);
    assert.match(lines[0], /^test-a:eth2 \d+\.\d{6} [0-9a-f:]{17} > /);
    for (const host of ['test-a', 'ovs-a', 'test-b']) assert.match(result.stderr, new RegExp(`^${host}: clock [+−]\\d+\\.\\d{3} ms ± \\d+\\.\\d{3} ms \\(agrees within its bound: not corrected\\) against this machine \\(shortest of 8 round trips over ssh\\)$`, 'm'));
    assert.match(result.stderr, /wrote 6 packets of 3 interfaces/);
    assert.ok(existsSync(file));
    if (hasTshark()) {
      const names = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.interface_name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      assert.deepEqual([...new Set(names)].sort(), [...LABELS].sort());
    }
    await nothingLeft();
  });

  it('refuses a target that is not HOST:IFACE, or an unknown host, before touching any host', async () => {
    const bad = await cli(['capture', labFile, 'test-a:eth2', 'ovs-a']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /"ovs-a" is not HOST:IFACE/);
    const unknown = await cli(['capture', labFile, 'test-a:eth2', 'nohost:eth0']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown host "nohost"/);
  });
});
