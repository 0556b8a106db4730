// The topology diagram of a lab as plain data: hosts holding their bridges and other interfaces,
// bridges holding their ports, segments joined to their members, tunnels between tunnel ports.
// Worked out from the lab model and the hosts' latest readings, without the editor or the
// browser; the webview only draws it. Element ids are stable across snapshots, so the webview
// updates the diagram in place and keeps the positions the user gave.

import type { DriftItem, HostReading, HostState, LabState, LinkState, OvsInterface } from '../../hosts/types';
import { withoutPrefix } from '../../lab/addresses';
import type { Lab, LabBridge, LabHost, LabPort, ResolvedTunnel, SourceRange } from '../../lab/types';
import type { HostLive } from '../../session/liveLabs';
import type { CaptureTarget, GraphEdge, GraphNode, GraphSnapshot, NodeStatus, SourcePlace } from '../../webview/protocol';
import { hostAddress, hostJumps } from '../labsTreeModel';
import { hostPhase } from '../liveTreeModel';

export const ids = {
  host: (host: string) => `host:${host}`,
  bridge: (host: string, bridge: string) => `bridge:${host}/${bridge}`,
  port: (host: string, bridge: string, port: string) => `port:${host}/${bridge}/${port}`,
  iface: (host: string, iface: string) => `iface:${host}/${iface}`,
  segment: (segment: string) => `segment:${segment}`,
  remote: (address: string) => `remote:${address}`,
  member: (segment: string, host: string, iface: string) => `member:${segment}/${host}/${iface}`,
  tunnel: (from: { host: string; port: string }, to: { host: string; port: string } | string) =>
    `tunnel:${from.host}/${from.port}~${typeof to === 'string' ? to : `${to.host}/${to.port}`}`,
};

export interface GraphInputs {
  lab: Lab;
  /** The hosts' latest readings and drift; absent before the first read. */
  state?: LabState;
  /** Connection and read-in-progress per host. */
  hosts?: Record<string, HostLive>;
  notice?: string;
}

/** Tunnel types whose OVS ports are not kernel devices: a capture on them runs on the underlay. */
const TUNNEL_TYPES = new Set(['vxlan', 'geneve', 'gre']);

export function buildGraph({ lab, state, hosts = {}, notice }: GraphInputs): GraphSnapshot {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  /** The node that stands for `host:interface` (a port when a bridge holds it). */
  const deviceNode = new Map<string, GraphNode>();
  const deviceKey = (host: string, name: string) => `${host}\u0000${name}`;

  for (const host of lab.hosts) {
    const reading = state?.hosts[host.name];
    const drift = (state?.drift ?? []).filter((item) => item.subject.host === host.name);
    for (const node of hostNodes(lab, host, reading, hosts[host.name], drift)) {
      nodes.push(node);
      if ((node.kind === 'port' || node.kind === 'iface' || node.kind === 'bridge') && node.host) {
        const key = deviceKey(node.host, node.label);
        // A port wins over the bridge of the same name (never both in a lab), and is found first.
        if (!deviceNode.has(key) || node.kind === 'port') deviceNode.set(key, node);
      }
    }
  }

  // Interfaces named only as segment members get a node of their own, so that the member has an end.
  for (const segment of lab.segments) {
    for (const member of segment.members) {
      const key = deviceKey(member.host, member.interface);
      if (deviceNode.has(key) || !lab.hosts.some((host) => host.name === member.host)) continue;
      const host = lab.hosts.find((candidate) => candidate.name === member.host)!;
      const node = implicitInterface(host, member.interface, segment.name, state?.hosts[host.name], member.range);
      nodes.push(node);
      deviceNode.set(key, node);
    }
  }

  for (const segment of lab.segments) {
    const members = segment.members.flatMap((member) => {
      const node = deviceNode.get(deviceKey(member.host, member.interface));
      return node ? [{ member, node }] : [];
    });
    // A member is judged by its device's link, not by the node it is drawn on (a port may be
    // missing from its bridge while the cable behind it is fine).
    const linkStatuses = segment.members.map((member) => memberStatus(state?.hosts[member.host], member.interface));
    const status = segmentStatus(linkStatuses);
    nodes.push({
      id: ids.segment(segment.name),
      kind: 'segment',
      label: segment.name,
      detail: segment.note,
      status,
      classes: ['segment', status, ...(segment.underlay ? ['underlay'] : [])],
      info: [
        `Segment ${segment.name}${segment.underlay ? ' (underlay: carries the tunnels)' : ''}: an L2 network the lab does not manage.`,
        ...(segment.note ? [segment.note] : []),
        `Members: ${segment.members.map((member) => `${member.host}:${member.interface}`).join(', ') || 'none'}.`,
      ],
      source: place(segment.range),
    });
    for (const { member, node } of members) {
      const memberLink = memberStatus(state?.hosts[member.host], member.interface);
      edges.push({
        id: ids.member(segment.name, member.host, member.interface),
        kind: 'member',
        source: ids.segment(segment.name),
        target: node.id,
        status: memberLink,
        classes: ['member', memberLink, ...(segment.underlay ? ['underlay'] : [])],
        info: [`${member.host}:${member.interface} is a member of segment ${segment.name}.`],
      });
    }
  }

  edges.push(...tunnelEdges(lab, nodes));
  for (const edge of edges.filter((candidate) => candidate.kind === 'tunnel' && candidate.target.startsWith('remote:'))) {
    if (nodes.some((node) => node.id === edge.target)) continue;
    const address = edge.target.slice('remote:'.length);
    nodes.push({
      id: edge.target,
      kind: 'remote',
      label: address,
      detail: 'outside the lab',
      status: 'unknown',
      classes: ['remote', 'unknown'],
      info: [`${address}: a tunnel end that is not a host of the lab.`],
    });
  }
  return { lab: lab.name, nodes, edges, ...(notice ? { notice } : {}) };
}

// ---------------------------------------------------------------------------------------------
// A host and what it holds.

type Presence = boolean | undefined;
type Health = 'up' | 'down';

function linkHealth(link: LinkState | undefined): Health | undefined {
  if (!link) return undefined;
  if (!link.up) return 'down';
  // Tunnels, taps and loopback report UNKNOWN while carrying traffic.
  return link.operState === 'UP' || link.operState === 'UNKNOWN' ? 'up' : 'down';
}

function ovsHealth(iface: OvsInterface | undefined, link: LinkState | undefined): Health | undefined {
  if (iface?.adminState === 'down' || iface?.error) return 'down';
  if (iface?.linkState === 'up') return 'up';
  if (iface?.linkState === 'down') return 'down';
  return linkHealth(link);
}

/** The status of something on a host that was read: missing, drifted, down, up. */
function itemStatus(present: Presence, drift: readonly DriftItem[], health: Health | undefined): NodeStatus {
  if (present === undefined) return 'unknown';
  if (!present) return 'missing';
  if (drift.length) return 'drifted';
  return health === 'down' ? 'down' : 'up';
}

function place(range: SourceRange | undefined): SourcePlace | undefined {
  return range ? { line: range.line, col: range.col } : undefined;
}

function words(parts: (string | false | undefined)[]): string | undefined {
  const kept = parts.filter((part): part is string => typeof part === 'string' && part.length > 0);
  return kept.length ? kept.join(' · ') : undefined;
}

function compact<T>(values: (T | false | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined && value !== false);
}

const PORT_WORDS: Record<LabPort['type'], string> = { system: 'Port', internal: 'Internal port', patch: 'Patch port', vxlan: 'VXLAN port', geneve: 'Geneve port', gre: 'GRE port' };

const STATUS_SENTENCE: Record<NodeStatus, string | undefined> = {
  up: undefined,
  down: 'Down on the host.',
  drifted: 'On the host, but not as the lab file says.',
  unreachable: undefined,
  missing: 'Missing: the lab file declares it, the host does not have it.',
  unknown: 'Not read: its state on the host is not known.',
};

function liveAddresses(link: LinkState | undefined): string[] {
  return link ? link.addresses.filter((address) => address.scope !== 'link' && address.scope !== 'host').map((address) => address.cidr) : [];
}

function linkLine(link: LinkState | undefined): string | undefined {
  if (!link) return undefined;
  return `${link.up ? 'admin up' : 'admin down'}, ${link.operState}, MTU ${link.mtu}${link.mac ? `, MAC ${link.mac}` : ''}; RX ${link.stats.rxPackets}, TX ${link.stats.txPackets} packets`;
}

function hostNodes(lab: Lab, host: LabHost, reading: HostReading | undefined, live: HostLive | undefined, drift: readonly DriftItem[]): GraphNode[] {
  const phase = hostPhase(reading, live);
  const state = reading?.ok ? reading.state : undefined;
  const hostId = ids.host(host.name);
  const busy = phase === 'reading' || phase === 'connecting';
  const hostStatus: NodeStatus = !reading ? 'unknown' : !reading.ok ? 'unreachable' : drift.length ? 'drifted' : 'up';
  const jumps = hostJumps(lab, host);
  const placed = placeDrift(host, drift);

  const nodes: GraphNode[] = [
    {
      id: hostId,
      kind: 'host',
      label: host.name,
      detail: hostAddress(host),
      status: hostStatus,
      classes: compact(['host', hostStatus, busy && 'busy']),
      info: compact([
        `Host ${host.name}: ${hostAddress(host)}${jumps.length ? ` via ${jumps.join(' → ')}` : ''}.`,
        busy && (phase === 'reading' ? 'Reading its state…' : 'Connecting…'),
        !reading && !busy && 'Not read yet: refresh the lab to read it.',
        reading && !reading.ok && `${phase === 'readError' ? 'Could not read its state' : 'Unreachable'}: ${reading.failure.message}`,
        state && words([state.system.distribution, state.system.kernel && `kernel ${state.system.kernel}`, state.ovs.state === 'running' ? `OVS ${state.ovs.version ?? 'running'}` : `OVS ${state.ovs.state}`]),
        ...(placed.get(hostId) ?? []).map((item) => item.message),
      ]),
      host: host.name,
      source: place(host.range),
    },
  ];

  const links = new Map((state?.linksKnown ? state.links : []).map((link) => [link.name, link]));
  const ovsBridges = new Map((state?.bridgesKnown ? state.bridges : []).map((bridge) => [bridge.name, bridge]));
  const enslaved = new Set<string>();

  for (const bridge of host.bridges) {
    const bridgeId = ids.bridge(host.name, bridge.name);
    const ovs = bridge.kind === 'ovs' ? ovsBridges.get(bridge.name) : undefined;
    const link = links.get(bridge.name);
    const present: Presence = !state ? undefined : bridge.kind === 'ovs' ? (state.bridgesKnown ? ovs !== undefined : undefined) : state.linksKnown ? link?.kind === 'bridge' : undefined;
    const bridgeDrift = placed.get(bridgeId) ?? [];
    const status = itemStatus(present, bridgeDrift, linkHealth(link));
    nodes.push({
      id: bridgeId,
      kind: 'bridge',
      label: bridge.name,
      parent: hostId,
      detail: words([bridge.kind === 'ovs' && bridge.datapath === 'netdev' ? 'ovs netdev' : bridge.kind, ...bridge.addresses]),
      status,
      classes: compact(['bridge', status, bridge.kind, bridge.underlay && 'underlay']),
      info: compact([
        `${bridge.kind === 'ovs' ? 'Open vSwitch' : 'Linux'} bridge ${bridge.name} on ${host.name}${bridge.kind === 'ovs' ? `, ${bridge.datapath} datapath` : ''}.`,
        bridge.underlay && 'Carries the underlay (tunnel traffic).',
        bridge.addresses.length > 0 && `Lab addresses: ${bridge.addresses.join(', ')}.`,
        STATUS_SENTENCE[status],
        present && linkLine(link),
        ...bridgeDrift.map((item) => item.message),
      ]),
      host: host.name,
      capture: { host: host.name, iface: bridge.name },
      source: place(bridge.range),
    });

    for (const port of bridge.ports) {
      enslaved.add(port.name);
      const portId = ids.port(host.name, bridge.name, port.name);
      const ovsPort = ovs?.ports.find((candidate) => candidate.name === port.name);
      const iface = ovsPort?.interfaces.find((candidate) => candidate.name === port.name) ?? ovsPort?.interfaces[0];
      const portLink = links.get(port.name);
      const portPresent: Presence =
        present === false ? false : !state ? undefined : bridge.kind === 'ovs' ? (state.bridgesKnown ? ovsPort !== undefined : undefined) : state.linksKnown ? portLink?.master === bridge.name : undefined;
      const portDrift = placed.get(portId) ?? [];
      const portStatus = itemStatus(portPresent, portDrift, bridge.kind === 'ovs' ? ovsHealth(iface, portLink) : linkHealth(portLink));
      const tunnel = lab.tunnels.find((candidate) => candidate.host === host.name && candidate.port === port.name);
      nodes.push({
        id: portId,
        kind: 'port',
        label: port.name,
        parent: bridgeId,
        detail: portDetail(port, tunnel),
        status: portStatus,
        classes: compact(['port', portStatus, TUNNEL_TYPES.has(port.type) && 'tunnel', TUNNEL_TYPES.has(port.type) && port.type, port.type === 'internal' && 'internal', port.type === 'patch' && 'patch']),
        info: compact([
          `${PORT_WORDS[port.type]} ${port.name} of ${bridge.name} on ${host.name}.`,
          tunnel && `Tunnel to ${tunnel.remoteHost ?? tunnel.remote} (${tunnel.remoteAddress}), ${tunnel.type === 'gre' ? 'key' : 'VNI'} ${tunnel.vni}${tunnel.dstport ? `, UDP port ${tunnel.dstport}` : ''}.`,
          port.vlan !== undefined && `VLAN tag ${port.vlan}.`,
          STATUS_SENTENCE[portStatus],
          iface?.error && `OVS: ${iface.error}`,
          portPresent && linkLine(portLink),
          ...portDrift.map((item) => item.message),
        ]),
        host: host.name,
        capture: captureTarget(lab, host, bridge, port, tunnel),
        source: place(port.range),
      });
    }
  }

  for (const declared of host.interfaces) {
    if (enslaved.has(declared.name)) continue;
    const ifaceId = ids.iface(host.name, declared.name);
    const link = links.get(declared.name);
    const present: Presence = state?.linksKnown ? link !== undefined : undefined;
    const ifaceDrift = placed.get(ifaceId) ?? [];
    const status = itemStatus(present, ifaceDrift, linkHealth(link));
    const live = liveAddresses(link);
    nodes.push({
      id: ifaceId,
      kind: 'iface',
      label: declared.name,
      parent: hostId,
      detail: words(declared.addresses.length ? declared.addresses : live),
      status,
      classes: compact(['iface', status, declared.underlay && 'underlay']),
      info: compact([
        `Interface ${declared.name} of ${host.name}.`,
        declared.underlay && 'Carries the underlay (tunnel traffic).',
        declared.addresses.length > 0 && `Lab addresses: ${declared.addresses.join(', ')}.`,
        live.length > 0 && `On the host: ${live.join(', ')}.`,
        STATUS_SENTENCE[status],
        present && linkLine(link),
        ...ifaceDrift.map((item) => item.message),
      ]),
      host: host.name,
      capture: { host: host.name, iface: declared.name },
      source: place(declared.range),
    });
  }

  // A host that could not be read has no state: what it holds is `unknown`, not missing.
  return nodes;
}

function implicitInterface(host: LabHost, name: string, segment: string, reading: HostReading | undefined, range: SourceRange | undefined): GraphNode {
  const state: HostState | undefined = reading?.ok ? reading.state : undefined;
  const link = state?.linksKnown ? state.links.find((candidate) => candidate.name === name) : undefined;
  const present: Presence = state?.linksKnown ? link !== undefined : undefined;
  const status = reading && !reading.ok ? 'unknown' : itemStatus(present, [], linkHealth(link));
  return {
    id: ids.iface(host.name, name),
    kind: 'iface',
    label: name,
    parent: ids.host(host.name),
    detail: words(liveAddresses(link)),
    status,
    classes: ['iface', status, 'implicit'],
    info: compact([`Interface ${name} of ${host.name}, named as a member of segment ${segment}.`, STATUS_SENTENCE[status], present && linkLine(link)]),
    host: host.name,
    capture: { host: host.name, iface: name },
    source: place(range),
  };
}

function portDetail(port: LabPort, tunnel: ResolvedTunnel | undefined): string | undefined {
  if (tunnel) return `${tunnel.type} → ${tunnel.remoteHost ?? tunnel.remote}`;
  if (TUNNEL_TYPES.has(port.type)) return `${port.type} → ${port.remote ?? '?'}`;
  if (port.type === 'patch') return `patch → ${port.peer ?? '?'}`;
  return words([port.type !== 'system' && port.type, port.vlan !== undefined && `tag ${port.vlan}`]);
}

/**
 * Where a capture on a port runs. A kernel device (a Linux bridge's VXLAN device included) is
 * captured on itself. An OVS tunnel port is no device: its traffic is seen on the underlay, as
 * the outer packets to and from the far end, so the capture runs there with that filter. A patch
 * port is no device at all.
 */
function captureTarget(lab: Lab, host: LabHost, bridge: LabBridge, port: LabPort, tunnel: ResolvedTunnel | undefined): CaptureTarget | undefined {
  if (port.type === 'patch') return undefined;
  if (!TUNNEL_TYPES.has(port.type) || bridge.kind === 'linux') return { host: host.name, iface: port.name };
  if (!tunnel) return undefined;
  const device = underlayDevice(lab, host, tunnel.localAddress);
  if (!device) return undefined;
  const filter = tunnel.type === 'gre' ? `ip proto 47 and host ${tunnel.remoteAddress}` : `udp port ${tunnel.dstport} and host ${tunnel.remoteAddress}`;
  return { host: host.name, iface: device, filter };
}

/**
 * The device the host's outer packets leave by: the interface that holds the local address, or
 * for a bridge that holds it (OVS native tunnelling) its physical port on an underlay segment.
 */
function underlayDevice(lab: Lab, host: LabHost, localAddress: string | undefined): string | undefined {
  if (!localAddress) return undefined;
  const holds = (addresses: string[]) => addresses.some((cidr) => withoutPrefix(cidr) === localAddress);
  const iface = host.interfaces.find((candidate) => holds(candidate.addresses));
  if (iface) return iface.name;
  const bridge = host.bridges.find((candidate) => holds(candidate.addresses));
  if (!bridge) return undefined;
  const physical = bridge.ports.filter((port) => port.type === 'system');
  const onUnderlay = physical.find((port) => lab.segments.some((segment) => segment.underlay && segment.members.some((member) => member.host === host.name && member.interface === port.name)));
  return (onUnderlay ?? physical[0])?.name ?? bridge.name;
}

/** Drift items by the id of the node they are about; what fits no node goes on the host. */
function placeDrift(host: LabHost, drift: readonly DriftItem[]): Map<string, DriftItem[]> {
  const placed = new Map<string, DriftItem[]>();
  const bridgeOf = (name: string, bridge?: string) => host.bridges.find((candidate) => (bridge === undefined || candidate.name === bridge) && candidate.ports.some((port) => port.name === name));
  const portId = (name: string, bridge?: string) => {
    const owner = bridgeOf(name, bridge);
    return owner ? ids.port(host.name, owner.name, name) : undefined;
  };
  const ifaceId = (name: string) => (host.interfaces.some((candidate) => candidate.name === name) && !bridgeOf(name) ? ids.iface(host.name, name) : undefined);
  const bridgeId = (name: string) => (host.bridges.some((candidate) => candidate.name === name) ? ids.bridge(host.name, name) : undefined);
  for (const item of drift) {
    const { kind, name, bridge } = item.subject;
    let id: string | undefined;
    if (kind === 'bridge') id = bridgeId(name);
    else if (kind === 'port') id = portId(name, bridge) ?? ifaceId(name);
    else if (kind === 'interface') id = ifaceId(name) ?? portId(name, bridge);
    else if (kind === 'address') id = ifaceId(name) ?? bridgeId(name) ?? portId(name, bridge);
    id ??= ids.host(host.name);
    placed.set(id, [...(placed.get(id) ?? []), item]);
  }
  return placed;
}

// ---------------------------------------------------------------------------------------------
// Segments and tunnels.

/** A segment member's device as read: up, down, missing, or unknown (its host not read). */
function memberStatus(reading: HostReading | undefined, name: string): NodeStatus {
  if (!reading?.ok || !reading.state.linksKnown) return 'unknown';
  const link = reading.state.links.find((candidate) => candidate.name === name);
  return link ? (linkHealth(link) ?? 'up') : 'missing';
}

/** Up when every member is; down when a member is down or missing; unknown otherwise. */
function segmentStatus(members: NodeStatus[]): NodeStatus {
  if (members.some((status) => status === 'down' || status === 'missing')) return 'down';
  if (members.length > 0 && members.every((status) => status === 'up' || status === 'drifted')) return 'up';
  return 'unknown';
}

const EDGE_SEVERITY: Record<NodeStatus, number> = { up: 0, unknown: 1, unreachable: 1, drifted: 2, down: 3, missing: 4 };

/** A tunnel is as good as its worse end. */
function worse(a: NodeStatus, b: NodeStatus): NodeStatus {
  const pick = EDGE_SEVERITY[a] >= EDGE_SEVERITY[b] ? a : b;
  return pick === 'unreachable' ? 'unknown' : pick;
}

function tunnelLabel(tunnel: ResolvedTunnel): string {
  return `${tunnel.type === 'gre' ? 'key' : 'vni'} ${tunnel.vni} · ${tunnel.localAddress ?? '?'} → ${tunnel.remoteAddress}`;
}

/** Tunnel ports paired end to end (one edge for both), else joined to the far host or address. */
function tunnelEdges(lab: Lab, nodes: readonly GraphNode[]): GraphEdge[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const portNode = (tunnel: ResolvedTunnel) => byId.get(ids.port(tunnel.host, tunnel.bridge, tunnel.port));
  const used = new Set<ResolvedTunnel>();
  const edges: GraphEdge[] = [];
  for (const tunnel of lab.tunnels) {
    if (used.has(tunnel)) continue;
    used.add(tunnel);
    const from = portNode(tunnel);
    if (!from) continue;
    const candidates = lab.tunnels.filter(
      (other) => !used.has(other) && other.host === tunnel.remoteHost && other.remoteHost === tunnel.host && other.type === tunnel.type && other.vni === tunnel.vni,
    );
    const partner = candidates.find((other) => other.localAddress === tunnel.remoteAddress && other.remoteAddress === tunnel.localAddress) ?? candidates[0];
    const underlay = underlaySegment(lab, tunnel.host, tunnel.localAddress) ?? (partner && underlaySegment(lab, partner.host, partner.localAddress));
    const info = [
      `${tunnel.type.toUpperCase()} tunnel, ${tunnel.type === 'gre' ? 'key' : 'VNI'} ${tunnel.vni}${tunnel.dstport ? `, UDP port ${tunnel.dstport}` : ''}.`,
      ...(underlay ? [`Rides on segment ${underlay.slice('segment:'.length)}.`] : []),
    ];
    const classes = (status: NodeStatus, ...more: string[]) => ['tunnel', tunnel.type, status, ...more];
    if (partner) {
      used.add(partner);
      const to = portNode(partner);
      if (!to) continue;
      const status = worse(from.status, to.status);
      edges.push({
        id: ids.tunnel(tunnel, partner),
        kind: 'tunnel',
        source: from.id,
        target: to.id,
        label: tunnelLabel(tunnel),
        status,
        classes: classes(status),
        info: [`${tunnel.host}:${tunnel.port} ↔ ${partner.host}:${partner.port}.`, ...info],
        ...(underlay ? { underlay } : {}),
      });
    } else {
      // No port at the far end answers this one: the edge goes to the far host, or to the address.
      const target = tunnel.remoteHost ? ids.host(tunnel.remoteHost) : ids.remote(tunnel.remoteAddress);
      const status = worse(from.status, 'unknown');
      edges.push({
        id: ids.tunnel(tunnel, tunnel.remoteHost ?? tunnel.remoteAddress),
        kind: 'tunnel',
        source: from.id,
        target,
        label: tunnelLabel(tunnel),
        status,
        classes: classes(status, 'unpaired'),
        info: [
          `${tunnel.host}:${tunnel.port} → ${tunnel.remoteHost ?? tunnel.remoteAddress}${tunnel.remoteHost ? `: ${tunnel.remoteHost} has no tunnel port back to ${tunnel.host}` : ''}.`,
          ...info,
        ],
        ...(underlay ? { underlay } : {}),
      });
    }
  }
  return edges;
}

/**
 * The segment a host's outer packets travel: the one holding the interface with the local
 * address, or a port of the bridge that holds it. Underlay segments first.
 */
function underlaySegment(lab: Lab, hostName: string, localAddress: string | undefined): string | undefined {
  const host = lab.hosts.find((candidate) => candidate.name === hostName);
  if (!host || !localAddress) return undefined;
  const holds = (addresses: string[]) => addresses.some((cidr) => withoutPrefix(cidr) === localAddress);
  const devices = new Set<string>();
  for (const iface of host.interfaces) if (holds(iface.addresses)) devices.add(iface.name);
  for (const bridge of host.bridges) {
    if (!holds(bridge.addresses)) continue;
    devices.add(bridge.name);
    for (const port of bridge.ports) if (port.type === 'system') devices.add(port.name);
  }
  const carrying = lab.segments.filter((segment) => segment.members.some((member) => member.host === hostName && devices.has(member.interface)));
  const segment = carrying.find((candidate) => candidate.underlay) ?? carrying[0];
  return segment && ids.segment(segment.name);
}
