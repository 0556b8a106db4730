// A trace's result in the shape cli.md specifies for `trace --json` version 2: both legs (the
// request and the answer), every probe ping sends (the ARP first when the kernel resolves, then
// the ICMP echo), the place of loss with its leg, and a cause that names what was measured.

/** What ping sends: the ARP request (and its reply) when the kernel must resolve, then the echo. */
export type TraceProbe = 'arp' | 'icmp';

/** The request leg (source to destination) or the answer's leg (destination back to source). */
export type TraceDirection = 'request' | 'reply';

/** The closed list of cause kinds (cli.md). A new kind is added there first, never ad hoc. */
export const CAUSE_KINDS = [
  'mac-filter',
  'segment-filter',
  'link-down',
  'missing-port',
  'mtu',
  'vni-mismatch',
  'remote-ip-mismatch',
  'dstport-mismatch',
  'underlay-filtered',
  'underlay-unreachable',
  'openflow-drop',
  'vswitchd-down',
  'address-absent',
  'host-firewall',
  'no-answer',
  'no-route',
  'unknown',
] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** `proved`: a measurement shows it; `likely`: only by elimination; `unknown`: kind is `unknown`. */
export type CauseConfidence = 'proved' | 'likely' | 'unknown';

export interface TraceEndpoint {
  host: string;
  interface: string;
}

export interface TraceHopV2 extends TraceEndpoint {
  direction: TraceDirection;
  probe: TraceProbe;
  seen: boolean;
  encapsulated: boolean;
  count: number;
  /** Why this point could not be watched (host unreachable, tcpdump error); absent when it was. */
  error?: string;
}

export interface LostBetween {
  direction: TraceDirection;
  probe: TraceProbe;
  /** The last point that saw the frame. */
  from: TraceEndpoint;
  /** The first point that should have and did not. Both are the destination's interface when it got the request and sent no answer. */
  to: TraceEndpoint;
  /** The segment, bridge or tunnel between them, when there is one. */
  segment?: string;
}

export interface TraceCause {
  kind: CauseKind;
  confidence: CauseConfidence;
  /** What was measured, in plain sentences with the values seen. Never a list of usual causes. */
  evidence: string[];
}

export interface TraceResultV2 {
  version: 2;
  from: TraceEndpoint & { address?: string };
  to: string;
  /** True exactly when the source got the answer: when `ping -c 1` from there would have succeeded. */
  delivered: boolean;
  /** The probes followed, in the order ping sent them. */
  probes: TraceProbe[];
  /** The request's points in path order, then the answer's, for each probe followed. */
  hops: TraceHopV2[];
  /** null when delivered. */
  lostBetween: LostBetween | null;
  /** null when delivered. */
  cause: TraceCause | null;
  /** What to do about it. */
  hints: string[];
  elapsedMs: number;
}
