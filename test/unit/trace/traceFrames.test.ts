// The trace's pcapng, from what a real trace kept (test/fixtures/trace/frames: each capture
// point's pcap as the trace fetched it from its host, and the text lines it read there).

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClockReading } from '../../../src/capture/clockOffset';
import { describeSaved, tracePcapngName, writeTracePcapng, type TraceFrames } from '../../../src/trace/traceFrames';

const FIXTURES = join(__dirname, '../../fixtures/trace/frames');
const recorded = JSON.parse(readFileSync(join(FIXTURES, 'healthy.json'), 'utf8')) as {
  points: { host: string; interface: string; frames: number }[];
  clocks: Record<string, ClockReading>;
  captured: { host: string; interface: string; lines: string[] }[];
};
const LABELS = recorded.points.map((p) => `${p.host}:${p.interface}`);

function healthy(): TraceFrames {
  return {
    points: recorded.points.map((p) => ({ ...p, pcap: readFileSync(join(FIXTURES, `healthy-${p.host}-${p.interface}.pcap`)) })),
    clocks: structuredClone(recorded.clocks),
  };
}

/** Walks the pcapng's blocks (little-endian, as written): interfaces with name and description, packets with interface and µs time. */
function walk(file: Buffer) {
  const interfaces: { name?: string; description?: string; linkType: number }[] = [];
  const packets: { iface: number; timeUs: number; captured: number }[] = [];
  let at = 0;
  assert.equal(file.readUInt32LE(0), 0x0a0d0d0a, 'starts with a section header');
  while (at < file.length) {
    const type = file.readUInt32LE(at);
    const length = file.readUInt32LE(at + 4);
    assert.equal(file.readUInt32LE(at + length - 4), length);
    if (type === 1) {
      const face: { name?: string; description?: string; linkType: number } = { linkType: file.readUInt16LE(at + 8) };
      for (let option = at + 16; option < at + length - 4; ) {
        const code = file.readUInt16LE(option);
        const size = file.readUInt16LE(option + 2);
        if (code === 0) break;
        const value = file.subarray(option + 4, option + 4 + size).toString('utf8');
        if (code === 2) face.name = value;
        if (code === 3) face.description = value;
        option += 4 + size + ((4 - (size % 4)) % 4);
      }
      interfaces.push(face);
    }
    if (type === 6) packets.push({ iface: file.readUInt32LE(at + 8), timeUs: file.readUInt32LE(at + 12) * 2 ** 32 + file.readUInt32LE(at + 16), captured: file.readUInt32LE(at + 20) });
    at += length;
  }
  return { interfaces, packets };
}

function written(frames: TraceFrames) {
  const chunks: Buffer[] = [];
  const saved = writeTracePcapng(frames, (chunk) => chunks.push(chunk));
  const file = Buffer.concat(chunks);
  assert.equal(saved.bytes, file.length);
  return { saved, ...walk(file) };
}

/** µs of a tcpdump -tt line. */
const textTimeUs = (line: string) => {
  const [seconds, micros] = line.split(' ')[0].split('.');
  return Number(seconds) * 1_000_000 + Number(micros);
};

describe('the trace pcapng (src/trace/traceFrames.ts)', () => {
  it('has one interface per capture point, named host:iface, in the trace order, Ethernet', () => {
    const { interfaces, saved } = written(healthy());
    assert.deepEqual(interfaces.map((face) => face.name), ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0', 'ovs-b:eth0', 'ovs-b:eth2', 'test-b:eth2']);
    assert.ok(interfaces.every((face) => face.linkType === 1));
    assert.equal(saved.interfaces, 6);
    assert.deepEqual(saved.problems, []);
  });

  it('holds at each point exactly the frames the trace read there, at the times tcpdump printed, in time order across points', () => {
    const { packets, saved } = written(healthy());
    assert.equal(saved.packets, 24);
    recorded.captured.forEach((point, index) => {
      const here = packets.filter((packet) => packet.iface === index);
      assert.deepEqual(here.map((packet) => packet.timeUs), point.lines.map(textTimeUs), `${LABELS[index]}: the pcap's frames are the text's`);
    });
    const times = packets.map((packet) => packet.timeUs);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    // The encapsulated point carries the same frames with 50 bytes of VXLAN, UDP, IP and Ethernet around them.
    assert.deepEqual(packets.filter((p) => p.iface === 2).map((p) => p.captured), packets.filter((p) => p.iface === 0).map((p) => p.captured + 50));
  });

  it("says each host's clock, and moves a host's frames onto this machine's clock when its offset exceeds its bound", () => {
    const plain = written(healthy());
    assert.match(plain.interfaces[0].description ?? '', /^test-a:eth2: clock [+−]\d+\.\d{3} ms ± \d+\.\d{3} ms \(agrees within its bound: not corrected\) against the machine that ran the trace; times here are the host's own$/);
    const frames = healthy();
    frames.clocks['test-b'] = { host: 'test-b', offsetUs: 2_000_000, boundUs: 900, samples: 4, rttUs: 1800, correctionUs: 2_000_000 };
    const moved = written(frames);
    assert.match(moved.interfaces[5].description ?? '', /clock \+2000\.000 ms ± 0\.900 ms \(corrected\) .*on that machine's clock/);
    const before = plain.packets.filter((p) => p.iface === 5).map((p) => p.timeUs);
    assert.deepEqual(moved.packets.filter((p) => p.iface === 5).map((p) => p.timeUs), before.map((us) => us - 2_000_000));
    // Two seconds earlier, test-b's frames now come first.
    assert.deepEqual(moved.packets.slice(0, 4).map((p) => p.iface), [5, 5, 5, 5]);
  });

  it('keeps an interface for a point without frames, and says why, as it says when the ring lost the oldest', () => {
    const frames = healthy();
    frames.points[5] = { host: 'test-b', interface: 'eth2', frames: 0, problem: 'not watched: test-b: capture on eth2 failed: tcpdump: eth2: No such device exists' };
    // The newest two records of ovs-b:eth0 only, as a ring that rotated would keep them.
    const pcap = frames.points[3].pcap!;
    let at = 24;
    for (let i = 0; i < 2; i++) at += 16 + pcap.readUInt32LE(at + 8);
    frames.points[3].pcap = Buffer.concat([pcap.subarray(0, 24), pcap.subarray(at)]);
    frames.points[4].pcap = Buffer.from('not a pcap at all, longer than a header');
    const { interfaces, packets, saved } = written(frames);
    assert.deepEqual(interfaces.map((face) => face.name), LABELS);
    assert.match(interfaces[5].description ?? '', /no frames kept: not watched: .*No such device/);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => packets.filter((p) => p.iface === i).length), [4, 4, 4, 2, 0, 0]);
    assert.deepEqual(saved.problems, [
      'ovs-b:eth0: 2 of the 4 frames the trace saw were kept (the host keeps the newest only)',
      'ovs-b:eth2: the pcap from the host is not valid: not a pcap file (magic 0x6e6f7420)',
      'test-b:eth2: no frames kept (not watched: test-b: capture on eth2 failed: tcpdump: eth2: No such device exists)',
    ]);
    assert.equal(describeSaved(saved, 'x.pcapng').split('\n')[0], `wrote 14 packets of 6 interfaces (${saved.bytes} bytes) to x.pcapng`);
  });

  it('names the file after the route, without characters a file system refuses', () => {
    assert.equal(tracePcapngName({ host: 'test-a', interface: 'eth2' }, '10.213.50.12'), 'trace test-a-eth2 to 10.213.50.12.pcapng');
    assert.equal(tracePcapngName({ host: 'a', interface: 'eth0' }, 'fd00::1'), 'trace a-eth0 to fd00--1.pcapng');
  });
});
