// The frames a trace saw, kept as the hosts captured them, and written as one pcapng: an
// interface block per capture point, named `host:iface`, then every point's packets in time
// order (src/capture/pcapng.ts writes it). Each point's tcpdump wrote a pcap beside the text
// the trace reads (the capture's own `-w … --print`, so the verdict comes from the same lines
// as before); the trace fetched it before it closed the capture. Pure apart from
// saveTracePcapng, which writes the file.

import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describeOffset, isClockOffset, type ClockReading } from '../capture/clockOffset';
import { readPcap, writePcapng, type PcapngInterface } from '../capture/pcapng';

/** Ethernet: what an interface block of a point that kept no pcap says it would have held. */
const ETHERNET = 1;
const SNAP_LENGTH = 262144;

/** What one capture point of a trace kept. */
export interface TracePointFrames {
  host: string;
  interface: string;
  /** The pcap tcpdump wrote at this point (file header and whole records), as fetched from the host. */
  pcap?: Buffer;
  /** Frames the trace read from this point's text: what the pcap should hold as well. */
  frames: number;
  /** Why there is no pcap (the point was not watched, the host could not keep one, the fetch failed). */
  problem?: string;
}

export interface TraceFrames {
  /** One per capture point of the trace, in the trace's order (request leg first). */
  points: TracePointFrames[];
  /** Each host's clock against the machine that ran the trace, by host. */
  clocks: Record<string, ClockReading>;
}

export interface SavedPcapng {
  packets: number;
  bytes: number;
  interfaces: number;
  /** Points whose frames are not in the file, or not all of them, in a sentence each. */
  problems: string[];
}

const label = (point: { host: string; interface: string }) => `${point.host}:${point.interface}`;

/** The interface blocks of the trace's pcapng, one per point, each with its packets and its host's clock correction. */
export function tracePcapngInterfaces(frames: TraceFrames): { interfaces: PcapngInterface[]; problems: string[] } {
  const problems: string[] = [];
  const interfaces = frames.points.map((point): PcapngInterface => {
    const name = label(point);
    const reading = frames.clocks[point.host];
    const offsetUs = reading && isClockOffset(reading) ? reading.correctionUs : 0;
    const clock = reading ? `${describeOffset(reading)} against the machine that ran the trace${offsetUs !== 0 ? "; times here are on that machine's clock" : "; times here are the host's own"}` : "clock not measured; times here are the host's own";
    if (!point.pcap) {
      problems.push(`${name}: no frames kept (${point.problem ?? 'no pcap'})`);
      return { name, description: `${name}: no frames kept: ${point.problem ?? 'no pcap'}`, linkType: ETHERNET, snapLength: SNAP_LENGTH, offsetUs: 0, records: [] };
    }
    let pcap;
    try {
      pcap = readPcap(point.pcap);
    } catch (error) {
      problems.push(`${name}: the pcap from the host is not valid: ${(error as Error).message}`);
      return { name, description: `${name}: no frames kept: the pcap from the host is not valid`, linkType: ETHERNET, snapLength: SNAP_LENGTH, offsetUs: 0, records: [] };
    }
    // The ring on the host keeps the newest frames only; fewer here than the trace read means the oldest went.
    if (pcap.records.length < point.frames) problems.push(`${name}: ${pcap.records.length} of the ${point.frames} frames the trace saw were kept (the host keeps the newest only)`);
    return { name, description: `${name}: ${clock}`, linkType: pcap.linkType, snapLength: pcap.snapLength, offsetUs, records: pcap.records };
  });
  return { interfaces, problems };
}

/** The trace's pcapng, handed on in pieces. */
export function writeTracePcapng(frames: TraceFrames, write: (chunk: Buffer) => void): SavedPcapng {
  const { interfaces, problems } = tracePcapngInterfaces(frames);
  const written = writePcapng(interfaces, write, 'Overlay Lab trace');
  return { ...written, interfaces: interfaces.length, problems };
}

/** Writes the trace's pcapng to a file (removed again on failure). */
export async function saveTracePcapng(frames: TraceFrames, file: string): Promise<SavedPcapng> {
  const out = createWriteStream(file, { mode: 0o644 });
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    const saved = writeTracePcapng(frames, (chunk) => out.write(chunk));
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    return saved;
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
}

/** "wrote 14 packets of 6 interfaces (2312 bytes) to FILE", and what is missing. */
export function describeSaved(saved: SavedPcapng, file: string): string {
  return [`wrote ${saved.packets} packets of ${saved.interfaces} interfaces (${saved.bytes} bytes) to ${file}`, ...saved.problems].join('\n');
}

/** Default file name: `trace test-a-eth2 to 10.213.50.12.pcapng`, safe on every file system. */
export function tracePcapngName(from: { host: string; interface: string }, to: string): string {
  return `trace ${from.host}-${from.interface} to ${to}.pcapng`.replace(/[/\\:*?"<>|]/g, '-');
}
