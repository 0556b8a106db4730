// The path a frame from a source interface to a destination address should take through the
// lab, worked out from the lab model alone: interfaces joined by the segments the lab does not
// manage, bridges and their ports, and tunnels with the underlay they ride. The capture points
// are each end, both sides of every segment, and the underlay at both ends of every tunnel
// (where the frame travels encapsulated).

import { hostOwningAddress, interfaceOwner } from '../lab/resolve';
import { findTunnel } from '../lab/tunnelPairing';
import { ipKey, parseCidr, parseIp } from '../lab/addresses';
import type { Lab, LabHost, ResolvedTunnel } from '../lab/types';

export interface CapturePoint {
  host: string;
  interface: string;
  /** The frame crosses this point inside a tunnel (VXLAN, Geneve, GRE). */
  encapsulated: boolean;
  /** For encapsulated points: the tunnel's kind and UDP port, so the capture can decode it. */
  tunnel?: { type: ResolvedTunnel['type']; dstport: number; vni: number };
}

/** What lies between two consecutive capture points. */
export interface PathLink {
  kind: 'segment' | 'bridge' | 'encapsulation' | 'decapsulation' | 'link';
  /** The segment, the bridge, or the tunnel port. */
  name: string;
  host?: string;
  /** The segment is a provider network the lab does not manage (not the underlay). */
  managedByLab?: boolean;
}

export interface ExpectedPath {
  from: { host: string; interface: string; address?: string };
  to: string;
  /** The host and interface (or bridge) holding the destination address, when it is in the lab. */
  toHost?: string;
  toInterface?: string;
  points: CapturePoint[];
  /** links[i] lies between points[i] and points[i + 1]. */
  links: PathLink[];
  /** Why no full path could be worked out, in plain sentences. */
  problems: string[];
}

type NodeId = string; // `host:device`

interface Edge {
  to: NodeId;
  kind: 'segment' | 'bridge' | 'tunnel';
  name: string;
  tunnel?: { local: ResolvedTunnel; remote: ResolvedTunnel };
}

const node = (host: string, device: string): NodeId => `${host}:${device}`;
const split = (id: NodeId): [string, string] => {
  const at = id.indexOf(':');
  return [id.slice(0, at), id.slice(at + 1)];
};

function buildGraph(lab: Lab): Map<NodeId, Edge[]> {
  const edges = new Map<NodeId, Edge[]>();
  const add = (a: NodeId, b: NodeId, kind: Edge['kind'], name: string, tunnel?: Edge['tunnel']) => {
    edges.set(a, [...(edges.get(a) ?? []), { to: b, kind, name, tunnel }]);
  };
  for (const segment of lab.segments) {
    const members = segment.members.map((m) => node(m.host, m.interface));
    for (const a of members) for (const b of members) if (a !== b) add(a, b, 'segment', segment.name);
  }
  for (const host of lab.hosts) {
    for (const bridge of host.bridges) {
      for (const port of bridge.ports) {
        if (port.type !== 'system' && port.type !== 'internal') continue;
        add(node(host.name, port.name), node(host.name, bridge.name), 'bridge', bridge.name);
        add(node(host.name, bridge.name), node(host.name, port.name), 'bridge', bridge.name);
      }
    }
  }
  for (const tunnel of lab.tunnels) {
    const back = tunnel.peer && findTunnel(lab, tunnel.peer);
    if (!back) continue;
    add(node(tunnel.host, tunnel.bridge), node(back.host, back.bridge), 'tunnel', tunnel.port, { local: tunnel, remote: back });
  }
  return edges;
}

/** The device of a host holding an address (interface or bridge), ignoring prefix lengths. */
function holderOf(host: LabHost, address: string): string | undefined {
  const wanted = parseIp(address);
  if (!wanted) return undefined;
  const key = ipKey(wanted);
  const holds = (cidrs: string[]) => cidrs.some((cidr) => {
    const parsed = parseCidr(cidr);
    return parsed.ok && ipKey(parsed.cidr.ip) === key;
  });
  return host.interfaces.find((i) => holds(i.addresses))?.name ?? host.bridges.find((b) => holds(b.addresses))?.name;
}

/** The source interface's first address; for an interface in a bridge, none (it is bridged). */
function sourceAddress(host: LabHost, device: string): string | undefined {
  const holder = host.interfaces.find((i) => i.name === device) ?? host.bridges.find((b) => b.name === device);
  const cidr = holder?.addresses[0];
  return cidr ? cidr.split('/')[0] : undefined;
}

export function expectedPath(lab: Lab, from: { host: string; interface?: string }, to: string): ExpectedPath {
  const problems: string[] = [];
  const source = lab.hosts.find((h) => h.name === from.host);
  if (!source) return { from: { host: from.host, interface: from.interface ?? '' }, to, points: [], links: [], problems: [`${from.host} is not a host of the lab.`] };
  const sourceDevice = from.interface ?? source.interfaces.find((i) => i.addresses.length && !interfaceOwner(source, i.name))?.name ?? source.bridges.find((b) => b.addresses.length)?.name;
  if (!sourceDevice) return { from: { host: source.name, interface: '' }, to, points: [], links: [], problems: [`${source.name} has no interface with an address to send from; name one (--from ${source.name}:IFACE).`] };
  const result: ExpectedPath = { from: { host: source.name, interface: sourceDevice, address: sourceAddress(source, sourceDevice) }, to, points: [], links: [], problems };

  const target = parseIp(to) ? hostOwningAddress(lab, to) : undefined;
  const targetDevice = target && holderOf(target, to);
  if (!target || !targetDevice) {
    problems.push(`${to} is not an address of any host in the lab, so the path beyond ${source.name} cannot be worked out; only the source is watched.`);
    result.points.push({ host: source.name, interface: sourceDevice, encapsulated: false });
    return result;
  }
  result.toHost = target.name;
  result.toInterface = targetDevice;

  // Breadth-first search over interfaces, bridges, segments and tunnels.
  const graph = buildGraph(lab);
  const start = node(source.name, sourceDevice);
  const goal = node(target.name, targetDevice);
  const previous = new Map<NodeId, { from: NodeId; edge: Edge }>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length && !seen.has(goal)) {
    const current = queue.shift() as NodeId;
    for (const edge of graph.get(current) ?? []) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { from: current, edge });
      queue.push(edge.to);
    }
  }
  if (!seen.has(goal)) {
    problems.push(`The lab file joins ${source.name}:${sourceDevice} to ${target.name}:${targetDevice} by no segment, bridge or tunnel it declares; add the segments (provider networks) between them.`);
    result.points.push({ host: source.name, interface: sourceDevice, encapsulated: false }, { host: target.name, interface: targetDevice, encapsulated: false });
    result.links.push({ kind: 'link', name: 'unknown' });
    return result;
  }
  const hops: { node: NodeId; via?: Edge }[] = [];
  for (let at: NodeId | undefined = goal; at; at = previous.get(at)?.from) hops.unshift({ node: at, via: previous.get(at)?.edge });

  const hostOf = (name: string) => lab.hosts.find((h) => h.name === name) as LabHost;
  const isBridge = (id: NodeId) => {
    const [host, device] = split(id);
    return hostOf(host).bridges.some((b) => b.name === device);
  };
  let pendingBridge: string | undefined;
  for (const [index, hop] of hops.entries()) {
    const [host, device] = split(hop.node);
    if (hop.via?.kind === 'tunnel' && hop.via.tunnel) {
      const { local, remote } = hop.via.tunnel;
      const info = { type: local.type, dstport: local.dstport, vni: local.vni };
      const localWire = local.underlayDevice;
      const remoteWire = remote.underlayDevice;
      if (!localWire || !remoteWire) {
        problems.push(`The tunnel ${local.port} from ${local.host} to ${remote.host} has no underlay interface to watch.`);
        continue;
      }
      result.links.push({ kind: 'encapsulation', name: local.port, host: local.host });
      result.points.push({ host: local.host, interface: localWire, encapsulated: true, tunnel: info });
      const underlay: CapturePoint = { host: remote.host, interface: remoteWire, encapsulated: true, tunnel: info };
      result.links.push({ kind: 'segment', name: local.segment !== undefined && local.segment === remote.segment ? local.segment : 'underlay', managedByLab: false });
      result.points.push(underlay);
      pendingBridge = undefined;
      // The far bridge itself is no capture point; what follows it is (or it is the goal).
      if (index === hops.length - 1) {
        result.links.push({ kind: 'decapsulation', name: remote.port, host: remote.host });
        result.points.push({ host, interface: device, encapsulated: false });
      } else {
        result.links.push({ kind: 'decapsulation', name: remote.port, host: remote.host });
        pendingBridge = 'decapsulated';
      }
      continue;
    }
    // Bridges are crossed, not watched, unless the path starts or ends on one.
    if (isBridge(hop.node) && index !== 0 && index !== hops.length - 1) {
      pendingBridge = device;
      continue;
    }
    if (result.points.length) {
      if (pendingBridge === 'decapsulated') {
        // The decapsulation link already joins the far underlay to this point.
      } else if (pendingBridge) {
        result.links.push({ kind: 'bridge', name: pendingBridge, host });
      } else if (hop.via?.kind === 'segment') {
        result.links.push({ kind: 'segment', name: hop.via.name, managedByLab: false });
      } else {
        result.links.push({ kind: hop.via?.kind === 'bridge' ? 'bridge' : 'link', name: hop.via?.name ?? 'unknown', host });
      }
    }
    pendingBridge = undefined;
    result.points.push({ host, interface: device, encapsulated: false });
  }
  return result;
}
