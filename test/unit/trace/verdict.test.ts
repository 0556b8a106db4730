import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabText } from '../../../src/lab/load';
import { expectedPath } from '../../../src/trace/expectedPath';
import { icmpIdOf, probeLine, sourceMacOf } from '../../../src/trace/probeMatch';
import { readVerdict, type PointObservation } from '../../../src/trace/verdict';

const ROOT = join(__dirname, '..', '..', '..');
const capture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'capture', name), 'utf8');
/** Frames as tcpdump prints them: a line with a timestamp, plus the inner frame's line inside VXLAN. */
const frames = (text: string) => text.split(/\n(?=\d+\.\d+ )/).filter(Boolean);

describe('probe matching on real tcpdump lines', () => {
  it('finds the ARP request, plain and inside VXLAN, with the inner source MAC', () => {
    const arp = { kind: 'arp' as const, from: '10.213.50.11', to: '10.213.50.12' };
    const inTunnel = frames(capture('vxlan-ovs-a-eth0.txt')).map((f) => probeLine(arp, f)).filter(Boolean) as string[];
    assert.ok(inTunnel.length >= 1);
    assert.equal(sourceMacOf(inTunnel[0]), 'e6:41:7f:94:33:00', 'the inner frame’s source, not the underlay’s');
    const plain = frames(capture('plain-arp-icmp-test-a-eth2.txt'));
    assert.ok(plain.some((f) => probeLine({ ...arp, to: '10.213.50.1' }, f)));
    assert.ok(!plain.some((f) => probeLine({ ...arp, to: '10.213.50.99' }, f)), 'another destination does not match');
  });

  it('follows one ping by its ICMP id', () => {
    const text = frames(capture('icmp-ovs-b-eth2.txt'));
    const first = probeLine({ kind: 'icmp', from: '10.213.50.11', to: '10.213.50.12' }, text[0]);
    assert.ok(first);
    const id = icmpIdOf(first);
    assert.equal(id, 8420);
    assert.equal(text.filter((f) => probeLine({ kind: 'icmp', from: '10.213.50.11', to: '10.213.50.12', icmpId: id }, f)).length, 2, 'two requests, no replies');
    assert.equal(text.filter((f) => probeLine({ kind: 'icmp', from: '10.213.50.11', to: '10.213.50.12', icmpId: 1 }, f)).length, 0);
  });
});

describe('the verdict', () => {
  const file = join(ROOT, 'examples', 'dfw-ord.lab.yaml');
  const lab = loadLabText(readFileSync(file, 'utf8'), file).lab;
  assert.ok(lab);
  const path = expectedPath(lab, { host: 'test-dfw', interface: 'eth2' }, '192.168.1.12');
  const macs: Record<string, string> = { 'test-dfw:eth2': '02:00:00:00:00:11', 'ovs-ord:eth2': '02:00:00:00:00:22' };
  const context = {
    macOf: (host: string, iface: string) => macs[`${host}:${iface}`],
    ownerOfMac: (mac: string) => Object.entries(macs).find(([, m]) => m === mac)?.[0],
    segmentNote: (name: string) => lab.segments.find((s) => s.name === name)?.note,
  };
  const observe = (seen: number[], sourceMac = '02:00:00:00:00:11'): PointObservation[] =>
    path.points.map((point, i) => ({ point, count: seen[i], sourceMacs: seen[i] ? [sourceMac] : [] }));

  it('says delivered when the far end saw it', () => {
    const result = readVerdict(path, 'icmp', observe([1, 1, 1, 1, 1, 1]), context);
    assert.equal(result.delivered, true);
    assert.equal(result.lostBetween, null);
  });

  it('names the provider network that drops a foreign source MAC, as in the DFW–ORD case', () => {
    const result = readVerdict(path, 'arp', observe([3, 3, 3, 3, 3, 0]), context);
    assert.equal(result.delivered, false);
    assert.deepEqual(result.lostBetween, { from: { host: 'ovs-ord', interface: 'eth2' }, to: { host: 'test-ord', interface: 'eth2' }, segment: 'cn-ord' });
    assert.deepEqual(result.hops.map((h) => [h.host, h.interface, h.seen, h.encapsulated, h.count]), [
      ['test-dfw', 'eth2', true, false, 3],
      ['ovs-dfw', 'eth2', true, false, 3],
      ['ovs-dfw', 'eth0', true, true, 3],
      ['ovs-ord', 'eth0', true, true, 3],
      ['ovs-ord', 'eth2', true, false, 3],
      ['test-ord', 'eth2', false, false, 0],
    ]);
    assert.match(result.hints[0], /left ovs-ord:eth2 onto cn-ord \(provider private network \(ORD\)\) with source MAC 02:00:00:00:00:11 \(test-dfw:eth2\), which is not ovs-ord:eth2's own MAC 02:00:00:00:00:22/);
    assert.match(result.hints[0], /anti-spoofing or port security/);
    assert.match(result.hints[1], /allowed-address-pairs/);
  });

  it('blames the underlay when encapsulated frames leave one end and never arrive', () => {
    const result = readVerdict(path, 'icmp', observe([1, 1, 1, 0, 0, 0]), context);
    assert.equal(result.lostBetween?.segment, 'wan');
    assert.match(result.hints[0], /firewall or security group dropping UDP 4789/);
  });

  it('blames the far tunnel end when it receives but does not forward: VNI or remote_ip', () => {
    const result = readVerdict(path, 'icmp', observe([1, 1, 1, 1, 0, 0]), { ...context, tunnelDetail: () => ({ vni: 0 }) });
    assert.equal(result.lostBetween?.segment, 'vx0');
    assert.match(result.hints[0], /VNI \(key\) differs between the two ends/);
  });

  it('says the probe never left the source when nothing saw it', () => {
    const result = readVerdict(path, 'icmp', observe([0, 0, 0, 0, 0, 0]), { ...context, sendError: 'ping: connect: Network is unreachable' });
    assert.match(result.hints[0], /never left test-dfw: ping: connect: Network is unreachable/);
  });
});
