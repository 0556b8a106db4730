// Trace v2 on real hosts: the demo lab is built once, then each fault the cause table names is
// injected for real (nftables in a segment's or host's namespace, ovs-ofctl, ovs-vsctl, ip link,
// ip addr, ip route), traced in both directions, and undone in afterEach. Every trace asserts the
// place, the leg, the cause kind and a measured value in the evidence, and the invariant that the
// trace's `delivered` equals what `ping -c 1` from the same source says at the same moment.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planLab } from '../../src/apply/labPlan';
import { runPlans } from '../../src/apply/runPlan';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { SshPool } from '../../src/ssh/pool';
import { runTrace } from '../../src/trace/runTrace';
import { saveTracePcapng } from '../../src/trace/traceFrames';
import type { TraceResultV2 } from '../../src/trace/traceResultV2';
import { demoLabSpec, run, TestLab, waitFor } from '../lab';
import { buildCli, cli } from '../lab/productCli';
import { DEMO_LINUX_LAB, labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

const A = { host: 'test-a', address: '10.213.50.11' };
const B = { host: 'test-b', address: '10.213.50.12' };
const HOSTS = ['ovs-a', 'ovs-b', 'test-a', 'test-b'];

/** Capture folders in the hosts' /tmp (the namespaces share this machine's). */
const captureFolders = () => readdirSync('/tmp').filter((name) => name.startsWith('overlay-lab-capture.'));

/** What `capinfos -I` and `tshark -r` read in a pcapng: the interfaces' names in order, and per interface the probe frames of a trace from → to by kind (`arp request`, `icmp reply` …). */
function readPcapng(file: string, from: string, to: string): { names: string[]; probes: Map<string, Map<string, number>> } {
  const info = execFileSync('capinfos', ['-I', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const names = [...info.matchAll(/^\s+Name = (.*)$/gm)].map((match) => match[1]);
  const fields = ['frame.interface_name', 'arp.opcode', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4', 'icmp.type', 'ip.src', 'ip.dst'];
  const lines = execFileSync('tshark', ['-r', file, '-T', 'fields', ...fields.flatMap((field) => ['-e', field])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  const probes = new Map<string, Map<string, number>>();
  for (const line of lines) {
    const [name, opcode, arpSrc, arpDst, icmpType, ipSrc, ipDst] = line.split('\t');
    // Inside VXLAN, tshark lists the outer address first, then the inner one the probe travels with.
    const [src, dst] = [ipSrc.split(',').at(-1), ipDst.split(',').at(-1)];
    const kind =
      opcode === '1' && arpSrc === from && arpDst === to ? 'arp request'
      : opcode === '2' && arpSrc === to && arpDst === from ? 'arp reply'
      : icmpType === '8' && src === from && dst === to ? 'icmp request'
      : icmpType === '0' && src === to && dst === from ? 'icmp reply'
      : undefined;
    if (!kind) continue;
    const here = probes.get(name) ?? new Map<string, number>();
    here.set(kind, (here.get(kind) ?? 0) + 1);
    probes.set(name, here);
  }
  return { names, probes };
}

/** The pcapng holds an interface per point the trace watched, named host:iface, and the probe's frames exactly at the points the trace says they reached. */
function assertPcapngMatches(file: string, result: TraceResultV2, to: string): void {
  const { names, probes } = readPcapng(file, result.from.address!, to);
  const points = [...new Set(result.hops.map((hop) => `${hop.host}:${hop.interface}`))];
  assert.deepEqual(names, points, 'one interface per traced host:iface, in the trace order');
  for (const hop of result.hops) {
    const where = `${hop.host}:${hop.interface}`;
    const count = probes.get(where)?.get(`${hop.probe} ${hop.direction}`) ?? 0;
    const text = `${hop.probe} ${hop.direction} at ${where}: the trace saw ${hop.count}, the pcapng holds ${count}`;
    assert.equal(count > 0, hop.seen, text);
    assert.ok(count >= hop.count, text);
  }
}

interface Expect {
  direction: 'request' | 'reply';
  probe?: 'arp' | 'icmp';
  from: string;
  to: string;
  kind: string;
  evidence: RegExp;
}

describe('trace v2 on the test lab (Open vSwitch)', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let model: Lab;
  let labFile: string;
  let pool: SshPool;
  let undo: (() => Promise<unknown>)[] = [];
  const checked: { name: string; delivered: boolean; ping: boolean }[] = [];

  const sh = (host: string, argv: string[]) => lab.nsExec(host, argv, { check: true, timeoutMs: 20_000 });
  const segment = (name: string, argv: string[]) => run(['ip', 'netns', 'exec', lab.segmentNamespace(name), ...argv]);
  const flush = async (host: string) => void (await lab.nsExec(host, ['ip', 'neigh', 'flush', 'dev', 'eth2']));

  /** One bounded ping -c 1 between hosts the lab built. */
  async function pingOnce(from: string, to: string, size?: number): Promise<boolean> {
    lab.assertNamespaces();
    return (await lab.nsExec(from, ['ping', '-n', '-c', '1', '-W', '1', ...(size ? ['-s', String(size), '-M', 'do'] : []), to], { timeoutMs: 10_000 })).code === 0;
  }

  /** The trace and a ping from the same source right after it: they must agree. */
  async function trace(name: string, from: string, to: string, options: { size?: number; pingFirst?: boolean } = {}): Promise<TraceResultV2> {
    lab.assertNamespaces();
    await flush(from);
    if (options.pingFirst) await pingOnce(from, to, options.size);
    const { result } = await runTrace(pool, model, { from: { host: from, interface: 'eth2' }, to, size: options.size });
    // ping's neighbour state now matches what the trace left; the same moment as far as a fault is concerned.
    const ping = await pingOnce(from, to, options.size);
    checked.push({ name, delivered: result.delivered, ping });
    assert.equal(result.delivered, ping, `${name}: the trace says delivered=${result.delivered}, ping -c 1 says ${ping}\n${JSON.stringify(result, null, 2)}`);
    return result;
  }

  function expectLoss(result: TraceResultV2, expected: Expect): void {
    const text = JSON.stringify(result, null, 2);
    assert.equal(result.delivered, false, text);
    assert.ok(result.lostBetween, text);
    assert.equal(result.lostBetween.direction, expected.direction, text);
    if (expected.probe) assert.equal(result.lostBetween.probe, expected.probe, text);
    assert.equal(`${result.lostBetween.from.host}:${result.lostBetween.from.interface}`, expected.from, text);
    assert.equal(`${result.lostBetween.to.host}:${result.lostBetween.to.interface}`, expected.to, text);
    assert.equal(result.cause?.kind, expected.kind, text);
    assert.equal(result.cause?.confidence, expected.kind === 'no-answer' ? 'likely' : 'proved', text);
    assert.match(result.cause?.evidence.join('\n') ?? '', expected.evidence, text);
  }

  before(async function () {
    requireRoot(this);
    buildCli();
    lab = await TestLab.up(demoLabSpec({ prefix: 'oltr', mgmtSubnet: '10.213.154.1/24' }));
    labFile = writeDemoLabFile(lab, 'trace');
    const loaded = await loadLabFile(labFile);
    assert.ok(loaded.lab);
    model = loaded.lab;
    pool = labPool(model);
    const results = await runPlans(pool, (await planLab(pool, model)).plans);
    assert.ok(results.every((r) => r.status === 'changed'), results.map((r) => r.message).join('\n'));
    await waitFor('the overlay to carry a ping', 10_000, async () => ((await pingOnce('test-a', B.address)) ? true : undefined), 200);
  });

  afterEach(async () => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    undo = [];
    if (!lab) return;
    for (const host of HOSTS) await waitFor(`nothing of the trace left on ${host}`, 5_000, async () => ((await lab.processes(host, /tcpdump|ping|python3|perl/)).length === 0 ? true : undefined), 50);
  });

  after(async () => {
    pool?.dispose();
    await lab?.down();
    // eslint-disable-next-line no-console
    if (checked.length) console.log(`    delivered = ping -c 1 in ${checked.length} traces: ${checked.map((c) => `${c.name}=${c.delivered}`).join(', ')}`);
  });

  it('traces the healthy lab as delivered, both legs of both probes seen, in both directions', async () => {
    for (const [from, to] of [[A.host, B.address], [B.host, A.address]]) {
      const result = await trace(`healthy ${from}`, from, to);
      assert.equal(result.delivered, true, JSON.stringify(result, null, 2));
      assert.deepEqual(result.probes, ['arp', 'icmp']);
      assert.equal(result.lostBetween, null);
      assert.equal(result.cause, null);
      assert.ok(result.hops.every((h) => h.seen), JSON.stringify(result.hops));
      assert.deepEqual(result.hops.filter((h) => h.probe === 'icmp' && h.direction === 'request').map((h) => `${h.host}:${h.interface}`), from === A.host ? ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0', 'ovs-b:eth0', 'ovs-b:eth2', 'test-b:eth2'] : ['test-b:eth2', 'ovs-b:eth2', 'ovs-b:eth0', 'ovs-a:eth0', 'ovs-a:eth2', 'test-a:eth2']);
      assert.equal(result.hops.filter((h) => h.direction === 'reply').length, 12);
    }
  });

  it('follows the echo alone once the user pinged first, and prints version 2 from the CLI', async () => {
    await pingOnce('test-a', B.address);
    const out = await cli(['trace', labFile, '--from', 'test-a:eth2', '--to', B.address, '--json']);
    assert.equal(out.status, 0, out.stderr);
    const result = JSON.parse(out.stdout);
    assert.deepEqual(Object.keys(result), ['version', 'from', 'to', 'delivered', 'probes', 'hops', 'lostBetween', 'cause', 'hints', 'elapsedMs']);
    assert.equal(result.version, 2);
    assert.deepEqual(result.probes, ['icmp']);
    const text = await cli(['trace', labFile, '--from', 'test-a:eth2', '--to', B.address]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^reply leg, echo reply:$/m);
  });

  it('saves the frames every point saw as one pcapng: an interface per host:iface, the probe where the trace says it went (CLI delivered, API lost)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'oltr-pcapng-'));
    const foldersBefore = new Set(captureFolders());
    try {
      await flush('test-a');
      const file = join(scratch, 'delivered.pcapng');
      const out = await cli(['trace', labFile, '--from', 'test-a:eth2', '--to', B.address, '--json', '--pcapng', file]);
      assert.equal(out.status, 0, out.stderr);
      const result = JSON.parse(out.stdout) as TraceResultV2;
      // --pcapng changes nothing in the result: the same fields, in the same order.
      assert.deepEqual(Object.keys(result), ['version', 'from', 'to', 'delivered', 'probes', 'hops', 'lostBetween', 'cause', 'hints', 'elapsedMs']);
      assert.equal(result.delivered, await pingOnce('test-a', B.address));
      assert.deepEqual(result.probes, ['arp', 'icmp']);
      assert.match(out.stderr, /^wrote \d+ packets of 6 interfaces \(\d+ bytes\) to .*delivered\.pcapng$/m);
      assertPcapngMatches(file, result, B.address);

      await sh('ovs-b', ['ovs-ofctl', 'add-flow', 'br0', 'priority=100,icmp,nw_dst=10.213.50.12,icmp_type=8,actions=drop']);
      undo.push(() => sh('ovs-b', ['ovs-ofctl', 'del-flows', 'br0', 'icmp,nw_dst=10.213.50.12']));
      await flush('test-a');
      const lost = await runTrace(pool, model, { from: { host: 'test-a', interface: 'eth2' }, to: B.address, keepFrames: true });
      assert.equal(lost.result.cause?.kind, 'openflow-drop', JSON.stringify(lost.result, null, 2));
      assert.ok(lost.frames, 'keepFrames keeps the frames');
      const lostFile = join(scratch, 'lost.pcapng');
      const saved = await saveTracePcapng(lost.frames, lostFile);
      assert.deepEqual(saved.problems, []);
      assert.equal(saved.interfaces, 6);
      assertPcapngMatches(lostFile, lost.result, B.address);
      // The echo request reached ovs-b:eth0 and no further: the pcapng says the same.
      const { probes } = readPcapng(lostFile, A.address, B.address);
      assert.deepEqual(['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0', 'ovs-b:eth0', 'ovs-b:eth2', 'test-b:eth2'].map((p) => probes.get(p)?.get('icmp request') ?? 0), [1, 1, 1, 1, 0, 0]);
      // afterEach checks that no tcpdump or ping is left on any host; the pcaps' folders go too.
      await waitFor('no capture folder of the trace left', 5_000, async () => (captureFolders().every((name) => foldersBefore.has(name)) ? true : undefined), 50);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('leaves nothing on any host when cancelled while it measures', async () => {
    await sh('ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:key=99']);
    undo.push(() => sh('ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'key']));
    const foldersBefore = new Set(captureFolders());
    // Also when every point keeps a pcap on its host for the pcapng: its folder goes with it.
    for (const keepFrames of [false, true]) {
      await flush('test-a');
      const abort = new AbortController();
      const traced = runTrace(pool, model, { from: { host: 'test-a', interface: 'eth2' }, to: B.address, keepFrames, signal: abort.signal, onProgress: (message) => message.startsWith('measuring') && abort.abort() });
      await assert.rejects(traced, /cancelled/);
    }
    await waitFor('no capture folder of the trace left', 5_000, async () => (captureFolders().every((name) => foldersBefore.has(name)) ? true : undefined), 50);
    // afterEach checks that no tcpdump, ping or control sender is left on any host.
  });

  it('mac-filter: the provider drops foreign source MACs; request leg one way, reply leg the other', async () => {
    const own = (await sh('ovs-b', ['cat', '/sys/class/net/eth2/address'])).stdout.trim();
    await segment('cn-b', ['nft', `table bridge olt_mac { chain forward { type filter hook forward priority 0; policy accept; iifname "p0" ether saddr != ${own} drop; }; }`]);
    undo.push(() => segment('cn-b', ['nft', 'delete table bridge olt_mac']));
    expectLoss(await trace('mac-filter a->b', A.host, B.address), { direction: 'request', probe: 'arp', from: 'ovs-b:eth2', to: 'test-b:eth2', kind: 'mac-filter', evidence: new RegExp(`own MAC ${own} reached test-b:eth2`) });
    expectLoss(await trace('mac-filter b->a', B.host, A.address), { direction: 'reply', probe: 'arp', from: 'ovs-b:eth2', to: 'test-b:eth2', kind: 'mac-filter', evidence: /source MAC [0-9a-f:]{17} \(test-a:eth2\)/ });
    expectLoss(await trace('mac-filter a->b pinged first', A.host, B.address, { pingFirst: true }), { direction: 'request', from: 'ovs-b:eth2', to: 'test-b:eth2', kind: 'mac-filter', evidence: /reached test-b:eth2/ });
  });

  it('segment-filter: the provider drops ICMP from the gateway port but carries its ARP', async () => {
    await segment('cn-b', ['nft', 'table bridge olt_seg { chain forward { type filter hook forward priority 0; policy accept; iifname "p0" ip protocol icmp drop; }; }']);
    undo.push(() => segment('cn-b', ['nft', 'delete table bridge olt_seg']));
    expectLoss(await trace('segment-filter a->b', A.host, B.address), { direction: 'request', probe: 'icmp', from: 'ovs-b:eth2', to: 'test-b:eth2', kind: 'segment-filter', evidence: /ARP request of the same trace crossed cn-b/ });
    // Pinged first: the neighbour is known, only the echo goes, and the control frames (echo and ARP from ovs-b:eth2's own MAC) tell the kind.
    expectLoss(await trace('segment-filter b->a pinged first', B.host, A.address, { pingFirst: true }), { direction: 'reply', probe: 'icmp', from: 'ovs-b:eth2', to: 'test-b:eth2', kind: 'segment-filter', evidence: /control: an ARP request from ovs-b:eth2's own MAC [0-9a-f:]{17} reached test-b:eth2/ });
  });

  it('link-down and missing-port at the far gateway, both directions', async () => {
    await sh('ovs-b', ['ip', 'link', 'set', 'dev', 'eth2', 'down']);
    undo.push(() => sh('ovs-b', ['ip', 'link', 'set', 'dev', 'eth2', 'up']));
    expectLoss(await trace('link-down a->b', A.host, B.address), { direction: 'request', probe: 'arp', from: 'ovs-b:eth0', to: 'ovs-b:eth2', kind: 'link-down', evidence: /ovs-b:eth2 is administratively down/ });
    expectLoss(await trace('link-down b->a pinged first', B.host, A.address, { pingFirst: true }), { direction: 'request', probe: 'arp', from: 'test-b:eth2', to: 'ovs-b:eth2', kind: 'link-down', evidence: /ovs-b:eth2 is administratively down/ });
    await sh('ovs-b', ['ip', 'link', 'set', 'dev', 'eth2', 'up']);
    await sh('ovs-b', ['ovs-vsctl', 'del-port', 'br0', 'eth2']);
    undo.push(() => sh('ovs-b', ['ovs-vsctl', '--may-exist', 'add-port', 'br0', 'eth2']));
    expectLoss(await trace('missing-port a->b', A.host, B.address, { pingFirst: true }), { direction: 'request', from: 'ovs-b:eth0', to: 'ovs-b:eth2', kind: 'missing-port', evidence: /eth2 is not a port of br0 on ovs-b/ });
    expectLoss(await trace('missing-port b->a', B.host, A.address), { direction: 'request', from: 'ovs-b:eth2', to: 'ovs-b:eth0', kind: 'missing-port', evidence: /eth2 is not a port of br0 on ovs-b/ });
  });

  it('mtu: an underlay port narrower than the encapsulated probe', async () => {
    await sh('ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1400']);
    undo.push(() => sh('ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1500']));
    expectLoss(await trace('mtu a->b', A.host, B.address, { size: 1400, pingFirst: true }), { direction: 'request', probe: 'icmp', from: 'ovs-a:eth2', to: 'ovs-a:eth0', kind: 'mtu', evidence: /ovs-a:eth0 carries at most 1400/ });
    expectLoss(await trace('mtu b->a', B.host, A.address, { size: 1400 }), { direction: 'request', probe: 'icmp', from: 'ovs-b:eth0', to: 'ovs-a:eth0', kind: 'mtu', evidence: /carries at most 1[34]\d\d/ });
  });

  it('vni-mismatch: a key changed on one end (request leg), a send key changed (reply leg)', async () => {
    await sh('ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:key=99']);
    undo.push(() => sh('ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'key', 'in_key', 'out_key']));
    expectLoss(await trace('vni a->b', A.host, B.address), { direction: 'request', from: 'ovs-b:eth0', to: 'ovs-b:eth2', kind: 'vni-mismatch', evidence: /sends key 0 \(the frames arrived with VNI 0\); ovs-b's vx0 expects key 99/ });
    expectLoss(await trace('vni b->a', B.host, A.address), { direction: 'request', from: 'ovs-a:eth0', to: 'ovs-a:eth2', kind: 'vni-mismatch', evidence: /VNI 99/ });
    await sh('ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'key']);
    await sh('ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:in_key=0', 'options:out_key=99']);
    expectLoss(await trace('vni reply leg pinged first', A.host, B.address, { pingFirst: true }), { direction: 'reply', from: 'ovs-a:eth0', to: 'ovs-a:eth2', kind: 'vni-mismatch', evidence: /ovs-b's vx0 sends key 99/ });
  });

  it('remote-ip-mismatch and dstport-mismatch, read from both tunnel ends', async () => {
    await sh('ovs-a', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:remote_ip=10.213.100.9']);
    undo.push(() => sh('ovs-a', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:remote_ip=10.213.100.2']));
    expectLoss(await trace('remote_ip a->b', A.host, B.address), { direction: 'request', from: 'ovs-a:eth2', to: 'ovs-a:eth0', kind: 'remote-ip-mismatch', evidence: /ovs-a's vx0 sends to 10\.213\.100\.9 \(its remote_ip\), but ovs-b holds .*10\.213\.100\.2/ });
    expectLoss(await trace('remote_ip b->a pinged first', B.host, A.address, { pingFirst: true }), { direction: 'request', from: 'ovs-a:eth0', to: 'ovs-a:eth2', kind: 'remote-ip-mismatch', evidence: /accepts only what comes from 10\.213\.100\.9/ });
    await sh('ovs-a', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:remote_ip=10.213.100.2']);
    await sh('ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:dst_port=4790']);
    undo.push(() => sh('ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'dst_port']));
    expectLoss(await trace('dstport a->b', A.host, B.address), { direction: 'request', from: 'ovs-b:eth0', to: 'ovs-b:eth2', kind: 'dstport-mismatch', evidence: /sends to UDP port 4789 \(the frames arrived on port 4789\); ovs-b's vx0 listens on 4790/ });
    expectLoss(await trace('dstport b->a pinged first', B.host, A.address, { pingFirst: true }), { direction: 'request', from: 'ovs-a:eth0', to: 'ovs-a:eth2', kind: 'dstport-mismatch', evidence: /arrived on port 4790/ });
  });

  it('underlay-filtered and underlay-unreachable, told apart by control probes, on either leg', async () => {
    const wan = (rule: string) => segment('wan', ['nft', `table bridge olt_wan { chain forward { type filter hook forward priority 0; policy accept; ${rule}; }; }`]);
    undo.push(() => segment('wan', ['nft', 'delete table bridge olt_wan']));
    await wan('ip saddr 10.213.100.1 udp dport 4789 drop');
    expectLoss(await trace('underlay-filtered a->b', A.host, B.address), { direction: 'request', from: 'ovs-a:eth0', to: 'ovs-b:eth0', kind: 'underlay-filtered', evidence: /did not reach ovs-b:eth0/ });
    expectLoss(await trace('underlay-filtered reply pinged first', B.host, A.address, { pingFirst: true }), { direction: 'reply', from: 'ovs-a:eth0', to: 'ovs-b:eth0', kind: 'underlay-filtered', evidence: /was answered/ });
    await segment('wan', ['nft', 'delete table bridge olt_wan']);
    await wan('ip saddr 10.213.100.1 drop');
    expectLoss(await trace('underlay-unreachable a->b', A.host, B.address, { pingFirst: true }), { direction: 'request', from: 'ovs-a:eth0', to: 'ovs-b:eth0', kind: 'underlay-unreachable', evidence: /underlay ping from ovs-a .* failed/ });
    expectLoss(await trace('underlay-unreachable reply', B.host, A.address), { direction: 'reply', from: 'ovs-a:eth0', to: 'ovs-b:eth0', kind: 'underlay-unreachable', evidence: /failed/ });
  });

  it('openflow-drop: ofproto/trace names the rule, on the request leg and on the reply leg', async () => {
    await sh('ovs-b', ['ovs-ofctl', 'add-flow', 'br0', 'priority=100,icmp,nw_dst=10.213.50.12,icmp_type=8,actions=drop']);
    undo.push(() => sh('ovs-b', ['ovs-ofctl', 'del-flows', 'br0', 'icmp,nw_dst=10.213.50.12']));
    expectLoss(await trace('openflow a->b', A.host, B.address), { direction: 'request', probe: 'icmp', from: 'ovs-b:eth0', to: 'ovs-b:eth2', kind: 'openflow-drop', evidence: /priority 100,icmp,nw_dst=10\.213\.50\.12|priority=100,icmp,nw_dst=10\.213\.50\.12/ });
    await sh('ovs-b', ['ovs-ofctl', 'del-flows', 'br0', 'icmp,nw_dst=10.213.50.12']);
    await sh('ovs-b', ['ovs-ofctl', 'add-flow', 'br0', 'priority=100,icmp,nw_dst=10.213.50.12,icmp_type=0,actions=drop']);
    expectLoss(await trace('openflow b->a (reply) pinged first', B.host, A.address, { pingFirst: true }), { direction: 'reply', probe: 'icmp', from: 'ovs-b:eth0', to: 'ovs-b:eth2', kind: 'openflow-drop', evidence: /icmp_type=0/ });
  });

  it('vswitchd-down on the far gateway, both directions', async () => {
    await sh('ovs-b', ['ovs-appctl', '-t', 'ovs-vswitchd', 'exit']);
    undo.push(() => sh('ovs-b', ['ovs-vswitchd', '--pidfile', '--detach', '--disable-system', '--log-file', '-vconsole:err']));
    await waitFor('ovs-vswitchd to exit on ovs-b', 5000, async () => ((await lab.processes('ovs-b', /^ovs-vswitchd/)).length === 0 ? true : undefined));
    expectLoss(await trace('vswitchd a->b', A.host, B.address), { direction: 'request', from: 'ovs-b:eth0', to: 'ovs-b:eth2', kind: 'vswitchd-down', evidence: /ovs-vswitchd is not running on ovs-b/ });
    expectLoss(await trace('vswitchd b->a pinged first', B.host, A.address, { pingFirst: true }), { direction: 'request', from: 'ovs-b:eth2', to: 'ovs-b:eth0', kind: 'vswitchd-down', evidence: /ovs-vswitchd is not running on ovs-b/ });
  });

  it('address-absent: the destination holds another address, in both directions', async () => {
    const move = async (host: string, address: string, other: string) => {
      await sh(host, ['ip', 'addr', 'del', `${address}/24`, 'dev', 'eth2']);
      await sh(host, ['ip', 'addr', 'add', `${other}/24`, 'dev', 'eth2']);
      const back = async () => {
        await lab.nsExec(host, ['ip', 'addr', 'del', `${other}/24`, 'dev', 'eth2']);
        await lab.nsExec(host, ['ip', 'addr', 'replace', `${address}/24`, 'dev', 'eth2']);
      };
      undo.push(back);
      return back;
    };
    const back = await move(B.host, B.address, '10.213.50.99');
    expectLoss(await trace('address-absent a->b', A.host, B.address), { direction: 'reply', probe: 'arp', from: 'test-b:eth2', to: 'test-b:eth2', kind: 'address-absent', evidence: /test-b:eth2 holds 10\.213\.50\.99\/24/ });
    await back();
    undo = [];
    await move(A.host, A.address, '10.213.50.98');
    expectLoss(await trace('address-absent b->a', B.host, A.address, { pingFirst: true }), { direction: 'reply', probe: 'arp', from: 'test-a:eth2', to: 'test-a:eth2', kind: 'address-absent', evidence: /10\.213\.50\.98\/24/ });
  });

  it('host-firewall: a counted drop at the destination (request) and at the source (reply)', async () => {
    await sh('test-b', ['nft', 'table inet olt_fw { chain input { type filter hook input priority 0; policy accept; icmp type echo-request counter drop; }; }']);
    undo.push(() => lab.nsExec('test-b', ['nft', 'delete table inet olt_fw']));
    expectLoss(await trace('host-firewall a->b', A.host, B.address), { direction: 'reply', probe: 'icmp', from: 'test-b:eth2', to: 'test-b:eth2', kind: 'host-firewall', evidence: /icmp type echo-request counter packets \d+ drop.*counted \d+→\d+ packets/ });
    await sh('test-b', ['nft', 'delete table inet olt_fw']);
    await sh('test-a', ['nft', 'table inet olt_fw { chain input { type filter hook input priority 0; policy accept; icmp type echo-reply counter drop; }; }']);
    undo.push(() => lab.nsExec('test-a', ['nft', 'delete table inet olt_fw']));
    expectLoss(await trace('host-firewall reply at source', A.host, B.address, { pingFirst: true }), { direction: 'reply', probe: 'icmp', from: 'test-a:eth2', to: 'test-a:eth2', kind: 'host-firewall', evidence: /echo-reply counter packets \d+ drop/ });
  });

  it('no-route: the source has no route (request), the destination none back (reply)', async () => {
    await sh('test-a', ['ip', 'route', 'del', '10.213.50.0/24', 'dev', 'eth2']);
    undo.push(() => lab.nsExec('test-a', ['ip', 'route', 'replace', '10.213.50.0/24', 'dev', 'eth2']));
    expectLoss(await trace('no-route a->b', A.host, B.address), { direction: 'request', from: 'test-a:eth2', to: 'test-a:eth2', kind: 'no-route', evidence: /Network is unreachable/ });
    expectLoss(await trace('no-route b->a (no route back) pinged first', B.host, A.address, { pingFirst: true }), { direction: 'reply', probe: 'icmp', from: 'test-a:eth2', to: 'test-a:eth2', kind: 'no-route', evidence: /no route back to 10\.213\.50\.12/ });
  });
});

describe('trace v2 on the test lab (Linux bridges, kernel VXLAN): the tunnel-end causes', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let model: Lab;
  let pool: SshPool;

  const sh = (host: string, argv: string[]) => lab.nsExec(host, argv, { check: true, timeoutMs: 20_000 });
  const pingOnce = async (from: string, to: string) => {
    lab.assertNamespaces();
    return (await lab.nsExec(from, ['ping', '-n', '-c', '1', '-W', '1', to], { timeoutMs: 10_000 })).code === 0;
  };
  async function trace(from: string, to: string): Promise<TraceResultV2> {
    lab.assertNamespaces();
    await lab.nsExec(from, ['ip', 'neigh', 'flush', 'dev', 'eth2']);
    const { result } = await runTrace(pool, model, { from: { host: from, interface: 'eth2' }, to });
    assert.equal(result.delivered, await pingOnce(from, to), 'the trace and ping -c 1 agree');
    return result;
  }
  /** Re-creates a host's kernel VXLAN device as a hand edit would, with one value changed. */
  async function vxlan(host: string, change: { id?: number; remote?: string; dstport?: number; nolearning?: boolean }): Promise<void> {
    const [local, remote] = host === 'ovs-a' ? ['10.213.100.1', '10.213.100.2'] : ['10.213.100.2', '10.213.100.1'];
    await sh(host, ['ip', 'link', 'del', 'dev', 'vx0']);
    await sh(host, ['ip', 'link', 'add', 'name', 'vx0', 'type', 'vxlan', 'id', String(change.id ?? 42), 'remote', change.remote ?? remote, 'local', local, 'dstport', String(change.dstport ?? 4789), ...(change.nolearning ? ['nolearning'] : [])]);
    await sh(host, ['ip', 'link', 'set', 'dev', 'vx0', 'master', 'br0']);
    await sh(host, ['ip', 'link', 'set', 'dev', 'vx0', 'up']);
  }
  const where = (r: TraceResultV2) => `${r.lostBetween?.direction} ${r.lostBetween?.from.host}:${r.lostBetween?.from.interface} -> ${r.lostBetween?.to.host}:${r.lostBetween?.to.interface} ${r.cause?.kind} ${r.cause?.confidence}`;

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoLabSpec({ prefix: 'oltl', mgmtSubnet: '10.213.156.1/24' }));
    const loaded = await loadLabFile(writeDemoLabFile(lab, 'trace-linux', undefined, DEMO_LINUX_LAB));
    assert.ok(loaded.lab);
    model = loaded.lab;
    pool = labPool(model);
    await runPlans(pool, (await planLab(pool, model)).plans);
    await waitFor('the overlay to carry a ping', 10_000, async () => ((await pingOnce('test-a', B.address)) ? true : undefined), 200);
  });
  afterEach(async () => {
    if (!lab) return;
    // The lab file's own state, as apply makes it.
    await runPlans(pool, (await planLab(pool, model)).plans);
    for (const host of HOSTS) await waitFor(`nothing of the trace left on ${host}`, 5_000, async () => ((await lab.processes(host, /tcpdump|ping|python3|perl/)).length === 0 ? true : undefined), 50);
  });
  after(async () => {
    pool?.dispose();
    await lab?.down();
  });

  it('is delivered on the healthy Linux-bridge lab', async () => {
    const result = await trace(A.host, B.address);
    assert.equal(result.delivered, true, JSON.stringify(result, null, 2));
    assert.ok(result.hops.every((h) => h.seen));
  });

  it('vni-mismatch read from ip -d -j link on both ends, both directions', async () => {
    await vxlan('ovs-b', { id: 99 });
    const ab = await trace(A.host, B.address);
    assert.equal(where(ab), 'request ovs-b:eth0 -> ovs-b:eth2 vni-mismatch proved', JSON.stringify(ab, null, 2));
    assert.match(ab.cause!.evidence[0], /ovs-a's vx0 sends key 42 \(the frames arrived with VNI 42\); ovs-b's vx0 expects key 99/);
    const ba = await trace(B.host, A.address);
    assert.equal(where(ba), 'request ovs-a:eth0 -> ovs-a:eth2 vni-mismatch proved', JSON.stringify(ba, null, 2));
  });

  it('remote-ip-mismatch: on the request leg (sender) and on the reply leg (the far end answers to the wrong address)', async () => {
    await vxlan('ovs-a', { remote: '10.213.100.9' });
    const ab = await trace(A.host, B.address);
    assert.equal(where(ab), 'request ovs-a:eth2 -> ovs-a:eth0 remote-ip-mismatch proved', JSON.stringify(ab, null, 2));
    assert.match(ab.cause!.evidence[0], /ovs-a's vx0 sends to 10\.213\.100\.9 \(its remote_ip\), but ovs-b holds 10\.213\.100\.2\/24 on eth0/);
    await runPlans(pool, (await planLab(pool, model)).plans);
    // Without learning, the far device sends its answers to its own remote (with learning, to where the request came from).
    await vxlan('ovs-b', { remote: '10.213.100.9', nolearning: true });
    const reply = await trace(A.host, B.address);
    assert.equal(where(reply), 'reply ovs-b:eth2 -> ovs-b:eth0 remote-ip-mismatch proved', JSON.stringify(reply, null, 2));
    assert.match(reply.cause!.evidence[0], /ovs-b's vx0 sends to 10\.213\.100\.9/);
  });

  it('dstport-mismatch: the frames arrive on a port the far device does not listen on, both directions', async () => {
    await vxlan('ovs-b', { dstport: 4790 });
    // Here ovs-a's kernel sent nothing at all towards the port nobody listens on (the frames stop before ovs-a:eth0); the cause is read from both ends all the same.
    const ab = await trace(A.host, B.address);
    assert.equal(ab.lostBetween?.direction, 'request', JSON.stringify(ab, null, 2));
    assert.equal(`${ab.cause?.kind} ${ab.cause?.confidence}`, 'dstport-mismatch proved', JSON.stringify(ab, null, 2));
    assert.match(ab.cause!.evidence[0], /ovs-a's vx0 sends to UDP port 4789.*; ovs-b's vx0 listens on 4790/);
    const ba = await trace(B.host, A.address);
    assert.equal(where(ba), 'request ovs-a:eth0 -> ovs-a:eth2 dstport-mismatch proved', JSON.stringify(ba, null, 2));
    assert.match(ba.cause!.evidence[0], /\(the frames arrived on port 4790\); ovs-a's vx0 listens on 4789/);
  });
});
