import { strict as assert } from 'node:assert';
import { PcapFormatError, PcapGuard } from '../../../src/capture/pcap';

/** A pcap file as tcpdump writes it: header, then records of the given payload sizes. */
function pcap(sizes: number[], littleEndian = true, magic = 0xa1b2c3d4): Buffer {
  const u32 = (value: number) => {
    const b = Buffer.alloc(4);
    if (littleEndian) b.writeUInt32LE(value);
    else b.writeUInt32BE(value);
    return b;
  };
  const u16 = (value: number) => {
    const b = Buffer.alloc(2);
    if (littleEndian) b.writeUInt16LE(value);
    else b.writeUInt16BE(value);
    return b;
  };
  const parts = [u32(magic), u16(2), u16(4), u32(0), u32(0), u32(262144), u32(1)];
  sizes.forEach((size, i) => parts.push(u32(1700000000 + i), u32(i), u32(size), u32(size), Buffer.alloc(size, i + 1)));
  return Buffer.concat(parts);
}

function guard(chunks: Buffer[]): { out: Buffer; summary: ReturnType<PcapGuard['end']> } {
  const written: Buffer[] = [];
  const g = new PcapGuard((chunk) => written.push(chunk));
  for (const chunk of chunks) g.push(chunk);
  return { summary: g.end(), out: Buffer.concat(written) };
}

function bytewise(buffer: Buffer): Buffer[] {
  return [...buffer].map((byte) => Buffer.from([byte]));
}

describe('pcap guard', () => {
  it('passes a whole file through unchanged, however it is chunked, in both byte orders', () => {
    for (const littleEndian of [true, false]) {
      const file = pcap([42, 98, 148], littleEndian);
      for (const chunks of [[file], bytewise(file), [file.subarray(0, 30), file.subarray(30, 31), file.subarray(31)]]) {
        const { out, summary } = guard(chunks);
        assert.ok(out.equals(file));
        assert.deepEqual(summary, { bytes: file.length, packets: 3, droppedBytes: 0, linkType: 1 });
      }
    }
  });

  it('drops a record cut short at the end (tcpdump was still writing it)', () => {
    const file = pcap([42, 98, 148]);
    const cut = file.subarray(0, file.length - 100);
    const { out, summary } = guard([cut]);
    assert.ok(out.equals(file.subarray(0, 24 + 16 + 42 + 16 + 98)));
    assert.equal(summary.packets, 2);
    assert.equal(summary.droppedBytes, cut.length - out.length);
  });

  it('stops at a record that cannot be (longer than the packet, or than any snapshot)', () => {
    const file = pcap([42, 60]);
    const bad = Buffer.from(file);
    bad.writeUInt32LE(61, 24 + 16 + 42 + 8); // included length 61 > original 60
    const { out, summary } = guard([bad, pcap([10]).subarray(24)]);
    assert.equal(summary.packets, 1);
    assert.ok(out.equals(file.subarray(0, 24 + 16 + 42)));
    assert.ok(summary.droppedBytes > 0);
  });

  it('takes the nanosecond variant, and refuses what is not a pcap file', () => {
    assert.equal(guard([pcap([5], true, 0xa1b23c4d)]).summary.packets, 1);
    assert.throws(() => guard([Buffer.from('tcpdump: this is text, not a pcap file at all')]), PcapFormatError);
    assert.throws(() => guard([]), /the pcap is empty/);
    assert.throws(() => guard([pcap([]).subarray(0, 10)]), /ends inside its file header/);
  });

  it('passes a header-only file (a capture that saw nothing)', () => {
    const { out, summary } = guard([pcap([])]);
    assert.equal(out.length, 24);
    assert.equal(summary.packets, 0);
  });
});
