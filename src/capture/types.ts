// What a capture hands to its users (panes, the CLI, trace): parsed frames, counters, stats and
// how it ended. Plain data with no Node imports, so the webview bundle can import these types.

/** The kind of a frame, from its ethertype and, for IP, its protocol. Encapsulation wins over IP. */
export type FrameClass = 'arp' | 'icmp' | 'icmp6' | 'ip' | 'ipv6' | 'vxlan' | 'geneve' | 'other';

/** One link-layer header and what tcpdump says it carries. */
export interface FrameHeader {
  srcMac?: string;
  dstMac?: string;
  /** tcpdump's name for the ethertype (`IPv4`, `ARP`, `IPv6`, `802.1Q` …), of the innermost VLAN tag's payload. */
  ethertype?: string;
  /** 802.1Q tags, outermost first. */
  vlans?: number[];
  class: FrameClass;
  /** Frame length in bytes, as tcpdump prints it after the ethertype. */
  length?: number;
  /** Network addresses: IP source and destination (no port); for ARP, the sender and the target. */
  src?: string;
  dst?: string;
  /** ARP: `request` (who-has dst tell src) or `reply` (src is-at srcMac). */
  arp?: 'request' | 'reply';
  /** ICMP and ICMPv6: what tcpdump calls the message (`echo request`, `echo reply`, `neighbor solicitation` …), with id/seq for echoes. */
  icmp?: { message: string; id?: number; seq?: number };
  /** tcpdump's text after `length N: ` (the protocol part). */
  summary: string;
}

export interface CaptureFrame extends FrameHeader {
  /** Seconds since the epoch (`-tt`), with microseconds. */
  time: number;
  /** The frame as tcpdump printed it: one line, or two (outer + inner) for VXLAN, joined by "\n". */
  raw: string;
  /** Lines of `raw` (1 or 2). */
  lines: number;
  /** True when the frame carries another frame (VXLAN, Geneve); `inner` is that frame. */
  encapsulated: boolean;
  inner?: FrameHeader;
  /** VXLAN or Geneve network identifier. */
  vni?: number;
}

/** tcpdump's own summary when it ends ("N packets captured", …). */
export interface CaptureStats {
  captured: number;
  receivedByFilter?: number;
  droppedByKernel?: number;
  droppedByInterface?: number;
}

/** Counters kept by the batcher: everything seen, whether shown or skipped. */
export interface CaptureCounters {
  /** Frames parsed since the start. */
  frames: number;
  /** Bytes of those frames (tcpdump's `length`). */
  bytes: number;
  /** Frames not handed on because of the rate or queue limit, and their lines. */
  skipped: number;
  skippedLines: number;
  /** Over the last second. */
  framesPerSecond: number;
  bytesPerSecond: number;
}

export type CaptureEndReason =
  /** tcpdump stopped on its own after `count` frames. */
  | 'count'
  /** The `seconds` limit was reached. */
  | 'seconds'
  /** stop() was called. */
  | 'stopped'
  /** close() or the abort signal, before tcpdump had ended. */
  | 'cancelled'
  /** tcpdump failed (bad filter, no such device, no permission, not installed) or ended unexpectedly. */
  | 'error'
  /** The SSH connection dropped. */
  | 'connection-lost';

export interface CaptureEnd {
  reason: CaptureEndReason;
  /** tcpdump's summary, when it printed one. */
  stats?: CaptureStats;
  /** Frames parsed. */
  frames: number;
  /** For `error` and `connection-lost`: a sentence naming host and interface. */
  message?: string;
}

export type CaptureState =
  /** Connecting, starting tcpdump. */
  | 'starting'
  /** tcpdump said "listening on …". */
  | 'listening'
  /** tcpdump has ended; with a pcap, the host keeps it until close(). */
  | 'ended'
  /** Nothing of the capture remains on the host (or the connection is gone). */
  | 'closed';
