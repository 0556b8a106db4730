// Control probes the trace sends itself, to tell causes apart by measurement:
// - a frame from a port's OWN MAC onto a segment the lab does not manage: if it crosses where
//   the probe (with a foreign source MAC) did not, the segment filters source MACs;
// - a frame of another kind from the same port and MAC: if it crosses, the segment filters by
//   kind;
// - one UDP datagram to a tunnel's port on the far underlay address: if pings cross and it does
//   not, the underlay filters the tunnel's traffic.
// Frames are built here byte by byte from checked values and written to a raw socket by a
// one-line python3 (or perl) program; nothing from the lab reaches the program's text. A DAD-style
// ARP request (sender 0.0.0.0) updates nobody's neighbour table.

import { INTERFACE_NAME_PATTERN } from '../../lab/names';
import { parseIp } from '../../lab/addresses';
import type { CaptureFrame } from '../../capture/types';
import type { ProbeTransport } from '../../hosts/probe';
import { carried } from '../follow';

/** The ICMP id of control echoes: never the id of the ping being traced (ping uses its pid's low bits, but the capture follows one id). */
export const CONTROL_ICMP_ID = 0x0dc7;
/** Bytes of the control UDP datagram's payload: its frame is 14 + 20 + 8 + this long on the wire. */
export const CONTROL_UDP_PAYLOAD = 41;

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const mac = (text: string) => {
  if (!MAC.test(text)) throw new Error(`not a MAC address: ${text}`);
  return text.toLowerCase().replace(/:/g, '');
};
const ipv4 = (text: string) => {
  if (parseIp(text)?.family !== 4) throw new Error(`not an IPv4 address: ${text}`);
  return text.split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join('');
};
const hex16 = (n: number) => (n & 0xffff).toString(16).padStart(4, '0');

function checksum(hex: string): number {
  let sum = 0;
  for (let i = 0; i < hex.length; i += 4) sum += parseInt(hex.slice(i, i + 4).padEnd(4, '0'), 16);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

export type ControlKind = 'arp' | 'icmp';

export interface ControlFrame {
  kind: ControlKind;
  srcMac: string;
  /** For ICMP: the next hop's MAC, as the probe had it; ARP goes to broadcast. */
  dstMac?: string;
  /** ARP: the address asked for. ICMP: the addresses of the echo. */
  target: string;
  from?: string;
}

/** The frame's bytes as hex. */
export function controlFrameHex(frame: ControlFrame): string {
  const src = mac(frame.srcMac);
  if (frame.kind === 'arp') {
    return `ffffffffffff${src}0806` + `0001080006040001${src}00000000000000000000${ipv4(frame.target)}` + '00'.repeat(18);
  }
  if (!frame.dstMac || !frame.from) throw new Error('an ICMP control frame needs its next hop MAC and source address');
  const payload = Buffer.from('overlay-lab control probe').toString('hex');
  const icmpNoSum = `0800${'0000'}${hex16(CONTROL_ICMP_ID)}0001${payload}`;
  const icmp = `0800${hex16(checksum(icmpNoSum))}${hex16(CONTROL_ICMP_ID)}0001${payload}`;
  const length = 20 + icmp.length / 2;
  const ipNoSum = `4500${hex16(length)}${hex16(CONTROL_ICMP_ID)}40004001${'0000'}${ipv4(frame.from)}${ipv4(frame.target)}`;
  const ip = `4500${hex16(length)}${hex16(CONTROL_ICMP_ID)}40004001${hex16(checksum(ipNoSum))}${ipv4(frame.from)}${ipv4(frame.target)}`;
  return `${mac(frame.dstMac)}${src}0800${ip}${icmp}`;
}

// argv: INTERFACE HEX. python3 first (most hosts), perl (Debian's perl-base) when it is absent.
const SEND_FRAME = `if command -v python3 >/dev/null 2>&1; then
  exec python3 -c 'import socket,sys
s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)
s.bind((sys.argv[1],0))
s.send(bytes.fromhex(sys.argv[2]))' "$1" "$2"
elif command -v perl >/dev/null 2>&1; then
  exec perl -e 'use Socket; my ($i,$h)=@ARGV; open(my $f,"<","/sys/class/net/$i/ifindex") or die "no interface $i\\n"; my $x=<$f>; socket(my $s,17,3,0) or die "socket: $!\\n"; my $d=pack("H*",$h); send($s,$d,0,pack("SniSCCa8",17,unpack("n",substr($d,12,2)),$x,1,0,6,substr($d,0,6))) or die "send: $!\\n"' "$1" "$2"
else echo "neither python3 nor perl is installed to send a control frame" >&2; exit 127; fi`;

export function sendFrameArgv(iface: string, hex: string): string[] {
  if (!INTERFACE_NAME_PATTERN.test(iface)) throw new Error(`not an interface name: ${iface}`);
  if (!/^[0-9a-f]+$/.test(hex)) throw new Error('a frame is hex');
  return ['sh', '-c', SEND_FRAME, 'sh', iface, hex];
}

// argv: ADDRESS PORT LENGTH [SOURCE].
const SEND_UDP = `if command -v python3 >/dev/null 2>&1; then
  exec python3 -c 'import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
len(sys.argv)>4 and s.bind((sys.argv[4],0))
s.sendto(b"o"*int(sys.argv[3]),(sys.argv[1],int(sys.argv[2])))' "$@"
elif command -v perl >/dev/null 2>&1; then
  exec perl -e 'use Socket; my ($a,$p,$n,$l)=@ARGV; socket(my $s,PF_INET,SOCK_DGRAM,0) or die "socket: $!\\n"; bind($s,pack_sockaddr_in(0,inet_aton($l))) if $l; send($s,"o" x $n,0,pack_sockaddr_in($p,inet_aton($a))) or die "send: $!\\n"' "$@"
else echo "neither python3 nor perl is installed to send a UDP probe" >&2; exit 127; fi`;

export function sendUdpArgv(address: string, port: number, source?: string): string[] {
  ipv4(address);
  if (source) ipv4(source);
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error(`not a UDP port: ${port}`);
  return ['sh', '-c', SEND_UDP, 'sh', address, String(port), String(CONTROL_UDP_PAYLOAD), ...(source ? [source] : [])];
}

/** Runs a control sender; undefined when it went out, else what went wrong. */
export async function sendControl(pool: ProbeTransport, host: { name: string; sudo: boolean }, argv: string[], signal?: AbortSignal): Promise<string | undefined> {
  try {
    const result = await pool.exec(host.name, argv, { sudo: host.sudo, signal, timeoutSeconds: 4 });
    if (result.cancelled) return result.cancelled === 'timeout' ? 'it did not finish in time' : 'cancelled';
    return result.code === 0 ? undefined : (result.stderr.trim() || `exit status ${result.code}`).split('\n').pop();
  } catch (error) {
    return (error as Error).message;
  }
}

/** Whether a capture saw the control frame: from that MAC, that kind. */
export function sawControlFrame(frames: readonly CaptureFrame[], frame: ControlFrame): boolean {
  return frames.some((f) => {
    const h = carried(f);
    if (h.srcMac?.toLowerCase() !== frame.srcMac.toLowerCase()) return false;
    return frame.kind === 'arp' ? h.arp === 'request' && h.dst === frame.target && h.src === '0.0.0.0' : h.icmp?.message === 'echo request' && h.icmp.id === CONTROL_ICMP_ID;
  });
}

/** Whether a capture on the far underlay saw the control datagram (by its addresses and length). */
export function sawControlDatagram(frames: readonly CaptureFrame[], from: string | undefined, to: string): boolean {
  return frames.some((f) => f.dst === to && (from === undefined || f.src === from) && f.length === 14 + 20 + 8 + CONTROL_UDP_PAYLOAD);
}
