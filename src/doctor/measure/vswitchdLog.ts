// ovs-vswitchd's log, read for what it says about tunnels and devices. The lines arrive already
// cut to the warnings and errors of the log's tail (see hostFactsScript.ts); this groups the ones
// the doctor knows, by kind and by what tells them apart (a device, a tunnel's source and key),
// with counts and the first and last time. OVS rate-limits most of these messages, so a count
// is a lower bound.
//
//   2026-11-25T18:50:26.575Z|00054|tunnel|WARN|receive tunnel port not found (icmp,tun_id=0,tun_src=10.213.100.1,…)

import type { VswitchdLog, VswitchdLogEvent } from '../types';

interface Pattern {
  kind: string;
  re: RegExp;
  detail(match: RegExpExecArray): Record<string, string>;
}

function flowField(flow: string, name: string): string | undefined {
  return new RegExp(`(?:^|,)${name}=([^,)]+)`).exec(flow)?.[1];
}

/** A tunnel key as OVS prints it (`0`, `0x63`) in decimal. */
function keyText(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? String(n) : raw;
}

const PATTERNS: Pattern[] = [
  {
    kind: 'tunnel-port-not-found',
    re: /receive tunnel port not found \((.*)/,
    detail: (m) => {
      const flow = m[1];
      const v4 = flowField(flow, 'tun_src');
      const source = v4 && v4 !== '0.0.0.0' ? v4 : flowField(flow, 'tun_ipv6_src');
      const destination = v4 && v4 !== '0.0.0.0' ? flowField(flow, 'tun_dst') : flowField(flow, 'tun_ipv6_dst');
      const detail: Record<string, string> = {};
      if (source) detail.source = source;
      if (destination) detail.destination = destination;
      const key = keyText(flowField(flow, 'tun_id'));
      if (key !== undefined) detail.key = key;
      const port = flowField(flow, 'tp_dst');
      if (port !== undefined && /^\d+$/.test(port)) detail.udpPort = port;
      return detail;
    },
  },
  { kind: 'device-open-failed', re: /could not open network device (\S+) \(([^)]*)\)/, detail: (m) => ({ device: m[1], reason: m[2] }) },
  { kind: 'message-too-long', re: /error sending Ethernet packet on (\S+): Message too long/, detail: (m) => ({ device: m[1] }) },
  { kind: 'send-failed', re: /error sending Ethernet packet on (\S+): (.*)$/, detail: (m) => ({ device: m[1], reason: m[2] }) },
  { kind: 'tunnel-routing-failed', re: /native tunnel routing failed|tunnel\b.*\bno route\b/i, detail: () => ({}) },
  { kind: 'duplicate-tunnel', re: /(\S+): attempting to add tunnel port with same config as port '([^']+)'/, detail: (m) => ({ bridge: m[1], existing: m[2] }) },
  { kind: 'datapath-unavailable', re: /could not create datapath (\S+) of unknown type (\S+)/, detail: (m) => ({ bridge: m[1], type: m[2] }) },
  { kind: 'bridge-create-failed', re: /failed to create bridge (\S+): (.*)$/, detail: (m) => ({ bridge: m[1], reason: m[2] }) },
  { kind: 'mtu-set-failed', re: /failed to set MTU for network device (\S+): (.*)$/, detail: (m) => ({ device: m[1], reason: m[2] }) },
];

const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\|\d+\|([^|]+)\|([A-Z]+)\|(.*)$/;

/** Groups the known messages of `lines` (oldest first). */
export function parseVswitchdLog(text: string, file: string, linesRead: number): VswitchdLog {
  const events = new Map<string, VswitchdLogEvent>();
  for (const line of text.split('\n')) {
    const parsed = LINE.exec(line);
    if (!parsed) continue;
    const [, time, , , message] = parsed;
    for (const pattern of PATTERNS) {
      const match = pattern.re.exec(message);
      if (!match) continue;
      const detail = pattern.detail(match);
      const key = `${pattern.kind}|${Object.entries(detail)
        .filter(([k]) => k !== 'reason')
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`;
      const event = events.get(key);
      if (event) {
        event.count += 1;
        event.last = time;
        event.sample = message;
        event.detail = detail;
      } else {
        events.set(key, { kind: pattern.kind, detail, count: 1, first: time, last: time, sample: message });
      }
      break;
    }
  }
  return { file, linesRead, events: [...events.values()] };
}
