// Version 2 trace results on the demo lab (examples/demo.lab.yaml), in the shape cli.md gives for
// `trace --json`: test-a:eth2 (10.213.50.11) to test-b (10.213.50.12), across ovs-a, the VXLAN
// tunnel on the underlay (eth0) and ovs-b. The evidence is worded as the trace core words what it
// measured; the renderers must carry it as it is.

import type { TraceDirection, TraceHopV2, TraceProbe, TraceResultV2 } from '../../../src/trace/traceResultV2';

const REQUEST_PATH: [string, string, boolean][] = [
  ['test-a', 'eth2', false],
  ['ovs-a', 'eth2', false],
  ['ovs-a', 'eth0', true],
  ['ovs-b', 'eth0', true],
  ['ovs-b', 'eth2', false],
  ['test-b', 'eth2', false],
];

/** One leg of one probe: `seen` tells, point by point in path order, who saw it (a number is the frame count). */
export function leg(direction: TraceDirection, probe: TraceProbe, seen: (boolean | number)[]): TraceHopV2[] {
  const path = direction === 'request' ? REQUEST_PATH : [...REQUEST_PATH].reverse();
  return path.map(([host, iface, encapsulated], index) => {
    const count = typeof seen[index] === 'number' ? (seen[index] as number) : seen[index] ? 1 : 0;
    return { direction, probe, host, interface: iface, seen: count > 0, encapsulated, count };
  });
}

const all = [true, true, true, true, true, true];
const FROM = { host: 'test-a', interface: 'eth2', address: '10.213.50.11' };

/** The answer dropped on its way back: test-a's own firewall drops the echo reply that reached its eth2. */
export const replyLostAtSourceFirewall: TraceResultV2 = {
  version: 2,
  from: FROM,
  to: '10.213.50.12',
  delivered: false,
  probes: ['arp', 'icmp'],
  hops: [...leg('request', 'arp', all), ...leg('reply', 'arp', all), ...leg('request', 'icmp', all), ...leg('reply', 'icmp', all)],
  lostBetween: { direction: 'reply', probe: 'icmp', from: { host: 'test-a', interface: 'eth2' }, to: { host: 'test-a', interface: 'eth2' } },
  cause: {
    kind: 'host-firewall',
    confidence: 'proved',
    evidence: [
      'test-a:eth2 received the echo reply from 10.213.50.12 (1 frame), and ping on test-a got no answer',
      'nftables on test-a: table inet ole2e_replydrop chain input, rule "icmp type echo-reply counter drop": its counter went from 0 to 1 packets during the trace',
    ],
  },
  hints: ['remove or narrow the rule in table inet ole2e_replydrop chain input on test-a (nft -a list chain inet ole2e_replydrop input)'],
  elapsedMs: 1830,
};

/** The ARP request dropped by the provider network of site B, which refuses foreign source MACs. Only the request is listed, as cli.md shows it. */
export const arpLostToMacFilter: TraceResultV2 = {
  version: 2,
  from: FROM,
  to: '10.213.50.12',
  delivered: false,
  probes: ['arp'],
  hops: leg('request', 'arp', [3, 3, 3, 3, 3, false]),
  lostBetween: { direction: 'request', probe: 'arp', from: { host: 'ovs-b', interface: 'eth2' }, to: { host: 'test-b', interface: 'eth2' }, segment: 'cn-b' },
  cause: {
    kind: 'mac-filter',
    confidence: 'proved',
    evidence: [
      "the frames left ovs-b:eth2 with source MAC e6:41:7f:94:33:00 (test-a:eth2), not ovs-b:eth2's own 52:7c:0f:80:29:e3",
      "control: an ARP request from ovs-b:eth2's own MAC reached test-b:eth2",
    ],
  },
  hints: ["allow e6:41:7f:94:33:00 on ovs-b's port (allowed address pairs), or disable port security on it"],
  elapsedMs: 2210,
};

/** The healthy lab, the neighbour known already: one echo there and back. */
export const delivered: TraceResultV2 = {
  version: 2,
  from: FROM,
  to: '10.213.50.12',
  delivered: true,
  probes: ['icmp'],
  hops: [...leg('request', 'icmp', all), ...leg('reply', 'icmp', all)],
  lostBetween: null,
  cause: null,
  hints: [],
  elapsedMs: 412,
};

/** Lost on the request leg inside the tunnel, nothing found to explain it, and one point that could not be watched. */
export const lostUnknownWithUnwatchedPoint: TraceResultV2 = {
  version: 2,
  from: FROM,
  to: '10.213.50.12',
  delivered: false,
  probes: ['icmp'],
  hops: leg('request', 'icmp', [true, true, true, false, false, false]).map((hop) => (hop.host === 'ovs-b' && hop.interface === 'eth2' ? { ...hop, error: 'tcpdump: eth2: That device is not up | exit 1' } : hop)),
  lostBetween: { direction: 'request', probe: 'icmp', from: { host: 'ovs-a', interface: 'eth0' }, to: { host: 'ovs-b', interface: 'eth0' }, segment: 'wan' },
  cause: { kind: 'unknown', confidence: 'unknown', evidence: ['ovs-a and ovs-b reach each other on the underlay (ping 10.213.100.2: 0 % loss)', 'both tunnel ends agree: remote_ip, VNI 0, UDP port 4789'] },
  hints: [],
  elapsedMs: 2950,
};
