// The pcap that "Save as pcap" writes, checked as it streams from the host: only whole records
// pass. tcpdump appends to the file while we read it (-U writes each packet as it comes), so
// the last record may be cut short; and a ring file rotated under the reader could leave a
// stretch that does not parse. PcapGuard passes the file header and every record up to the
// first one that is cut or implausible, and counts them, so what lands on disk is always a
// file `tcpdump -r` reads to the end.

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
const MAGICS: Record<number, { littleEndian: boolean }> = {
  0xa1b2c3d4: { littleEndian: false }, // microseconds, written big-endian
  0xd4c3b2a1: { littleEndian: true },
  0xa1b23c4d: { littleEndian: false }, // nanoseconds
  0x4d3cb2a1: { littleEndian: true },
};
/** Larger than any snapshot length tcpdump uses (262144), so only nonsense is refused. */
const MAX_RECORD = 1 << 20;

export interface PcapSummary {
  /** Bytes passed on (file header + whole records). */
  bytes: number;
  packets: number;
  /** Bytes received but not passed on: a record cut short at the end, or data that does not parse. */
  droppedBytes: number;
  /** Link type from the file header (1 = Ethernet). */
  linkType?: number;
}

export class PcapFormatError extends Error {
  override readonly name = 'PcapFormatError';
}

export class PcapGuard {
  private pending: Buffer = Buffer.alloc(0);
  private littleEndian: boolean | undefined;
  private stopped = false;
  private readonly summary: PcapSummary = { bytes: 0, packets: 0, droppedBytes: 0 };

  constructor(private readonly write: (chunk: Buffer) => void) {}

  /** Takes the next chunk; throws PcapFormatError when the stream does not start like a pcap file. */
  push(chunk: Buffer): void {
    if (this.stopped) {
      this.summary.droppedBytes += chunk.length;
      return;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    if (this.littleEndian === undefined) {
      if (this.pending.length < FILE_HEADER) return;
      const magic = this.pending.readUInt32BE(0);
      const kind = MAGICS[magic];
      if (!kind) throw new PcapFormatError(`not a pcap file (magic 0x${magic.toString(16).padStart(8, '0')})`);
      this.littleEndian = kind.littleEndian;
      this.summary.linkType = this.u32(this.pending, 20);
      offset = FILE_HEADER;
    }
    while (this.pending.length - offset >= RECORD_HEADER) {
      const included = this.u32(this.pending, offset + 8);
      const original = this.u32(this.pending, offset + 12);
      // A record never holds more than the packet's own length, nor more than a snapshot.
      if (included > MAX_RECORD || included > original) {
        this.stop(offset);
        return;
      }
      if (this.pending.length - offset < RECORD_HEADER + included) break;
      offset += RECORD_HEADER + included;
      this.summary.packets++;
    }
    if (offset > 0) {
      this.emit(this.pending.subarray(0, offset));
      this.pending = this.pending.subarray(offset);
    }
  }

  /** The stream has ended: what is left is a cut record. */
  end(): PcapSummary {
    if (this.littleEndian === undefined && !this.stopped) {
      throw new PcapFormatError(this.pending.length ? 'the pcap ends inside its file header' : 'the pcap is empty');
    }
    this.summary.droppedBytes += this.pending.length;
    this.pending = Buffer.alloc(0);
    return { ...this.summary };
  }

  private stop(offset: number): void {
    if (offset > 0) this.emit(this.pending.subarray(0, offset));
    this.summary.droppedBytes += this.pending.length - offset;
    this.pending = Buffer.alloc(0);
    this.stopped = true;
  }

  private emit(bytes: Buffer): void {
    this.summary.bytes += bytes.length;
    // A copy: the caller may keep it while we reuse nothing, but subarrays pin big buffers.
    this.write(Buffer.from(bytes));
  }

  private u32(buffer: Buffer, at: number): number {
    return this.littleEndian ? buffer.readUInt32LE(at) : buffer.readUInt32BE(at);
  }
}
