import { strict as assert } from 'node:assert';
import { readPcap, writePcapng, type PcapRecord } from '../../../src/capture/pcapng';

/** A classic pcap as tcpdump -w writes it: the header, then records (µs or ns, either byte order). */
function pcap(records: { seconds: number; fraction: number; data: Buffer }[], { littleEndian = true, nanos = false } = {}): Buffer {
  const header = Buffer.alloc(24);
  const u32 = (buffer: Buffer, value: number, at: number) => (littleEndian ? buffer.writeUInt32LE(value, at) : buffer.writeUInt32BE(value, at));
  const u16 = (buffer: Buffer, value: number, at: number) => (littleEndian ? buffer.writeUInt16LE(value, at) : buffer.writeUInt16BE(value, at));
  u32(header, nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(header, 2, 4);
  u16(header, 4, 6);
  u32(header, 262144, 16);
  u32(header, 1, 20);
  const parts: Buffer[] = [header];
  for (const record of records) {
    const head = Buffer.alloc(16);
    u32(head, record.seconds, 0);
    u32(head, record.fraction, 4);
    u32(head, record.data.length, 8);
    u32(head, record.data.length + 10, 12);
    parts.push(head, record.data);
  }
  return Buffer.concat(parts);
}

/** Walks a pcapng's blocks (little-endian, as we write it): interface names and packets with their interface and µs time. */
function walk(file: Buffer) {
  const names: string[] = [];
  const descriptions: string[] = [];
  const packets: { iface: number; timeUs: number; data: string; original: number }[] = [];
  const types: number[] = [];
  let at = 0;
  while (at < file.length) {
    const type = file.readUInt32LE(at);
    const length = file.readUInt32LE(at + 4);
    assert.equal(length % 4, 0, 'blocks are 32-bit aligned');
    assert.equal(file.readUInt32LE(at + length - 4), length, 'trailing length equals leading length');
    types.push(type);
    if (type === 1) {
      let option = at + 16;
      while (option < at + length - 4) {
        const code = file.readUInt16LE(option);
        const size = file.readUInt16LE(option + 2);
        if (code === 0) break;
        const value = file.subarray(option + 4, option + 4 + size);
        if (code === 2) names.push(value.toString('utf8'));
        if (code === 3) descriptions.push(value.toString('utf8'));
        if (code === 9) assert.equal(value[0], 6);
        option += 4 + size + ((4 - (size % 4)) % 4);
      }
    }
    if (type === 6) {
      const high = file.readUInt32LE(at + 12);
      const low = file.readUInt32LE(at + 16);
      const captured = file.readUInt32LE(at + 20);
      packets.push({ iface: file.readUInt32LE(at + 8), timeUs: high * 2 ** 32 + low, data: file.subarray(at + 28, at + 28 + captured).toString(), original: file.readUInt32LE(at + 24) });
    }
    at += length;
  }
  return { types, names, descriptions, packets };
}

describe('pcapng of a merged capture', () => {
  it('reads tcpdump’s pcap in every byte order and resolution, and leaves out a record cut short', () => {
    const records = [
      { seconds: 1796322944, fraction: 232286, data: Buffer.from('first') },
      { seconds: 1796322945, fraction: 7, data: Buffer.from('second') },
    ];
    for (const littleEndian of [true, false]) {
      const read = readPcap(pcap(records, { littleEndian }));
      assert.deepEqual(read.records.map((r) => [r.timeUs, r.data.toString(), r.originalLength]), [[1_796_322_944_232_286, 'first', 15], [1_796_322_945_000_007, 'second', 16]]);
      assert.equal(read.linkType, 1);
    }
    const nanos = readPcap(pcap([{ seconds: 10, fraction: 123_456_789, data: Buffer.from('n') }], { nanos: true }));
    assert.equal(nanos.records[0].timeUs, 10_123_456);
    const cut = pcap(records).subarray(0, 24 + 16 + 5 + 10);
    assert.equal(readPcap(cut).records.length, 1);
    assert.throws(() => readPcap(Buffer.alloc(24)), /not a pcap file/);
  });

  it('writes one interface block per host:iface, named so, and every packet in corrected time order on its interface', () => {
    const rec = (timeUs: number, data: string): PcapRecord => ({ timeUs, originalLength: data.length, data: Buffer.from(data) });
    const chunks: Buffer[] = [];
    const written = writePcapng(
      [
        // test-a's clock is 2 s ahead of this machine's; ovs-b's 1 ms behind.
        { name: 'test-a:eth2', description: 'test-a: clock +2000.000 ms ± 0.2 ms', linkType: 1, snapLength: 262144, offsetUs: 2_000_000, records: [rec(3_000_000, 'a-request'), rec(3_000_900, 'a-reply')] },
        { name: 'ovs-b:eth2', linkType: 1, snapLength: 262144, offsetUs: -1_000, records: [rec(999_100, 'b-request'), rec(999_700, 'b-reply')] },
      ],
      (chunk) => chunks.push(chunk),
    );
    const file = Buffer.concat(chunks);
    assert.equal(written.bytes, file.length);
    assert.equal(written.packets, 4);
    const seen = walk(file);
    assert.deepEqual(seen.types, [0x0a0d0d0a, 1, 1, 6, 6, 6, 6]);
    assert.equal(file.readUInt32LE(8), 0x1a2b3c4d);
    assert.deepEqual(seen.names, ['test-a:eth2', 'ovs-b:eth2']);
    assert.deepEqual(seen.descriptions, ['test-a: clock +2000.000 ms ± 0.2 ms']);
    assert.deepEqual(seen.packets.map((p) => [p.iface, p.timeUs, p.data]), [
      [0, 1_000_000, 'a-request'],
      [1, 1_000_100, 'b-request'],
      [1, 1_000_700, 'b-reply'],
      [0, 1_000_900, 'a-reply'],
    ]);
  });
});
