// The reading of a trace: which capture points saw the probe, the last that did and the first
// that did not, what lies between them, and what usually drops a frame at that kind of place,
// told with what the capture saw (for example the source MAC a provider network refused).

import type { CapturePoint, ExpectedPath, PathLink } from './expectedPath';
import type { ProbeKind } from './probeMatch';
import type { TraceHop, TraceResult } from './traceResult';

export interface PointObservation {
  point: CapturePoint;
  /** How many probe frames the point saw. */
  count: number;
  /** Source MACs of the probe frames seen there. */
  sourceMacs: string[];
  /** Why the point could not be watched (host unreachable, tcpdump error). */
  error?: string;
}

export interface VerdictContext {
  /** An interface's own MAC, from the live state. */
  macOf: (host: string, iface: string) => string | undefined;
  /** Which host interface a MAC belongs to, to name a foreign source MAC. */
  ownerOfMac: (mac: string) => string | undefined;
  /** A segment's note from the lab file ("provider private network (DFW)"). */
  segmentNote: (name: string) => string | undefined;
  /** The tunnel's details for messages (remote, vni, dstport). */
  tunnelDetail?: (host: string, port: string) => { remote?: string; vni?: number; dstport?: number; error?: string } | undefined;
  /** The source could not send the probe at all (ping's own error). */
  sendError?: string;
  /** The ICMP payload size of the probe (ping -s). */
  probeSize?: number;
  /** What is wrong with a host as its state shows it ("ovs-vswitchd is not running on ovs-b"). */
  hostProblem?: (host: string) => string | undefined;
}

const at = (point: CapturePoint) => `${point.host}:${point.interface}`;

function hintFor(link: PathLink, last: PointObservation, next: CapturePoint, context: VerdictContext): string[] {
  const from = last.point;
  switch (link.kind) {
    case 'segment': {
      if (from.encapsulated && next.encapsulated) {
        const tunnel = from.tunnel;
        return [
          `The encapsulated frames left ${at(from)} but never reached ${at(next)} across ${link.name}. The usual causes: a firewall or security group dropping UDP ${tunnel?.dstport ?? 4789} between the underlay addresses, a tunnel remote_ip that is not ${next.host}'s underlay address, or no route between the two underlay addresses. Both ends must use the same UDP port (${tunnel?.dstport ?? 4789}; a Linux vxlan device made without dstport uses 8472).`,
        ];
      }
      const own = context.macOf(from.host, from.interface);
      const foreign = last.sourceMacs.filter((mac) => own && mac.toLowerCase() !== own.toLowerCase());
      const note = context.segmentNote(link.name);
      const where = `${link.name}${note ? ` (${note})` : ''}`;
      if (foreign.length) {
        const mac = foreign[0];
        const owner = context.ownerOfMac(mac);
        return [
          `The frames left ${at(from)} onto ${where} with source MAC ${mac}${owner ? ` (${owner})` : ''}, which is not ${at(from)}'s own MAC ${own}, and ${at(next)} never received them. A provider network the lab does not manage drops frames whose source MAC is not the port's own: anti-spoofing or port security.`,
          `Fixes: allow ${mac} on ${from.host}'s port in the provider network (allowed-address-pairs), disable port security on that port, route between the sites instead of bridging them, or rewrite the source MAC to ${own} at ${from.host}.`,
        ];
      }
      return [
        `${where} did not carry the frame from ${at(from)} to ${at(next)}. Check that both ports are on the same provider network (and VLAN), that ${at(next)} is up, and that no firewall or port filter in between drops it.`,
      ];
    }
    case 'encapsulation': {
      const detail = context.tunnelDetail?.(link.host ?? from.host, link.name);
      return [
        `${from.host} received the frame on ${from.interface} but sent nothing encapsulated out of ${next.interface}. Check that tunnel port ${link.name} sits on the same bridge as ${from.interface}${detail?.remote ? ` and that its remote_ip ${detail.remote} is right` : ''}, that ovs-vswitchd runs, and that ${from.host} has a route to the remote underlay address (userspace OVS: ovs-appctl ovs/route/show).${detail?.error ? ` OVS reports for ${link.name}: ${detail.error}.` : ''}`,
      ];
    }
    case 'decapsulation': {
      const detail = context.tunnelDetail?.(link.host ?? next.host, link.name);
      return [
        `${next.host} received the encapsulated frames on ${from.interface} but did not forward them out of ${next.interface}. The usual causes: the VNI (key) differs between the two ends${detail?.vni !== undefined ? ` (${next.host}'s ${link.name} expects ${detail.vni})` : ''}, its tunnel port's remote_ip is not the sender's underlay address, so OVS logs "receive tunnel port not found", or ${next.interface} is not on the bridge with ${link.name}.`,
      ];
    }
    case 'bridge':
      return [`Bridge ${link.name} on ${from.host} did not forward the frame from ${from.interface} to ${next.interface}: a port is down, VLAN tags differ, or OpenFlow rules drop it (ovs-ofctl dump-flows ${link.name}).`];
    default:
      return [`The frame was lost between ${at(from)} and ${at(next)}.`];
  }
}

export function readVerdict(path: ExpectedPath, probe: ProbeKind, observations: PointObservation[], context: VerdictContext): TraceResult {
  const hops: TraceHop[] = observations.map((o) => ({ host: o.point.host, interface: o.point.interface, seen: o.count > 0, encapsulated: o.point.encapsulated, count: o.count }));
  let lastSeen = -1;
  hops.forEach((hop, index) => {
    if (hop.seen) lastSeen = index;
  });
  // Keys in the order cli.md shows them.
  const make = (delivered: boolean, lostBetween: TraceResult['lostBetween'], hints: string[]): TraceResult => ({ from: path.from, to: path.to, probe, delivered, hops, lostBetween, hints });
  const delivered = hops.length > 0 && lastSeen === hops.length - 1 && path.toHost !== undefined;
  if (delivered) return make(true, null, []);

  const hints: string[] = [];
  for (const o of observations) if (o.error) hints.push(`${at(o.point)} could not be watched: ${o.error}`);
  if (lastSeen < 0) {
    hints.push(
      context.sendError
        ? `The probe never left ${path.from.host}: ${context.sendError}`
        : `No capture point saw the probe, not even ${at(observations[0]?.point ?? { host: path.from.host, interface: path.from.interface, encapsulated: false })}: check that the interface is up and holds an address in the destination's subnet, and that ${path.from.host} has a route to ${path.to}.`,
    );
    const next = observations[1]?.point;
    return make(false, next ? { from: { host: path.from.host, interface: path.from.interface }, to: { host: next.host, interface: next.interface }, segment: path.links[0]?.name ?? '' } : null, hints);
  }
  const last = observations[lastSeen];
  const next = observations[lastSeen + 1]?.point;
  if (!next) {
    hints.push(...path.problems);
    return make(false, null, hints);
  }
  const link = path.links[lastSeen];
  const problem = context.hostProblem?.(link.host ?? next.host);
  if (problem && link.kind !== 'segment') hints.push(problem);
  hints.push(...hintFor(link, last, next, context));
  const size = context.probeSize ?? 56;
  if (probe === 'icmp' && size > 1000 && (link.kind === 'encapsulation' || (link.kind === 'segment' && last.point.encapsulated))) {
    const overhead = last.point.tunnel?.type === 'gre' ? 38 : 50;
    hints.push(`This probe was large: ${size + 28} bytes of IP, ${size + 28 + 14 + overhead} once encapsulated. If a small probe gets through (trace again without --size), the underlay's MTU is too small for the overlay: lower the overlay MTU by ${overhead} bytes or raise the underlay MTU (overlay-lab doctor measures the path MTU).`);
  }
  if (probe === 'arp') hints.push(`Only the ARP request was followed: ${path.from.host} had no neighbour entry for ${path.to}, so no ICMP was sent until the ARP is answered.`);
  return make(false, { from: { host: last.point.host, interface: last.point.interface }, to: { host: next.host, interface: next.interface }, segment: link.name }, hints);
}
