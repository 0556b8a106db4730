// Turns tcpdump's text (`-l -n -e -tt`) into frames (pure; no Node imports, so the webview can
// use it too). One line is one frame, except VXLAN: tcpdump ends the outer line with
// `VXLAN, flags [I] (0x08), vni N` and prints the inner frame on the next line, without a
// timestamp; FrameReader joins the two. Geneve's inner frame stays on the same line, after
// `proto TEB (0x6558): `. Anything the parser does not know becomes class `other`, raw text kept.

import type { CaptureFrame, FrameClass, FrameHeader } from './types';

const TIMESTAMP = /^(\d+\.\d+) (.*)$/;
const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';
// `SRC > DST, ethertype IPv4 (0x0800), length 98: …` or `SRC > DST, 802.3, length 60: …`
const LINK = new RegExp(`^(${MAC}) > (${MAC}), (?:ethertype (\\S+) \\((0x[0-9a-f]{4})\\)|([^,]+)), length (\\d+): (.*)$`);
// Inside an 802.1Q header: `vlan 10, p 0, ethertype IPv4 (0x0800), …`
const VLAN = /^vlan (\d+), p \d+(?:, DEI)?, (?:ethertype (\S+) \((0x[0-9a-f]{4})\), )?(.*)$/;
const IPV4 = '\\d{1,3}(?:\\.\\d{1,3}){3}';
const IPV4_PAYLOAD = new RegExp(`^(${IPV4})(?:\\.\\d+)? > (${IPV4})(?:\\.\\d+)?: (.*)$`);
const IPV6_PAYLOAD = /^([0-9a-fA-F:.]+) > ([0-9a-fA-F:.]+): (.*)$/;
const VXLAN_END = /VXLAN, flags \[[^\]]*\] \(0x[0-9a-f]+\), vni (\d+)$/;
const GENEVE = /^Geneve, Flags \[[^\]]*\], vni 0x([0-9a-f]+), proto TEB \(0x6558\)(?:, options \[[^\]]*\])?: (.*)$/;
const ARP_REQUEST = new RegExp(`^Request who-has (${IPV4}) (?:\\(${MAC}\\) )?tell (${IPV4})`);
const ARP_REPLY = new RegExp(`^Reply (${IPV4}) is-at (${MAC})`);
const ICMP = /^(?:HBH )?(ICMP6?)[, ] ?(.*)$/;
const ECHO = /, id (\d+), seq (\d+)/;

/** An IPv6 address as tcpdump prints it, without the `.port` it appends for TCP and UDP. */
function stripIpv6Port(token: string): string {
  // A plain IPv6 address has no dot; one with an embedded IPv4 address has three.
  const dots = token.split('.').length - 1;
  return dots === 1 || dots === 4 ? token.slice(0, token.lastIndexOf('.')) : token;
}

function icmpDetails(text: string): FrameHeader['icmp'] {
  // `echo request, id 6713, seq 1, length 64`; `neighbor solicitation, who has …, length 32`;
  // `10.213.100.1 udp port 4789 unreachable, length 142`
  const comma = text.indexOf(', ');
  const message = comma < 0 ? text : text.slice(0, comma);
  if (!message.startsWith('echo ')) return { message };
  const echo = ECHO.exec(text);
  return echo ? { message, id: Number(echo[1]), seq: Number(echo[2]) } : { message };
}

interface Payload {
  class: FrameClass;
  src?: string;
  dst?: string;
  arp?: FrameHeader['arp'];
  icmp?: FrameHeader['icmp'];
  /** VXLAN: the inner frame is on the next line. */
  vxlanVni?: number;
  geneve?: { vni: number; inner: string };
}

function ipv4Payload(text: string): Payload {
  const m = IPV4_PAYLOAD.exec(text);
  if (!m) return { class: 'ip' };
  const [, src, dst, rest] = m;
  const icmp = ICMP.exec(rest);
  if (icmp && icmp[1] === 'ICMP') return { class: 'icmp', src, dst, icmp: icmpDetails(icmp[2]) };
  const vxlan = VXLAN_END.exec(rest);
  if (vxlan && rest.startsWith('VXLAN, ')) return { class: 'vxlan', src, dst, vxlanVni: Number(vxlan[1]) };
  const geneve = GENEVE.exec(rest);
  if (geneve) return { class: 'geneve', src, dst, geneve: { vni: parseInt(geneve[1], 16), inner: geneve[2] } };
  return { class: 'ip', src, dst };
}

function ipv6Payload(text: string): Payload {
  const m = IPV6_PAYLOAD.exec(text);
  if (!m) return { class: 'ipv6' };
  const [, src, dst, rest] = m;
  const icmp = ICMP.exec(rest);
  if (icmp && icmp[1] === 'ICMP6') return { class: 'icmp6', src: stripIpv6Port(src), dst: stripIpv6Port(dst), icmp: icmpDetails(icmp[2]) };
  return { class: 'ipv6', src: stripIpv6Port(src), dst: stripIpv6Port(dst) };
}

function arpPayload(text: string): Payload {
  const request = ARP_REQUEST.exec(text);
  if (request) return { class: 'arp', arp: 'request', src: request[2], dst: request[1] };
  const reply = ARP_REPLY.exec(text);
  if (reply) return { class: 'arp', arp: 'reply', src: reply[1] };
  return { class: 'arp' };
}

function payloadOf(ethertype: string | undefined, text: string): Payload {
  switch (ethertype) {
    case 'IPv4':
      return ipv4Payload(text);
    case 'IPv6':
      return ipv6Payload(text);
    case 'ARP':
      return arpPayload(text);
    default:
      return { class: 'other' };
  }
}

interface ParsedHeader {
  header: FrameHeader;
  vxlanVni?: number;
  geneve?: { vni: number; inner: FrameHeader };
}

/** One link-layer header and its payload: `SRC > DST, ethertype …, length N: …`. */
function parseHeader(text: string): ParsedHeader {
  const link = LINK.exec(text);
  if (!link) return { header: { class: 'other', summary: text } };
  const [, srcMac, dstMac, name, , other, length, rest] = link;
  let ethertype = name ?? other;
  let summary = rest;
  const vlans: number[] = [];
  for (let vlan = ethertype === '802.1Q' || ethertype === '802.1Q-QinQ' ? VLAN.exec(summary) : null; vlan; vlan = VLAN.exec(summary)) {
    vlans.push(Number(vlan[1]));
    ethertype = vlan[2] ?? 'unknown';
    summary = vlan[4];
    if (ethertype !== '802.1Q' && ethertype !== '802.1Q-QinQ') break;
  }
  const payload = payloadOf(ethertype, summary);
  const header: FrameHeader = { srcMac, dstMac, ethertype, class: payload.class, length: Number(length), summary };
  if (vlans.length) header.vlans = vlans;
  if (payload.src !== undefined) header.src = payload.src;
  if (payload.dst !== undefined) header.dst = payload.dst;
  if (payload.arp) header.arp = payload.arp;
  if (payload.icmp) header.icmp = payload.icmp;
  const parsed: ParsedHeader = { header };
  if (payload.vxlanVni !== undefined) parsed.vxlanVni = payload.vxlanVni;
  if (payload.geneve) parsed.geneve = { vni: payload.geneve.vni, inner: parseHeader(payload.geneve.inner).header };
  return parsed;
}

/** The frame one timestamped line makes; for a VXLAN outer line, without its inner frame yet. */
function frameOfLine(time: number, line: string, text: string): { frame: CaptureFrame; awaitsInner: boolean } {
  const parsed = parseHeader(text);
  // The header becomes the frame (no copy: this runs for every line of a flood).
  const frame = parsed.header as CaptureFrame;
  frame.time = time;
  frame.raw = line;
  frame.lines = 1;
  frame.encapsulated = false;
  if (parsed.geneve) {
    frame.encapsulated = true;
    frame.vni = parsed.geneve.vni;
    frame.inner = parsed.geneve.inner;
  }
  if (parsed.vxlanVni !== undefined) {
    frame.encapsulated = true;
    frame.vni = parsed.vxlanVni;
    return { frame, awaitsInner: true };
  }
  return { frame, awaitsInner: false };
}

/** Parses one complete frame's text (one line, or VXLAN's two joined by "\n"). */
export function parseFrame(raw: string, previousTime = 0): CaptureFrame {
  const [first, ...rest] = raw.split('\n');
  const stamped = TIMESTAMP.exec(first);
  if (!stamped) return orphan(raw, previousTime);
  const { frame } = frameOfLine(Number(stamped[1]), first, stamped[2]);
  if (rest.length) attachInner(frame, rest.join('\n'));
  return frame;
}

function attachInner(frame: CaptureFrame, line: string): void {
  frame.raw = `${frame.raw}\n${line}`;
  frame.lines += line.split('\n').length;
  frame.inner = parseHeader(line).header;
}

/** A line that belongs to no frame we know: kept as its own frame so that nothing is lost. */
function orphan(line: string, time: number): CaptureFrame {
  return { class: 'other', summary: line, time, raw: line, lines: 1, encapsulated: false };
}

/**
 * Reads tcpdump's stdout line by line and hands on whole frames: a VXLAN outer line waits for
 * the inner line that follows it. Call end() when the stream ends.
 */
export class FrameReader {
  private held: CaptureFrame | undefined;
  private lastTime = 0;

  constructor(private readonly onFrame: (frame: CaptureFrame) => void) {}

  push(line: string): void {
    const stamped = TIMESTAMP.exec(line);
    if (!stamped) {
      if (this.held) {
        const frame = this.held;
        this.held = undefined;
        attachInner(frame, line);
        this.onFrame(frame);
      } else if (line !== '') {
        this.onFrame(orphan(line, this.lastTime));
      }
      return;
    }
    this.release();
    const time = Number(stamped[1]);
    this.lastTime = time;
    const { frame, awaitsInner } = frameOfLine(time, line, stamped[2]);
    if (awaitsInner) this.held = frame;
    else this.onFrame(frame);
  }

  /** Hands on a VXLAN outer line whose inner line never came. */
  end(): void {
    this.release();
  }

  private release(): void {
    const held = this.held;
    this.held = undefined;
    if (held) this.onFrame(held);
  }
}

/** Parses a whole text (a recorded fixture, say) into frames. */
export function parseFrames(text: string): CaptureFrame[] {
  const frames: CaptureFrame[] = [];
  const reader = new FrameReader((frame) => frames.push(frame));
  for (const line of text.split('\n')) reader.push(line.endsWith('\r') ? line.slice(0, -1) : line);
  reader.end();
  return frames;
}
