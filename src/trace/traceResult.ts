// A trace's result in the shape cli.md specifies for `trace --json`.

export interface TraceHop {
  host: string;
  interface: string;
  seen: boolean;
  encapsulated: boolean;
  count: number;
}

export interface TraceResult {
  from: { host: string; interface: string; address?: string };
  to: string;
  probe: 'arp' | 'icmp';
  delivered: boolean;
  hops: TraceHop[];
  lostBetween: { from: { host: string; interface: string }; to: { host: string; interface: string }; segment: string } | null;
  hints: string[];
}
