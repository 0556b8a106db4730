// One pcapng file out of several captures' pcaps: an interface block per `host:iface`, named
// so, then every packet of every capture in time order, each an enhanced packet block on its
// interface, its time moved onto this machine's clock by its host's measured offset. Wireshark
// and `tshark -r` show the frames of every hop in one list, each with its interface's name.
// Written here (the format is a few fixed blocks) rather than with a library.
//
// The input is what tcpdump wrote with -w (classic pcap, micro- or nanosecond stamps, either
// byte order), as PcapGuard passes it: a file header and whole records.

export interface PcapRecord {
  /** µs since the epoch, on the capturing host's clock. */
  timeUs: number;
  originalLength: number;
  data: Buffer;
}

export interface PcapContents {
  linkType: number;
  snapLength: number;
  records: PcapRecord[];
}

const MAGIC: Record<number, { littleEndian: boolean; nanos: boolean }> = {
  0xa1b2c3d4: { littleEndian: false, nanos: false },
  0xd4c3b2a1: { littleEndian: true, nanos: false },
  0xa1b23c4d: { littleEndian: false, nanos: true },
  0x4d3cb2a1: { littleEndian: true, nanos: true },
};

/** Reads a classic pcap file; a record cut short at the end is left out. */
export function readPcap(file: Buffer): PcapContents {
  if (file.length < 24) throw new Error('not a pcap file: shorter than its header');
  const kind = MAGIC[file.readUInt32BE(0)];
  if (!kind) throw new Error(`not a pcap file (magic 0x${file.readUInt32BE(0).toString(16)})`);
  const u32 = (at: number) => (kind.littleEndian ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const records: PcapRecord[] = [];
  let at = 24;
  while (at + 16 <= file.length) {
    const seconds = u32(at);
    const fraction = u32(at + 4);
    const included = u32(at + 8);
    const original = u32(at + 12);
    if (at + 16 + included > file.length) break;
    const timeUs = seconds * 1_000_000 + (kind.nanos ? Math.floor(fraction / 1000) : fraction);
    records.push({ timeUs, originalLength: original, data: file.subarray(at + 16, at + 16 + included) });
    at += 16 + included;
  }
  return { linkType: u32(20), snapLength: u32(16), records };
}

export interface PcapngInterface {
  /** `host:iface`: the interface's name in Wireshark. */
  name: string;
  /** A sentence: the host's clock offset and its bound, how the times were corrected. */
  description?: string;
  linkType: number;
  snapLength: number;
  /** Host clock minus this machine's, µs: subtracted from every packet's time. */
  offsetUs: number;
  records: readonly PcapRecord[];
}

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const pad4 = (n: number) => (4 - (n % 4)) % 4;

function option(code: number, value: Buffer): Buffer {
  const out = Buffer.alloc(4 + value.length + pad4(value.length));
  out.writeUInt16LE(code, 0);
  out.writeUInt16LE(value.length, 2);
  value.copy(out, 4);
  return out;
}

function options(list: Buffer[]): Buffer {
  if (list.length === 0) return Buffer.alloc(0);
  return Buffer.concat([...list, Buffer.alloc(4)]); // opt_endofopt
}

function block(type: number, body: Buffer): Buffer {
  const length = 12 + body.length;
  const out = Buffer.alloc(length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(length, 4);
  body.copy(out, 8);
  out.writeUInt32LE(length, length - 4);
  return out;
}

function sectionHeader(application: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  fixed.writeBigInt64LE(-1n, 8); // section length not given
  return block(SHB, Buffer.concat([fixed, options([option(4, Buffer.from(application, 'utf8'))])])); // shb_userappl
}

function interfaceBlock(face: PcapngInterface): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(face.linkType, 0);
  fixed.writeUInt32LE(face.snapLength, 4);
  const list = [option(2, Buffer.from(face.name, 'utf8'))]; // if_name
  if (face.description) list.push(option(3, Buffer.from(face.description, 'utf8'))); // if_description
  list.push(option(9, Buffer.from([6]))); // if_tsresol: microseconds
  return block(IDB, Buffer.concat([fixed, options(list)]));
}

function packetBlock(interfaceId: number, timeUs: number, record: PcapRecord): Buffer {
  const fixed = Buffer.alloc(20);
  const stamp = BigInt(Math.max(0, timeUs));
  fixed.writeUInt32LE(interfaceId, 0);
  fixed.writeUInt32LE(Number(stamp >> 32n), 4);
  fixed.writeUInt32LE(Number(stamp & 0xffffffffn), 8);
  fixed.writeUInt32LE(record.data.length, 12);
  fixed.writeUInt32LE(record.originalLength, 16);
  return block(EPB, Buffer.concat([fixed, record.data, Buffer.alloc(pad4(record.data.length))]));
}

/**
 * The pcapng: one interface per entry (in order; its index is the interface id), every packet
 * in order of its corrected time (ties keep interface order, then each capture's own order).
 * Hands the file on in pieces (`write`), so a large merge never sits in one buffer.
 */
export function writePcapng(interfaces: readonly PcapngInterface[], write: (chunk: Buffer) => void, application = 'Overlay Lab'): { packets: number; bytes: number } {
  let bytes = 0;
  const out = (chunk: Buffer) => {
    bytes += chunk.length;
    write(chunk);
  };
  out(sectionHeader(application));
  interfaces.forEach((face) => out(interfaceBlock(face)));
  const heads = interfaces.map(() => 0);
  let packets = 0;
  for (;;) {
    let best = -1;
    let bestUs = Infinity;
    for (let i = 0; i < interfaces.length; i++) {
      const record = interfaces[i].records[heads[i]];
      if (!record) continue;
      const us = record.timeUs - interfaces[i].offsetUs;
      if (us < bestUs) {
        bestUs = us;
        best = i;
      }
    }
    if (best < 0) break;
    out(packetBlock(best, bestUs, interfaces[best].records[heads[best]++]));
    packets++;
  }
  return { packets, bytes };
}
